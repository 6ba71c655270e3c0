/** CLI: config — where memoryoss keeps things, and the effective configuration. */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type CommandSpec, parseCommand } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

const spec: CommandSpec = {
  name: "config",
  summary: "show the effective configuration and where it comes from",
  usage: ["config show [--json]", "config path"],
  options: { json: { type: "boolean", description: "print JSON" } },
  notes: ['Secrets (api_key) are shown as "***".'],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  const sub = p.positionals[0] ?? "show";
  if (!["show", "path"].includes(sub) || p.positionals.length > 1) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown config command '${p.positionals.join(" ")}' (show | path)`,
    );
  }
  const loaded = await loadConfig({ configPath: g.config });
  if (sub === "path") {
    console.log(loaded.configPath ?? "(defaults, no file)");
    return 0;
  }
  const config = structuredClone(loaded.config);
  if (config.embeddings.api_key) config.embeddings.api_key = "***";
  const out = { home: loaded.home, config_path: loaded.configPath, db_path: loaded.dbPath, config };
  if (p.values.json) printJson(out);
  else {
    console.log(`home     ${out.home}\nconfig   ${out.config_path}\ndatabase ${out.db_path}`);
    printJson(config);
  }
  return 0;
}
