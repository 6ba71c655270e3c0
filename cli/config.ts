/** CLI: config — where memoryoss keeps things, and the effective configuration. */
import { join, resolve } from "node:path";
import {
  CONFIG_TEMPLATE,
  configKeyPath,
  getConfigKey,
  ioReason,
  loadConfig,
  migrateConfigText,
  redactSecrets,
  resolveHome,
  setConfigKey,
  shownConfigValue,
} from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type CommandSpec, type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { runVerbs } from "./_subcommands.ts";

const spec: CommandSpec = {
  name: "config",
  summary: "show the effective configuration and where it comes from",
  usage: [
    "config show [--json] [--show-secrets]",
    "config path",
    "config migrate [FILE] [-o OUT] [--show-secrets]",
    "config get KEY [--json] [--show-secrets]",
    "config set KEY VALUE [--json]   (VALUE '-': read it from stdin)",
  ],
  options: {
    json: { type: "boolean", description: "print JSON" },
    "show-secrets": { type: "boolean", description: "print api keys and other secrets in clear" },
    output: {
      type: "string",
      short: "o",
      value: "OUT",
      description: "migrate: write the new config to OUT (mode 0600, secrets in clear)",
    },
  },
  notes: [
    'Secrets (api keys, proxy keys, tokens, passwords) are shown as "***" unless --show-secrets.',
    "The config file is created with mode 0600; show warns when others can read it.",
    "A memoryOSS memoryoss.toml loads as is: its keys are read in our spelling, and each one",
    "without effect here is named on stderr. migrate prints that config (FILE, else the active",
    "one) in our own spelling, with a header saying what was renamed and what was left out.",
    "get prints one key's effective value; set changes one key of the config file in place",
    "(comments and the rest of the file kept; written atomically, mode 0600). A value the",
    "schema refuses is exit 3 naming the key, and the file is left as it was. Keys are dotted:",
    "server.port, recall.weights.vector, embeddings.api_key (pass secrets with VALUE '-').",
  ],
  examples: [
    "memoryoss config show --json",
    "memoryoss config path",
    "memoryoss config migrate ~/memoryoss/memoryoss.toml -o ~/.memoryoss/memoryoss.toml",
    "memoryoss config set server.port 9000",
    "memoryoss config get server.port",
    'printf %s "$KEY" | memoryoss config set embeddings.api_key -',
  ],
};

/** `config [show|path|migrate|get|set] …` */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runVerbs(spec, { show, path, migrate, get, set }, args, g, "show");
}

/** The positionals after the verb: between `min` and `max` of them, else exit 3 with `usage`. */
function takes(rest: string[], min: number, max: number, usage: string): void {
  if (rest.length < min || rest.length > max) {
    throw new MemoryossError("INVALID_INPUT", `usage: memoryoss config ${usage}`);
  }
}

function noOutput(p: Parsed): void {
  if (p.values.output !== undefined) {
    throw new MemoryossError("INVALID_INPUT", "--output is for config migrate");
  }
}

/** `config path`: the config file in use. */
async function path(p: Parsed, rest: string[], g: Globals): Promise<number> {
  takes(rest, 0, 0, "path");
  noOutput(p);
  const loaded = await loadConfig({ configPath: g.config, anyBackend: true });
  console.log(loaded.configPath ?? "(defaults, no file)");
  return 0;
}

/** `config show`: home, files and the effective config (secrets masked). */
async function show(p: Parsed, rest: string[], g: Globals): Promise<number> {
  takes(rest, 0, 0, "show [--json] [--show-secrets]");
  noOutput(p);
  const loaded = await loadConfig({ configPath: g.config, anyBackend: true });
  for (const w of loaded.warnings) console.error(w);
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

/** `config migrate`: the config in our spelling, on stdout or into a new 0600 file. */
async function migrate(p: Parsed, rest: string[], g: Globals): Promise<number> {
  takes(rest, 0, 1, "migrate [FILE] [-o OUT] [--show-secrets]");
  const file = rest[0];
  const source = resolve(
    file ?? g.config ?? join(resolveHome((k) => Deno.env.get(k)), "memoryoss.toml"),
  );
  let text: string;
  try {
    text = await Deno.readTextFile(source);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError("INVALID_CONFIG", `config file not found: ${source}`);
    }
    throw new MemoryossError("IO", `cannot read ${source}: ${ioReason(e)}`);
  }
  const out = strValue(p.values.output);
  const showSecrets = out !== undefined || p.values["show-secrets"] === true;
  const { toml, notes } = migrateConfigText(text, source, { showSecrets });
  const left = notes.filter((n) => n.kind !== "mapped").length;
  const renamed = notes.length - left;
  if (out === undefined) {
    await Deno.stdout.write(new TextEncoder().encode(toml));
    if (!showSecrets && toml !== migrateConfigText(text, source, { showSecrets: true }).toml) {
      console.error(
        'secrets are shown as "***": write the file with -o OUT (mode 0600) or pass --show-secrets',
      );
    }
    return 0;
  }
  try {
    await Deno.writeTextFile(out, toml, { createNew: true, mode: 0o600 });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new MemoryossError("INVALID_INPUT", `${out} already exists; choose a new file`, [
        "output",
      ]);
    }
    throw new MemoryossError("IO", `cannot write ${out}: ${ioReason(e)}`);
  }
  console.error(`wrote ${out} (${renamed} renamed, ${left} left out: see its header)`);
  return 0;
}

/** `config get KEY`: one effective value; strings print bare, the rest as JSON. */
async function get(p: Parsed, rest: string[], g: Globals): Promise<number> {
  takes(rest, 1, 1, "get KEY [--json] [--show-secrets]");
  noOutput(p);
  const key = rest[0];
  const loaded = await loadConfig({ configPath: g.config, anyBackend: true });
  const value = getConfigKey(loaded.config, key, {
    showSecrets: p.values["show-secrets"] === true,
  });
  if (p.values.json) printJson({ key, value });
  else console.log(typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return 0;
}

/** `config set KEY VALUE`: the config file edited in place, validated before it is written. */
async function set(p: Parsed, rest: string[], g: Globals): Promise<number> {
  takes(rest, 2, 2, "set KEY VALUE [--json]   (VALUE '-': read it from stdin)");
  const [key, raw] = rest;
  if (p.values.output !== undefined || p.values["show-secrets"] !== undefined) {
    throw new MemoryossError("INVALID_INPUT", "config set takes only --json");
  }
  const value = raw === "-" ? await stdinValue() : raw;
  const file = g.config
    ? resolve(g.config)
    : join(resolveHome((k) => Deno.env.get(k)), "memoryoss.toml");
  const res = await setConfigKey(file, key, value, g.config ? {} : { template: CONFIG_TEMPLATE });
  const path = configKeyPath(key);
  const shown = shownConfigValue(path, res.value);
  const out = { ...res, value: shown, previous: shownConfigValue(path, res.previous) };
  if (p.values.json) printJson(out);
  else if (!res.changed) console.log(`${res.key} is already ${JSON.stringify(shown)} in ${file}`);
  else console.log(`set ${res.key} = ${JSON.stringify(shown)} in ${file}`);
  return 0;
}

/** VALUE from stdin (strict UTF-8, one trailing newline dropped). */
async function stdinValue(): Promise<string> {
  const bytes = await new Response(Deno.stdin.readable).bytes();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/\r?\n$/, "");
  } catch {
    throw new MemoryossError("INVALID_INPUT", "stdin is not valid UTF-8");
  }
}
