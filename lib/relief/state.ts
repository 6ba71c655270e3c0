/**
 * Relief state in `<home>/relief/state.json`: the guard settings that persist between runs
 * (Memoria's `exclude_foreground_enabled` toggle and the whitelist), the last run, and the
 * auto-clean pacing (so a restarted `relief auto` keeps its cooldown and back-off).
 *
 * @module
 */
import { join } from "node:path";
import { upgradeRunRecord } from "./report.ts";
import type { ExitStatus, ReliefReport } from "./schema.ts";

/** The state file's content. */
export interface ReliefState {
  version: 1;
  /** Spare the foreground app (and, ours, its process tree). Memoria's name; default true. */
  exclude_foreground_enabled: boolean;
  /** Image names never trimmed. */
  whitelist: string[];
  last_run: {
    when: string;
    mode: ReliefReport["mode"];
    trigger: ReliefReport["trigger"];
    tier: string | null;
    exit_status: ExitStatus;
    exit_code: number;
    freed_mb: number;
  } | null;
  auto: {
    last_clean_at: string | null;
    cooldown_ms: number;
    low_yield_streak: number;
  };
}

/** The guard settings a run may change (undefined = keep what the state says). */
export interface GuardSettings {
  excludeForeground?: boolean;
  whitelist?: string[];
}

/** The state file name under a relief folder. */
export const STATE_FILE = "state.json";
/** Where an unreadable state file is kept before a new one replaces it. */
export const STATE_CORRUPT = "state.json.corrupt";

/** A fresh state. */
export function emptyState(): ReliefState {
  return {
    version: 1,
    exclude_foreground_enabled: true,
    whitelist: [],
    last_run: null,
    auto: { last_clean_at: null, cooldown_ms: 0, low_yield_streak: 0 },
  };
}

/**
 * Read the state; a missing or unreadable file gives a fresh state (saveState keeps an
 * unreadable file aside as `state.json.corrupt` before it writes a new one).
 *
 * @example
 * ```ts
 * const state = await loadState(`${home}/relief`);
 * ```
 */
export async function loadState(dir: string): Promise<ReliefState> {
  try {
    const raw = JSON.parse(await Deno.readTextFile(join(dir, STATE_FILE)));
    const base = emptyState();
    if (raw?.version !== 1) return base;
    return {
      ...base,
      ...raw,
      exclude_foreground_enabled: typeof raw.exclude_foreground_enabled === "boolean"
        ? raw.exclude_foreground_enabled
        : base.exclude_foreground_enabled,
      whitelist: Array.isArray(raw.whitelist)
        ? raw.whitelist.filter((w: unknown) => typeof w === "string")
        : base.whitelist,
      // a last_run written before the Memoria vocabulary, in today's form
      last_run: raw.last_run ? upgradeRunRecord(raw.last_run) as ReliefState["last_run"] : null,
      auto: { ...base.auto, ...raw.auto },
    };
  } catch {
    return emptyState();
  }
}

/**
 * Write the state atomically (temp file + rename), so a crash never leaves half a file. An
 * existing file that does not parse is kept as `state.json.corrupt` first: bad input never
 * loses data.
 */
export async function saveState(dir: string, state: ReliefState): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, STATE_FILE);
  const old = await Deno.readTextFile(file).catch(() => null);
  if (old !== null && !parses(old)) await Deno.rename(file, join(dir, STATE_CORRUPT));
  const tmp = join(dir, `${STATE_FILE}.${Deno.pid}.tmp`);
  await Deno.writeTextFile(tmp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  await Deno.rename(tmp, file);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The state with the given guard settings applied (absent ones keep their value).
 *
 * @example
 * ```ts
 * withSettings(emptyState(), { excludeForeground: false }).exclude_foreground_enabled; // false
 * ```
 */
export function withSettings(state: ReliefState, s: GuardSettings): ReliefState {
  return {
    ...state,
    exclude_foreground_enabled: s.excludeForeground ?? state.exclude_foreground_enabled,
    whitelist: s.whitelist ?? state.whitelist,
  };
}

/**
 * Record a finished run in the state.
 *
 * @example
 * ```ts
 * await saveState(dir, withLastRun(await loadState(dir), report));
 * ```
 */
export function withLastRun(state: ReliefState, r: ReliefReport): ReliefState {
  return {
    ...state,
    last_run: {
      when: r.when,
      mode: r.mode,
      trigger: r.trigger,
      tier: r.tier_effective,
      exit_status: r.exit_status,
      exit_code: r.exit_code,
      freed_mb: r.freed_mb,
    },
  };
}

/**
 * `relief state` as text.
 *
 * @example
 * ```ts
 * renderStateText(emptyState(), "/home/me/.memoryoss/relief/state.json");
 * ```
 */
export function renderStateText(s: ReliefState, path: string): string {
  const lr = s.last_run;
  return [
    `relief state (${path})`,
    `  exclude foreground  ${s.exclude_foreground_enabled ? "on" : "off"}`,
    `  whitelist           ${s.whitelist.length ? s.whitelist.join(", ") : "(empty)"}`,
    `  last run            ${
      lr
        ? `${lr.when} ${lr.trigger} ${lr.tier ?? "-"} ${lr.exit_status} (exit ${lr.exit_code}), ` +
          `${lr.freed_mb >= 0 ? "+" : ""}${lr.freed_mb} MB available`
        : "none yet"
    }`,
    `  auto                last clean ${s.auto.last_clean_at ?? "never"}, cooldown ` +
    `${Math.round(s.auto.cooldown_ms / 1000)} s, low-yield streak ${s.auto.low_yield_streak}`,
  ].join("\n");
}
