/** A blank byte sample every backend fills in. */
import type { MemSample } from "./types.ts";

/**
 * A sample with only total and available set; every other field null until a backend fills
 * it (and says in `unavailable` why a field stays null).
 *
 * @example
 * ```ts
 * emptySample(Date.now(), 8 << 30, 4 << 30).free; // null
 * ```
 */
export function emptySample(now: number, total: number, available: number): MemSample {
  return {
    taken_at: now,
    total,
    available,
    free: null,
    zeroed: null,
    cache: null,
    standby: null,
    standby_by_priority: null,
    modified: null,
    compressed: null,
    commit_used: null,
    commit_limit: null,
    commit_peak: null,
    pagefile_used: null,
    kernel_paged: null,
    kernel_nonpaged: null,
    handles: null,
    processes: null,
    threads: null,
    pressure: null,
    pressure_level: null,
    foreground_image: null,
    unavailable: {},
  };
}
