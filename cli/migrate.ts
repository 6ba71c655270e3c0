/**
 * CLI: migrate — list or apply pending database schema steps (back up first: `backup`), or with
 * `--to` copy the home between engines (SQLite ⇄ Postgres; docs/scaling.md).
 */
import { loadConfig, type LoadedConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { join } from "node:path";
import { encryptionFromConfig, migrateDatabase } from "../lib/store/mod.ts";

/** The Postgres engine (lib/store/postgres, its own face) loads only for `--to`/`--from`. */
import { loadPostgres } from "./_postgres.ts";
import { type CommandSpec, JSON_OPTION, parseCommand, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

const spec: CommandSpec = {
  name: "migrate",
  summary: "list or apply pending database schema migrations; copy a home to or from Postgres",
  usage: [
    "migrate [--dry-run] [--json]",
    "migrate --to postgres://USER@HOST[:PORT]/DB[?schema=NAME] [--dry-run] [--json]",
    "migrate --to sqlite:PATH [--from postgres://…] [--dry-run] [--json]",
    "migrate --to-configured [--dry-run] [--json]",
  ],
  options: {
    "dry-run": {
      type: "boolean",
      description: "list pending migrations (or count rows), change nothing",
    },
    to: {
      type: "string",
      value: "TARGET",
      description: "copy this home into Postgres (postgres://…), or from Postgres into sqlite:PATH",
    },
    "to-configured": {
      type: "boolean",
      description: "copy this home into the configured Postgres ([storage] url)",
    },
    from: {
      type: "string",
      value: "URL",
      description:
        "with --to sqlite:PATH: the Postgres to copy from (default $MEMORYOSS_DATABASE_URL)",
    },
    json: JSON_OPTION,
  },
  notes: [
    "Every command migrates a database on open; this makes it explicit before an upgrade.",
    "Rollback: restore the backup taken before the upgrade with the previous binary.",
    "--to copies memories (sealed fields as stored), vectors, graph, keys, activity, queue,",
    "tombstones and trust.json; a re-run changes nothing, an interrupted run continues.",
    "--to-configured: the target is [storage] url (or $MEMORYOSS_DATABASE_URL) of a config",
    'with [storage] backend = "postgres".',
    "Key files (memoryoss.key, trust-device.key) are never copied. Serving from Postgres is",
    "not available yet: see docs/scaling.md.",
  ],
  examples: [
    "memoryoss backup -o before-upgrade.tar.gz && memoryoss migrate --dry-run",
    "memoryoss migrate --to postgres://memoryoss@db.internal/memory --dry-run",
    "memoryoss migrate --from postgres://memoryoss@db.internal/memory --to sqlite:./copy/memoryoss.db",
    "memoryoss migrate --to-configured --dry-run",
  ],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "migrate takes no arguments");
  const from = strValue(p.values.from);
  const to = p.values["to-configured"]
    ? await configuredTarget(g, strValue(p.values.to), from)
    : strValue(p.values.to);
  if (from && !to) throw new MemoryossError("INVALID_INPUT", "--from goes with --to sqlite:PATH");
  if (to) return await copy(to, from, Boolean(p.values["dry-run"]), Boolean(p.values.json), g);
  const loaded = await loadConfig({ configPath: g.config, anyBackend: true });
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

/** `--to-configured`: the URL of `[storage] backend = "postgres"` (or MEMORYOSS_DATABASE_URL). */
async function configuredTarget(g: Globals, to?: string, from?: string): Promise<string> {
  if (to || from) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "--to-configured takes the target from the config: leave out --to and --from",
      ["--to-configured"],
    );
  }
  const loaded = await loadConfig({ configPath: g.config, anyBackend: true });
  const s = loaded.config.storage;
  if (s.backend !== "postgres") {
    throw new MemoryossError(
      "INVALID_INPUT",
      '--to-configured: [storage] backend is "sqlite"; set backend = "postgres" and ' +
        'url = "postgres://…" (or MEMORYOSS_DATABASE_URL) first, or give --to postgres://…',
      ["storage", "backend"],
    );
  }
  return s.url; // present: loading checked it
}

async function copy(
  toText: string,
  fromText: string | undefined,
  dryRun: boolean,
  json: boolean,
  g: Globals,
): Promise<number> {
  const { copyBetweenEngines, parseTarget } = await loadPostgres();
  const to = parseTarget(toText, "--to");
  const fromUrl = fromText ?? (to.kind === "sqlite" ? Deno.env.get("MEMORYOSS_DATABASE_URL") : "");
  const loaded: LoadedConfig = await loadConfig({ configPath: g.config, anyBackend: true });
  const from = fromUrl ? parseTarget(fromUrl, "--from") : parseTarget(`sqlite:${loaded.dbPath}`);
  const r = await copyBetweenEngines({
    from,
    to,
    dryRun,
    encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption, { readOnly: true }),
    // The home's own database: its trust.json (a --from sqlite:PATH: the one beside PATH).
    trustPath: fromUrl ? undefined : join(loaded.home, "trust.json"),
    progress: (line) => console.error(`migrate: ${line}`),
  });
  if (json) printJson(r);
  else printCopy(r);
  return 0;
}

type CopyReport = Awaited<
  ReturnType<Awaited<ReturnType<typeof loadPostgres>>["copyBetweenEngines"]>
>;

function printCopy(r: CopyReport): void {
  console.log(`${r.dry_run ? "would copy" : "copied"}  ${r.from} → ${r.to}`);
  if (r.vectors) {
    const pgv = r.vectors.pgvector ? ` (pgvector ${r.vectors.pgvector})` : "";
    const hnsw = r.vector_indexes.length ? `, HNSW for dim ${r.vector_indexes.join(", ")}` : "";
    console.log(`vectors   ${r.vectors.column}${pgv}${hnsw}`);
  }
  for (const t of r.tables) {
    console.log(
      `  ${t.table.padEnd(20)} ${String(t.source).padStart(7)} rows  ${t.inserted} new, ` +
        `${t.updated} changed, ${t.unchanged} unchanged`,
    );
  }
  console.log(`  ${"trust.json".padEnd(20)} ${r.trust}`);
  if (r.trust === "kept_target") {
    console.log("note: the target's trust.json differs from the source's; it was kept as it is");
  }
  if (r.fts_unindexed) {
    console.log(`note: ${r.fts_unindexed} sealed memories left out of the full-text index`);
  }
  console.log(`${r.new_rows} new rows, ${r.changed_rows} changed rows`);
}
