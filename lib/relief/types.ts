/**
 * Shared types of the relief engine: tiers, stage names, the byte-level memory sample, the
 * process view the guard works on, and the `Backend` each OS implements.
 *
 * @module
 */

/** Cleanup strength; `safe` needs no admin and is what scheduled runs use. */
export type Tier = "safe" | "standard" | "aggressive";
/** Every tier, weakest first. */
export const TIERS: readonly Tier[] = ["safe", "standard", "aggressive"];

/** The operating systems relief knows. */
export type Platform = "windows" | "linux" | "darwin";

/** Every stage name across platforms (the JSON contract's `stages[].name`). */
export type StageName =
  | "process_trim"
  | "global_ws_empty"
  | "file_cache_trim"
  | "combine_pages"
  | "modified_flush"
  | "standby_purge"
  | "standby_priority0_purge"
  | "registry_flush"
  | "cgroup_reclaim"
  | "system_reclaim"
  | "compaction"
  | "drop_caches"
  | "self_trim";

/** A stage or process outcome. */
export type Status = "ok" | "error" | "skipped";

/**
 * One memory sample in bytes (counts for handles/processes/threads). `null` means the OS does
 * not give the value or we may not read it; `unavailable` says why, per field.
 */
export interface MemSample {
  taken_at: number;
  total: number;
  available: number;
  free: number | null;
  zeroed: number | null;
  cache: number | null;
  standby: number | null;
  standby_by_priority: number[] | null;
  modified: number | null;
  compressed: number | null;
  commit_used: number | null;
  commit_limit: number | null;
  commit_peak: number | null;
  pagefile_used: number | null;
  kernel_paged: number | null;
  kernel_nonpaged: number | null;
  handles: number | null;
  processes: number | null;
  threads: number | null;
  pressure: PressureSample | null;
  pressure_level: string | null;
  foreground_image: string | null;
  unavailable: Record<string, string>;
}

/** PSI memory averages (percent of time stalled). */
export interface PressureSample {
  some_avg10: number;
  some_avg60: number;
  some_avg300: number;
  full_avg10: number | null;
  full_avg60: number | null;
  full_avg300: number | null;
}

/** A process as the guard sees it. */
export interface ProcInfo {
  pid: number;
  /** Parent PID, or null when the OS did not say. */
  ppid: number | null;
  /** Image (executable) name, e.g. "chrome.exe" or "node". */
  image: string;
  /** Working set / RSS in bytes; null when the process may not be queried. */
  ws: number | null;
  /** Private bytes (PrivateUsage / RssAnon) when known. */
  private: number | null;
}

/** What the backend knows about the foreground. */
export interface ForegroundInfo {
  /** False when it cannot be determined (session 0, no desktop): reported as null. */
  detected: boolean;
  pid: number | null;
  image: string | null;
  /** PIDs spared as part of the foreground tree (the foreground PID and its descendants). */
  pids: number[];
  note?: string;
}

/** One process's trim result. */
export interface TrimOutcome {
  status: Status;
  reason?: string;
  /** Working set after the trim, when it could be read. */
  wsAfter: number | null;
}

/** A system stage's result, before the engine adds timing and deltas. */
export interface StageOutcome {
  status: Status;
  reason?: string;
  /** Overrides the stage's default API text (e.g. a fallback was used). */
  api?: string;
  /** NTSTATUS as Windows tools print it ("0xC0000022"). */
  ntstatus?: string;
  errno?: number;
  note?: string;
}

/** Facts the planner needs, gathered once per run. */
export interface BackendFacts {
  isAdmin: boolean;
  /** Linux: root or CAP_SYS_NICE, needed by process_madvise on other processes. */
  canPageOut: boolean;
  /** Linux: swap or zram present (anonymous pages have nowhere to go otherwise). */
  hasSwap: boolean;
  /** Windows version from RtlGetVersion, when known. */
  windowsVersion: { major: number; minor: number; build: number } | null;
  notes: string[];
}

/** One OS implementation. All I/O lives behind this; the engine above it is OS-neutral. */
export interface Backend {
  platform: Platform;
  facts(): Promise<BackendFacts>;
  sample(): Promise<MemSample>;
  /** Enable what the running stages need (Windows privileges); returns name → result. */
  prepare(stages: StageName[]): Promise<Record<string, string>>;
  listProcesses(): Promise<ProcInfo[]>;
  foreground(procs: ProcInfo[]): Promise<ForegroundInfo>;
  trimProcess(p: ProcInfo): Promise<TrimOutcome>;
  runStage(name: StageName): Promise<StageOutcome>;
  close(): void;
}

/** Time, injectable so cooldowns and elapsed times are testable. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock.
 *
 * @example
 * ```ts
 * await systemClock.sleep(10);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const id = setTimeout(done, ms);
      function done() {
        clearTimeout(id);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/** Minimal file access, injectable so /proc, /sys and the home can be faked. */
export interface FsLike {
  readText(path: string): Promise<string>;
  /** `create: false` for /proc and /sys knobs: creating a missing one fails confusingly. */
  writeText(
    path: string,
    text: string,
    opts?: { append?: boolean; mode?: number; create?: boolean },
  ): Promise<void>;
  readDir(path: string): Promise<string[]>;
}
