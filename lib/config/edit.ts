/**
 * `config set KEY VALUE` and `config get KEY` (memman's `config set`): one key of
 * `memoryoss.toml` changed in place (comments and the rest of the file kept), the whole result
 * validated by the schema before anything is written, then written atomically with mode 0600.
 * An invalid value is INVALID_CONFIG (exit 3) naming the key path, and the file is untouched.
 *
 * @module
 */
import { dirname } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import { type Config, ConfigSchema } from "./schema.ts";
import { checkConfig, parseTomlText } from "./parse.ts";
import { redactSecrets } from "./redact.ts";
import { parseDottedKey, setTomlKey } from "./toml_edit.ts";

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Every key with its default: what tells `set` whether VALUE is a string, number or boolean. */
const DEFAULTS = ConfigSchema.parse({}) as unknown as Table;

function getIn(t: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (isTable(o) && Object.hasOwn(o, k) ? o[k] : undefined), t);
}

/**
 * KEY as its parts (`server.port`, `proxy.model_context_sizes."gpt-4.1"`); INVALID_INPUT
 * when it is not a dotted key.
 */
export function configKeyPath(key: string): string[] {
  const path = parseDottedKey(key);
  if (!path) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `'${key}' is not a config key; write it dotted, e.g. server.port or recall.weights.vector`,
      ["key"],
    );
  }
  return path;
}

/**
 * VALUE (as typed on the command line) as the type the key holds: a string stays a string,
 * numbers and booleans are parsed, arrays and tables are TOML inline values.
 *
 * @example
 * ```ts
 * configValue(["server", "port"], "9000"); // 9000
 * configValue(["embeddings", "model"], "8000"); // "8000"
 * ```
 */
export function configValue(path: string[], raw: string, source = "config"): unknown {
  const key = path.join(".");
  const d = getIn(DEFAULTS, path);
  const refuse = (what: string) =>
    new MemoryossError("INVALID_CONFIG", `${source}: ${key}: expected ${what}, got '${raw}'`, path);
  if (typeof d === "string") return raw;
  if (typeof d === "boolean") {
    if (raw === "true" || raw === "false") return raw === "true";
    throw refuse("true or false");
  }
  if (typeof d === "number") {
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) return Number(raw);
    throw refuse("a number");
  }
  if (isTable(d) && Object.keys(d).length > 0) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${key} is a table; set its keys one at a time (e.g. ${key}.${Object.keys(d)[0]})`,
      path,
    );
  }
  // Arrays, maps and keys the schema does not know: a TOML value, else the text as a string.
  try {
    return (parseTomlText(`x = ${raw}`, "value") as Table).x;
  } catch {
    return raw;
  }
}

/** What `config set` did. */
export interface ConfigSetResult {
  file: string;
  key: string;
  value: unknown;
  previous: unknown;
  changed: boolean;
  /** The file did not exist and was written from `template`. */
  created: boolean;
}

/**
 * Set KEY to VALUE in the config file `file` (created from `template` when missing and one is
 * given). Nothing is written unless the resulting config is valid.
 *
 * @example
 * ```ts
 * await setConfigKey("/home/me/.memoryoss/memoryoss.toml", "server.port", "9000");
 * ```
 */
export async function setConfigKey(
  file: string,
  key: string,
  raw: string,
  opts: { template?: string } = {},
): Promise<ConfigSetResult> {
  const path = configKeyPath(key);
  const { text, target, created } = await readConfigText(file, opts.template);
  const value = configValue(path, raw, file);
  const before = parseTomlText(text, file);
  const previous = getIn(before, path);
  const next = setTomlKey(text, path, value);
  if (next === null) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      `${file}: ${path.join(".")}: the file sets it in a form 'config set' cannot edit in ` +
        "place; edit the file by hand",
      path,
    );
  }
  // The whole file as it would load: a bad value names its key path and nothing is written.
  checkConfig(parseTomlText(next, file), file);
  const changed = next !== text;
  if (changed || created) await writeAtomic(target, next);
  return { file, key: path.join("."), value, previous, changed, created };
}

async function readConfigText(
  file: string,
  template: string | undefined,
): Promise<{ text: string; target: string; created: boolean }> {
  try {
    // Write through a symlink to the file it names, not over the link.
    const target = await Deno.realPath(file);
    return { text: await Deno.readTextFile(target), target, created: false };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && template !== undefined) {
      await Deno.mkdir(dirname(file), { recursive: true, mode: 0o700 });
      return { text: template, target: file, created: true };
    }
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError("INVALID_CONFIG", `config file not found: ${file}`);
    }
    throw new MemoryossError("IO", `cannot read ${file}: ${(e as Error).message.split(":")[0]}`);
  }
}

/** Write beside the file, mode 0600, then rename over it: readers see the old or the new. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text, { createNew: true, mode: 0o600 });
    if (Deno.build.os !== "windows") await Deno.chmod(tmp, 0o600);
    await Deno.rename(tmp, file);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new MemoryossError("IO", `cannot write ${file}: ${(e as Error).message.split(":")[0]}`);
  }
}

/** `value` as shown for KEY: `***` when the key (or a table above it) holds a secret. */
export function shownConfigValue(path: string[], value: unknown): unknown {
  let wrapped: unknown = value;
  for (const k of [...path].reverse()) wrapped = { [k]: wrapped };
  return getIn(redactSecrets(wrapped), path);
}

/**
 * The effective value of KEY (secrets as `***` unless `showSecrets`); INVALID_INPUT for a key
 * the configuration does not have.
 *
 * @example
 * ```ts
 * getConfigKey(config, "server.port"); // 8000
 * ```
 */
export function getConfigKey(
  config: Config,
  key: string,
  opts: { showSecrets?: boolean } = {},
): unknown {
  const path = configKeyPath(key);
  const shown = opts.showSecrets ? config : redactSecrets(config);
  const value = getIn(shown, path);
  if (value === undefined) {
    throw new MemoryossError("INVALID_INPUT", `unknown config key '${path.join(".")}'`, ["key"]);
  }
  return value;
}
