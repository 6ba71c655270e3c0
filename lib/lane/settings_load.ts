/**
 * Reading the layers of the lane's settings: `.env` in the working directory (parsed by
 * node:util's `parseEnv`, the dotenv format) and `<state-dir>/lane.toml`.
 */
import { join } from "node:path";
import { parseEnv } from "node:util";
import { parse as parseToml } from "smol-toml";
import { type EnvGet, resolveHome } from "../config/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { unlessDenied } from "./denied.ts";
import {
  layeredEnv,
  type ResolvedSettings,
  resolveSettings,
  SETTING_KEYS,
  type SettingKey,
} from "./settings.ts";

/** The config file's name inside the state folder. */
export const LANE_CONFIG_FILE = "lane.toml";

/** A `.env` file that was found, and its variables. */
export interface Dotenv {
  path: string;
  vars: Record<string, string>;
}

/**
 * `<dir>/.env` when it exists (cmmd loads `.env` from its working directory).
 *
 * @example
 * ```ts
 * (await loadDotenv(Deno.cwd()))?.vars.DRY_RUN; // "false" when .env says so
 * ```
 */
export async function loadDotenv(dir: string): Promise<Dotenv | null> {
  const path = join(dir, ".env");
  const text = await Deno.readTextFile(path).catch(unlessDenied(null, `read ${path}`));
  if (text === null) return null;
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseEnv(text))) if (v !== undefined) vars[k] = v;
  return { path, vars };
}

/**
 * The config file's settings as strings. Keys are cmmd's names (case does not matter);
 * `MEMORY_ROOTS` may be an array. A missing file is empty; an unknown key or a table is
 * INVALID_CONFIG naming the file and the key.
 *
 * @example
 * ```ts
 * await loadLaneConfig("/m/lane/lane.toml"); // { TICK_INTERVAL_SEC: "600" }
 * ```
 */
export async function loadLaneConfig(path: string): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(path).catch(unlessDenied(null, `read ${path}`));
  if (text === null) return {};
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (e) {
    const first = (e as Error).message.split("\n")[0];
    throw new MemoryossError("INVALID_CONFIG", `${path}: ${first}`);
  }
  const out: Record<string, string> = {};
  for (const [rawKey, v] of Object.entries(doc)) {
    const key = rawKey.toUpperCase();
    const bad = (why: string) => new MemoryossError("INVALID_CONFIG", `${path}: ${rawKey}: ${why}`);
    if (!(SETTING_KEYS as string[]).includes(key)) {
      throw bad(`unknown setting (one of: ${SETTING_KEYS.join(", ")})`);
    }
    if (Array.isArray(v) && key === "MEMORY_ROOTS" && v.every((x) => typeof x === "string")) {
      out[key] = v.join(Deno.build.os === "windows" ? ";" : ":");
    } else if (["string", "number", "boolean"].includes(typeof v)) out[key] = String(v);
    else throw bad("must be a string, number or boolean");
  }
  return out;
}

/** Where to look, and the flags given. */
export interface LoadSettingsOptions {
  flags: Partial<Record<SettingKey, string>>;
  env: EnvGet;
  cwd: string;
  /** `--state-dir`, else `$MEMORYOSS_HOME/lane`. */
  stateDir?: string;
}

/** Resolved settings plus the files they came from. */
export interface LoadedSettings extends ResolvedSettings {
  stateDir: string;
  dotenv: Dotenv | null;
  configPath: string;
}

/**
 * Read `.env` and `lane.toml` and resolve every setting.
 *
 * @example
 * ```ts
 * const s = await loadSettings({ flags: {}, env: (k) => Deno.env.get(k), cwd: Deno.cwd() });
 * s.values.DRY_RUN; // true unless set
 * ```
 */
export async function loadSettings(o: LoadSettingsOptions): Promise<LoadedSettings> {
  const dotenv = await loadDotenv(o.cwd);
  const vars = dotenv?.vars ?? {};
  // MEMORYOSS_HOME itself may come from .env.
  const stateDir = o.stateDir ?? join(resolveHome((k) => o.env(k) ?? vars[k]), "lane");
  const configPath = join(stateDir, LANE_CONFIG_FILE);
  const config = await loadLaneConfig(configPath);
  const layers = { flags: o.flags, env: o.env, dotenv: vars, config };
  const resolved = resolveSettings(layers, {
    env: layeredEnv(layers),
    cwd: o.cwd,
    stateDir,
  });
  return { ...resolved, stateDir, dotenv, configPath };
}
