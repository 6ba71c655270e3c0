/**
 * The lane's settings under cmmd's names (spec §4.6), from five layers, first match wins:
 * a command-line flag, the process environment, `.env` in the working directory, the lane's
 * config file `<state-dir>/lane.toml`, then the default. Values from the environment, `.env`
 * or the config file parse as cmmd parses them: a boolean is false only for `false`, `0`, `no`
 * or `off` (any other value, the empty one included, is true) and a number that does not
 * parse falls back to its default (named in `warnings`).
 */
import { delimiter, join } from "node:path";
import type { EnvGet } from "../config/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { defaultMemoryRoot } from "./paths.ts";

/** Where a value came from. */
export type SettingSource = "flag" | "env" | ".env" | "config" | "default";

/** Every setting, by cmmd's name. */
export interface LaneSettings {
  MEMORY_ROOT: string;
  /** Extra roots after the primary one (an entry equal to the primary root is dropped). */
  MEMORY_ROOTS: string[];
  TICK_INTERVAL_SEC: number;
  MIN_IDLE_SEC: number;
  MAX_TICK_SECONDS: number;
  DRY_RUN: boolean;
  GIT_TRACK_MEMORY: boolean;
  MODEL: string;
  MAX_TURNS: number;
  CLAUDE_BIN: string;
  AUTHMUX_BIN: string;
  CLAUDE_ACCOUNTS_DIR: string;
  CLAUDE_CONFIG_DIR: string | null;
  STATE_FILE: string;
  HISTORY_FILE: string;
  /** `host:port`; empty: no metrics listener. */
  METRICS_BIND: string;
  /** `http://host[:port][/path]`; empty: no webhook. */
  WEBHOOK_URL: string;
  LOG_FILE: string;
  /** Unset: the lock file alone holds the pid. */
  PID_FILE: string | null;
  LOCK_FILE: string;
  STATUS_SOCK: string;
  CMMD_LOG: string;
  /** Accepted for cmmd's sake; the lane needs no repository of its own. */
  CMMD_REPO: string;
}

/** A setting's name. */
export type SettingKey = keyof LaneSettings;

/** What defaults may depend on. */
export interface DefaultContext {
  /** HOME and CLAUDE_CONFIG_DIR as the layers give them. */
  env: EnvGet;
  cwd: string;
  stateDir: string;
}

interface KeyDef<T> {
  /** The value of a raw string; undefined when it does not parse. */
  parse(raw: string): T | undefined;
  def(ctx: DefaultContext): T;
}

const LEVELS = ["error", "warn", "info", "debug", "trace"];
const FALSE = new Set(["false", "0", "no", "off"]);
const bool = (): KeyDef<boolean> => ({
  parse: (s) => !FALSE.has(s.trim().toLowerCase()),
  def: () => true,
});
const count = (fallback: number, min = 0): KeyDef<number> => ({
  parse: (s) => /^\s*\d+\s*$/.test(s) && Number(s) >= min ? Number(s) : undefined,
  def: () => fallback,
});
const text = (def: (ctx: DefaultContext) => string): KeyDef<string> => ({
  parse: (s) => s,
  def,
});
const path = (def: (ctx: DefaultContext) => string): KeyDef<string> => ({
  parse: (s) => (s.trim() ? s : undefined),
  def,
});
const inState = (name: string) => path((c) => join(c.stateDir, name));
const home = (ctx: DefaultContext): string => {
  const h = ctx.env("HOME") ?? ctx.env("USERPROFILE");
  if (!h) throw new MemoryossError("INVALID_CONFIG", "HOME is not set (the lane needs it)");
  return h;
};

const KEYS: { [K in SettingKey]: KeyDef<LaneSettings[K]> } = {
  MEMORY_ROOT: path((c) => defaultMemoryRoot(c.env, c.cwd)),
  MEMORY_ROOTS: {
    parse: (s) => s.split(delimiter).map((x) => x.trim()).filter(Boolean),
    def: () => [],
  },
  TICK_INTERVAL_SEC: count(900, 1),
  MIN_IDLE_SEC: count(300),
  MAX_TICK_SECONDS: count(600, 1),
  DRY_RUN: bool(),
  GIT_TRACK_MEMORY: bool(),
  MODEL: path(() => "claude-haiku-4-5-20251001"),
  MAX_TURNS: count(12, 1),
  CLAUDE_BIN: path(() => "claude"),
  AUTHMUX_BIN: path(() => "authmux"),
  CLAUDE_ACCOUNTS_DIR: path((c) => join(home(c), ".claude-accounts")),
  CLAUDE_CONFIG_DIR: { parse: (s) => (s.trim() ? s : null), def: () => null },
  STATE_FILE: inState("state.json"),
  HISTORY_FILE: inState("history.jsonl"),
  METRICS_BIND: {
    parse: (s) => (s.trim() === "" || parseBind(s) ? s.trim() : undefined),
    def: () => "127.0.0.1:9601",
  },
  WEBHOOK_URL: {
    parse: (s) => (s.trim() === "" || WEBHOOK_RE.test(s.trim()) ? s.trim() : undefined),
    def: () => "",
  },
  LOG_FILE: inState("tend.log"),
  PID_FILE: { parse: (s) => (s.trim() ? s : null), def: () => null },
  LOCK_FILE: inState("tend.lock"),
  STATUS_SOCK: path((c) => join(c.stateDir, Deno.build.os === "windows" ? "ctl.json" : "ctl.sock")),
  CMMD_LOG: {
    parse: (s) => (LEVELS.includes(s.trim().toLowerCase()) ? s.trim().toLowerCase() : undefined),
    def: () => "info",
  },
  CMMD_REPO: text(() => "."),
};

/** Every setting name, in cmmd's table order. */
export const SETTING_KEYS = Object.keys(KEYS) as SettingKey[];

/** cmmd's webhook form: plain http, a host, an optional port and path. */
const WEBHOOK_RE = /^http:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/\S*)?$/;

/**
 * `host:port` (IPv6 in brackets) as its parts, or null when it is not one.
 *
 * @example
 * ```ts
 * parseBind("127.0.0.1:9601"); // { host: "127.0.0.1", port: 9601 }
 * ```
 */
export function parseBind(s: string): { host: string; port: number } | null {
  const m = /^\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\s*$/.exec(s);
  if (!m || Number(m[2]) > 65535) return null;
  return { host: m[1].replace(/^\[(.*)\]$/, "$1"), port: Number(m[2]) };
}

/** The raw layers, highest first (the default comes last, from the key table). */
export interface SettingLayers {
  flags: Partial<Record<SettingKey, string>>;
  env: EnvGet;
  dotenv: Record<string, string>;
  config: Record<string, string>;
}

/** Resolved settings, where each came from, and values that were ignored. */
export interface ResolvedSettings {
  values: LaneSettings;
  sources: Record<SettingKey, SettingSource>;
  /** e.g. "TICK_INTERVAL_SEC='soon' (env) is not a number ≥ 1; using 900". */
  warnings: string[];
}

/**
 * Resolve every setting.
 *
 * @example
 * ```ts
 * const r = resolveSettings({ flags: {}, env: (k) => Deno.env.get(k), dotenv: {}, config: {} },
 *   { env: (k) => Deno.env.get(k), cwd: Deno.cwd(), stateDir: "/m/lane" });
 * r.values.TICK_INTERVAL_SEC; // 900 unless set
 * ```
 */
export function resolveSettings(layers: SettingLayers, ctx: DefaultContext): ResolvedSettings {
  const values = {} as Record<SettingKey, unknown>;
  const sources = {} as Record<SettingKey, SettingSource>;
  const warnings: string[] = [];
  const order: [SettingSource, (k: string) => string | undefined][] = [
    ["flag", (k) => layers.flags[k as SettingKey]],
    ["env", layers.env],
    [".env", (k) => layers.dotenv[k]],
    ["config", (k) => layers.config[k]],
  ];
  for (const key of SETTING_KEYS) {
    const def = KEYS[key] as KeyDef<unknown>;
    let found = false;
    for (const [source, get] of order) {
      const raw = get(key);
      if (raw === undefined) continue;
      const v = def.parse(raw);
      if (v === undefined) {
        warnings.push(`${key}='${raw}' (${source}) is not valid; ignored`);
        continue;
      }
      [values[key], sources[key], found] = [v, source, true];
      break;
    }
    if (!found) [values[key], sources[key]] = [def.def(ctx), "default"];
  }
  const v = values as unknown as LaneSettings;
  v.MEMORY_ROOTS = [...new Set(v.MEMORY_ROOTS)].filter((r) => r !== v.MEMORY_ROOT);
  return { values: v, sources, warnings };
}

/** A lookup through the environment, `.env` and config layers (for HOME, CLAUDE_CONFIG_DIR). */
export function layeredEnv(layers: Omit<SettingLayers, "flags">): EnvGet {
  return (k) => layers.env(k) ?? layers.dotenv[k] ?? layers.config[k];
}
