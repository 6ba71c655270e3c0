/** CLI: migrate — list or apply pending database schema steps (back up first: `backup`). */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { migrateDatabase } from "../lib/store/mod.ts";
import { type CommandSpec, JSON_OPTION, parseCommand } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

const spec: CommandSpec = {
  name: "migrate",
  summary: "list or apply pending database schema migrations",
  usage: ["migrate [--dry-run] [--json]"],
  options: {
    "dry-run": { type: "boolean", description: "list pending migrations, change nothing" },
    json: JSON_OPTION,
  },
  notes: [
    "Every command migrates a database on open; this makes it explicit before an upgrade.",
    "Rollback: restore the backup taken before the upgrade with the previous binary.",
  ],
  examples: ["memoryoss backup -o before-upgrade.tar.gz && memoryoss migrate --dry-run"],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "migrate takes no arguments");
  const loaded = await loadConfig({ configPath: g.config });
  const r = migrateDatabase(loaded.dbPath, { dryRun: Boolean(p.values["dry-run"]) });
  if (p.values.json) {
    printJson(r);
    return 0;
  }
  console.log(`database  ${r.db_path}${r.exists ? "" : " (not created yet)"}`);
  console.log(`schema    v${r.current_version} → v${r.target_version}`);
  if (r.pending.length === 0) console.log("up to date");
  for (const m of r.pending) {
    const done = r.applied.includes(m.version);
    console.log(
      `  v${m.version}  ${m.description}${r.dry_run ? "  (pending)" : done ? "  (applied)" : ""}`,
    );
  }
  return 0;
}
