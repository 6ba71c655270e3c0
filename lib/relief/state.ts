/**
 * Relief state in `<home>/relief/state.json`: the last run and the auto-clean pacing (so a
 * restarted `relief auto` keeps its cooldown and back-off).
 *
 * @module
 */
import { join } from "node:path";
import type { ReliefReport } from "./schema.ts";

/** The state file's content. */
export interface ReliefState {
  version: 1;
  last_run: {
    when: string;
    mode: string;
    tier: string | null;
    exit_status: number;
    freed_mb: number;
  } | null;
  auto: {
    last_clean_at: string | null;
    cooldown_ms: number;
    low_yield_streak: number;
  };
}

/** The state file name under a relief folder. */
export const STATE_FILE = "state.json";

/** A fresh state. */
export function emptyState(): ReliefState {
  return {
    version: 1,
    last_run: null,
    auto: { last_clean_at: null, cooldown_ms: 0, low_yield_streak: 0 },
  };
}

/**
 * Read the state; a missing or unreadable file gives a fresh state (pacing restarts, nothing
 * else depends on it).
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
    return { ...base, ...raw, auto: { ...base.auto, ...raw.auto } };
  } catch {
    return emptyState();
  }
}

/** Write the state atomically (temp file + rename), so a crash never leaves half a file. */
export async function saveState(dir: string, state: ReliefState): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `${STATE_FILE}.${Deno.pid}.tmp`);
  await Deno.writeTextFile(tmp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  await Deno.rename(tmp, join(dir, STATE_FILE));
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
      tier: r.tier_effective,
      exit_status: r.exit_status,
      freed_mb: r.freed_mb,
    },
  };
}
