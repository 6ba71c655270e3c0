/** CLI: config — where memoryoss keeps things, and the effective configuration. */
import { loadConfig, redactSecrets } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type CommandSpec, parseCommand } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

const spec: CommandSpec = {
  name: "config",
  summary: "show the effective configuration and where it comes from",
  usage: ["config show [--json] [--show-secrets]", "config path"],
  options: {
    json: { type: "boolean", description: "print JSON" },
    "show-secrets": { type: "boolean", description: "print api keys and other secrets in clear" },
  },
  notes: [
    'Secrets (api keys, proxy keys, tokens, passwords) are shown as "***" unless --show-secrets.',
    "The config file is created with mode 0600; show warns when others can read it.",
  ],
  examples: ["memoryoss config show --json", "memoryoss config path"],
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
  await warnIfReadableByOthers(loaded.configPath);
  const config = p.values["show-secrets"] ? loaded.config : redactSecrets(loaded.config);
  const out = { home: loaded.home, config_path: loaded.configPath, db_path: loaded.dbPath, config };
  if (p.values.json) printJson(out);
  else {
    console.log(`home     ${out.home}\nconfig   ${out.config_path}\ndatabase ${out.db_path}`);
    printJson(config);
  }
  return 0;
}

async function warnIfReadableByOthers(path: string | null): Promise<void> {
  if (!path || Deno.build.os === "windows") return;
  const mode = (await Deno.stat(path)).mode;
  if (mode !== null && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    console.error(
      `warning: ${path} is readable by other users (mode ${octal}): chmod 600 ${path}`,
    );
  }
}
