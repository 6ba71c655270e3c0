/**
 * Read-only view of what `relief` wrote under the home (`<home>/relief/state.json` and
 * `history.jsonl`), for the dashboard. This module imports no platform backend and no ffi:
 * the server, which holds neither ffi nor subprocess rights, reads relief's files through it.
 *
 * @module
 */
import { join } from "node:path";
import { type HistoryEntry, readHistory } from "./history.ts";
import { loadState, type ReliefState, STATE_FILE } from "./state.ts";

/** The relief folder under a home. */
export const RELIEF_DIR = "relief";

/** What the dashboard's relief page shows. */
export interface ReliefView {
  /** False until `relief` has written its state file (the state is then the defaults). */
  has_state: boolean;
  state: ReliefState;
  /** The last runs, oldest first. */
  history: HistoryEntry[];
}

/**
 * Read relief's state and its last `limit` history entries; never writes.
 *
 * @example
 * ```ts
 * const v = await readReliefView(home, 50);
 * v.history.at(-1)?.exit_status; // "ok"
 * ```
 */
export async function readReliefView(home: string, limit = 50): Promise<ReliefView> {
  const dir = join(home, RELIEF_DIR);
  const has = await Deno.stat(join(dir, STATE_FILE)).then((s) => s.isFile, () => false);
  const [state, history] = await Promise.all([loadState(dir), readHistory(dir, limit)]);
  return { has_state: has, state, history };
}
