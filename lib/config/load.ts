/**
 * Loading the configuration: resolve the home, read (or create) `memoryoss.toml` and the key
 * file. Kept free of static zod and TOML imports: the unchanged template written on first run
 * (most homes) is known to equal the defaults, so only an edited file loads the parser and
 * the schema (`parse.ts`), whose errors name the key. Hot commands import this module
 * directly (a barrel evaluates every module it re-exports; docs/benchmarks.md "Start-up").
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import { Keyring, unlockVaultKey } from "../crypto/mod.ts";
// The leaf, not lib/store/mod.ts: this loader is on every command's start-up path.
import { sealedKidInFile } from "../store/dbfile_sql.ts";
import type { Config } from "./schema.ts";
import { CONFIG_TEMPLATE } from "./template.ts";
import { DEFAULTS_FOR, DEFAULTS_JSON, templateFingerprint } from "./template_defaults.ts";
import { type EnvGet, resolveHome } from "./home.ts";
import type * as Parse from "./parse.ts";
import type * as Compat from "./compat.ts";

/** A loaded configuration with the paths it was resolved against. */
export interface LoadedConfig {
  config: Config;
  home: string;
  /** The config file read, or null when defaults were used without a file. */
  configPath: string | null;
  /** Absolute path of the SQLite database. */
  dbPath: string;
  keyPath: string;
  /**
   * One line per memoryOSS key that has no effect here (`warning: tls.enabled: …`); `serve`
   * and `config show` print them.
   */
  warnings: string[];
}

/** Options for {@link loadConfig}. */
export interface LoadOptions {
  /** `-c/--config FILE`; when given it must exist. */
  configPath?: string;
  env?: EnvGet;
  /** Create the home, the commented config and the key when missing (default true). */
  init?: boolean;
  /**
   * The command does not serve memories from the configured store (`config`, `migrate`):
   * `[storage] backend = "postgres"` is not refused. Every other command refuses it for now.
   */
  anyBackend?: boolean;
}

const CONFIG_FILE = "memoryoss.toml";
const KEY_FILE = "memoryoss.key";

/**
 * Resolve the home, read (or create) the config and the key file.
 * Exits through `MemoryossError` ("INVALID_CONFIG" → exit 3, "IO" → exit 2) with one line.
 */
export async function loadConfig(opts: LoadOptions = {}): Promise<LoadedConfig> {
  const env = opts.env ?? ((k: string) => Deno.env.get(k));
  const home = resolve(resolveHome(env));
  const init = opts.init ?? true;
  let configPath: string | null;
  let text: string | null = null;
  if (opts.configPath) {
    configPath = resolve(opts.configPath);
    text = await readTextOrNull(configPath);
    if (text === null) {
      throw new MemoryossError("INVALID_CONFIG", `config file not found: ${configPath}`);
    }
  } else {
    configPath = join(home, CONFIG_FILE);
    text = await readTextOrNull(configPath);
    if (text === null) {
      if (init) {
        await ensureHome(home);
        await writeNew(configPath, CONFIG_TEMPLATE, 0o600);
        text = CONFIG_TEMPLATE;
      } else {
        configPath = null;
      }
    }
  }
  const { config, warnings } = await validated(text, configPath ?? "config");
  applyEnv(config, env);
  checkBackend(config, env, opts.anyBackend ?? false);
  if (init) await ensureHome(home);
  const keyPath = join(home, KEY_FILE);
  const dbPath = isAbsolute(config.storage.path)
    ? config.storage.path
    : join(home, config.storage.path);
  const vault = config.encryption.provider === "vault";
  if (vault) {
    // Once, when the existing key file was just wrapped: every command shows it (a config
    // warning only shows in serve and config show), since the plaintext key is still on disk.
    const w = await unlockVault(keyPath, config, env, init);
    if (w) console.error(w);
  }
  // A fresh key beside sealed data (a backup restored without its key) would hide the loss.
  // (Vault homes: the keyring refuses when a command needs a key it could not unwrap.)
  // The one way a key file comes to be: whole or not at all (Keyring.ensureKeyFile), so a
  // command starting beside the one creating a fresh home never reads an empty key.
  if (init && !vault) Keyring.ensureKeyFile(keyPath, sealedKidInFile, dbPath);
  return { config, home, configPath, dbPath, keyPath, warnings };
}

/** The TOML parser with the schema (`parse.ts`) and the memoryOSS spelling notes (`compat.ts`). */
export interface ConfigParser {
  parse: typeof Parse;
  compat: typeof Compat;
}

let provided: ConfigParser | undefined;

/**
 * Hands the parser over already loaded: the single-file bundle (`bundle_entry.ts`) holds only
 * what literal imports name, and this module loads it through a specifier built at run time
 * (a literal `import()` would put zod in every start-up graph; see cli/commands.ts).
 */
export function provideConfigParser(p: ConfigParser): void {
  provided = p;
}

async function configParser(): Promise<ConfigParser> {
  if (provided) return provided;
  const at = (name: string) => `./${name}.ts`;
  return { parse: await import(at("parse")), compat: await import(at("compat")) };
}

/**
 * The config a text describes (null: no file, the defaults). The template as written on first
 * run is the defaults (tests/config/load_fast_test.ts holds the two together), so it needs
 * neither the TOML parser nor the schema; any other text goes through both.
 */
async function validated(
  text: string | null,
  source: string,
): Promise<{ config: Config; warnings: string[] }> {
  if (text === CONFIG_TEMPLATE || text === null) {
    return { config: await templateDefaults(), warnings: [] };
  }
  const { parse: { parseConfigNotes }, compat: { warningLine } } = await configParser();
  const { config, notes } = parseConfigNotes(text, source);
  return { config, warnings: notes.filter((n) => n.kind === "ignored").map(warningLine) };
}

/**
 * The template's values: every key at its default (a fresh copy; callers may change it). From
 * the generated JSON (template_defaults.ts) while it was made from this template; else the
 * template is parsed.
 */
export async function templateDefaults(): Promise<Config> {
  if (templateFingerprint(CONFIG_TEMPLATE) === DEFAULTS_FOR) {
    return JSON.parse(DEFAULTS_JSON) as Config;
  }
  const { parse } = await configParser();
  return structuredClone(parse.parseTomlText(CONFIG_TEMPLATE, "template")) as unknown as Config;
}

/**
 * `[encryption] provider = "vault"`: unwrap the home's key through Vault Transit (lib/crypto),
 * wrapping the existing or a new key first on a home that has none wrapped yet (`create`).
 * A command without network rights leaves it locked: only commands that open sealed data need
 * it, and they refuse with one line rather than make a new key.
 */
async function unlockVault(
  keyPath: string,
  config: Config,
  env: EnvGet,
  create: boolean,
): Promise<string | null> {
  const e = config.encryption;
  try {
    const r = await unlockVaultKey(keyPath, {
      vault_address: e.vault_address || env("VAULT_ADDR") || "",
      vault_token: e.vault_token || env("VAULT_TOKEN") || "",
      vault_mount: e.vault_mount,
      vault_key_name: e.vault_key_name,
    }, { create, now: new Date() });
    return r?.warning ?? null;
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) return null;
    throw err;
  }
}

/**
 * `[storage] backend = "postgres"`: the URL from the file or `MEMORYOSS_DATABASE_URL`, and
 * one line refusing commands that would open the store, since only `migrate` reads Postgres
 * so far (issue 22; no silent fallback to the SQLite file).
 */
function checkBackend(config: Config, env: EnvGet, anyBackend: boolean): void {
  const s = config.storage;
  if (s.backend !== "postgres") return;
  if (!s.url) s.url = env("MEMORYOSS_DATABASE_URL") ?? "";
  if (!s.url) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      'storage.url: backend = "postgres" needs url = "postgres://…" (or MEMORYOSS_DATABASE_URL)',
      ["storage", "url"],
    );
  }
  if (anyBackend) return;
  throw new MemoryossError(
    "INVALID_CONFIG",
    'storage.backend = "postgres": the Postgres engine serves only `memoryoss migrate` so far ' +
      '(issue 22); set backend = "sqlite" to use this home (docs/scaling.md)',
    ["storage", "backend"],
  );
}

/** Environment overrides win over the file, as users expect for secrets. */
function applyEnv(config: Config, env: EnvGet): void {
  const key = env("MEMORYOSS_EMBEDDINGS_API_KEY");
  if (key) config.embeddings.api_key = key;
  // memoryOSS's variable for the bundle/receipt HMAC secret wins over [auth].
  const hmac = env("MEMORYOSS_AUDIT_HMAC_SECRET");
  if (hmac) config.auth.audit_hmac_secret = hmac;
}

// Synchronous file operations on every command's start: an async one is a hop to Deno's I/O
// threads and back, which on a loaded machine waits for the scheduler (issue 18, item 5).
// deno-lint-ignore require-await
async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new MemoryossError("IO", `cannot read ${path}: ${ioReason(e)}`);
  }
}

/** A short reason for a file-system failure, without Deno's flag advice. */
export function ioReason(e: unknown): string {
  if (e instanceof Deno.errors.NotCapable) return "this location is not accessible";
  if (e instanceof Deno.errors.NotADirectory) return "a path component is not a folder";
  return (e as Error).message.split(":")[0];
}

// deno-lint-ignore require-await
async function ensureHome(home: string): Promise<void> {
  try {
    Deno.mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new MemoryossError(
      "IO",
      `cannot create home folder ${home}: ${
        (e as Error).message
      } (set MEMORYOSS_HOME to a writable folder)`,
    );
  }
}

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    await Deno.writeTextFile(path, text, { createNew: true, mode });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return;
    throw new MemoryossError("IO", `cannot write ${path}: ${ioReason(e)}`);
  }
}
