/**
 * From byte samples to the contract's units: snapshots in GB (3 decimals), deltas in MB
 * (1 decimal, signed). Pure.
 *
 * @module
 */
import type { Delta, Snapshot } from "./schema.ts";
import type { MemSample } from "./types.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Bytes → MB rounded to 0.1 (null stays null).
 *
 * @example
 * ```ts
 * toMb(1572864); // 1.5
 * ```
 */
export function toMb(bytes: number): number;
export function toMb(bytes: number | null): number | null;
export function toMb(bytes: number | null): number | null {
  return bytes === null ? null : Math.round((bytes / MiB) * 10) / 10;
}

/** Bytes → GB rounded to 0.001 (null stays null). */
export function toGb(bytes: number | null): number | null {
  return bytes === null ? null : Math.round((bytes / GiB) * 1000) / 1000;
}

/**
 * used % = (total − available) / total, rounded to 0.1.
 *
 * @example
 * ```ts
 * usedPct({ total: 100, available: 25 }); // 75
 * ```
 */
export function usedPct(s: Pick<MemSample, "total" | "available">): number {
  if (s.total <= 0) return 0;
  const pct = ((s.total - s.available) / s.total) * 100;
  return Math.min(100, Math.max(0, Math.round(pct * 10) / 10));
}

/**
 * A byte sample as the JSON snapshot.
 *
 * @example
 * ```ts
 * toSnapshot(sample).available_gb;
 * ```
 */
export function toSnapshot(s: MemSample): Snapshot {
  const byPriority = s.standby_by_priority ? s.standby_by_priority.map((b) => toGb(b)!) : null;
  return {
    taken_at: new Date(s.taken_at).toISOString(),
    total_gb: toGb(s.total)!,
    available_gb: toGb(s.available)!,
    used_pct: usedPct(s),
    free_gb: toGb(s.free),
    zeroed_gb: toGb(s.zeroed),
    cache_gb: toGb(s.cache),
    standby_gb: toGb(s.standby),
    standby_by_priority: byPriority,
    standby_by_priority_gb: byPriority && [...byPriority],
    modified_gb: toGb(s.modified),
    compressed_gb: toGb(s.compressed),
    commit_used_gb: toGb(s.commit_used),
    commit_limit_gb: toGb(s.commit_limit),
    commit_peak_gb: toGb(s.commit_peak),
    pagefile_used_gb: toGb(s.pagefile_used),
    kernel_paged_gb: toGb(s.kernel_paged),
    kernel_nonpaged_gb: toGb(s.kernel_nonpaged),
    handles: s.handles,
    processes: s.processes,
    threads: s.threads,
    pressure: s.pressure,
    pressure_level: s.pressure_level,
    foreground_image: s.foreground_image,
    unavailable: s.unavailable,
  };
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);

/**
 * Signed MB deltas from `a` to `b`, one per list, so moves between lists stay visible.
 *
 * @example
 * ```ts
 * sampleDelta(before, after).standby_mb; // −312 after a standby purge
 * ```
 */
export function sampleDelta(a: MemSample, b: MemSample): Delta {
  return {
    available_mb: toMb(b.available - a.available),
    free_mb: toMb(diff(a.free, b.free)),
    standby_mb: toMb(diff(a.standby, b.standby)),
    modified_mb: toMb(diff(a.modified, b.modified)),
    compressed_mb: toMb(diff(a.compressed, b.compressed)),
    commit_mb: toMb(diff(a.commit_used, b.commit_used)),
  };
}
