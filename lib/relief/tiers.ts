/**
 * Tier planning: which stages run, in which order, and why the others are skipped. Pure.
 * Order matters (specs/memoria.md §3.1): trims fill the standby and modified lists, the flush
 * moves modified to standby, the purge moves standby to free; combine runs before purges;
 * our own process is trimmed last.
 *
 * @module
 */
import type { BackendFacts, Platform, StageName, Tier } from "./types.ts";

/** What a stage needs and does. */
export interface StageMeta {
  api: string;
  requiresAdmin: boolean;
  /** Windows privilege that must be enabled first. */
  privilege?: "SeProfileSingleProcessPrivilege" | "SeIncreaseQuotaPrivilege";
  /** Minimum Windows version (major, minor). */
  minWindows?: [number, number];
  /** The honest one-line effect, shown with every run of the stage. */
  note: string;
}

const PROFILE = "SeProfileSingleProcessPrivilege" as const;
const QUOTA = "SeIncreaseQuotaPrivilege" as const;

const WINDOWS_META: Partial<Record<StageName, StageMeta>> = {
  process_trim: {
    api: "K32EmptyWorkingSet",
    requiresAdmin: false,
    note: "working sets moved to the standby/modified lists; pages fault back in on use",
  },
  global_ws_empty: {
    api: "NtSetSystemInformation(80,2)",
    requiresAdmin: true,
    privilege: PROFILE,
    note: "every working set emptied, the foreground app's too",
  },
  file_cache_trim: {
    api: "NtSetSystemInformation(81)",
    requiresAdmin: true,
    privilege: QUOTA,
    note: "system file cache moved to standby; available barely changes",
  },
  combine_pages: {
    api: "NtSetSystemInformation(130)",
    requiresAdmin: true,
    privilege: PROFILE,
    minWindows: [10, 0],
    note: "identical pages merged: the one stage that really frees memory",
  },
  modified_flush: {
    api: "NtSetSystemInformation(80,3)",
    requiresAdmin: true,
    privilege: PROFILE,
    note: "modified pages written out and moved to standby",
  },
  standby_purge: {
    api: "NtSetSystemInformation(80,4)",
    requiresAdmin: true,
    privilege: PROFILE,
    note: "standby moved to free; available unchanged by design; later reads hit the disk",
  },
  standby_priority0_purge: {
    api: "NtSetSystemInformation(80,5)",
    requiresAdmin: true,
    privilege: PROFILE,
    note: "lowest-priority standby moved to free; available unchanged by design",
  },
  registry_flush: {
    api: "NtSetSystemInformation(155)",
    requiresAdmin: true,
    minWindows: [6, 3],
    note: "registry hives reconciled; housekeeping that saves little memory",
  },
  self_trim: {
    api: "K32EmptyWorkingSet(self)",
    requiresAdmin: false,
    note: "our own working set moved to standby",
  },
};

const LINUX_META: Partial<Record<StageName, StageMeta>> = {
  process_trim: {
    api: "process_madvise(MADV_PAGEOUT)",
    requiresAdmin: false,
    note: "anonymous pages moved to swap/zram; they fault back in on use",
  },
  cgroup_reclaim: {
    api: "memory.reclaim (own cgroup)",
    requiresAdmin: false,
    note: "kernel reclaim in our cgroup: clean cache dropped, anonymous pages moved to swap",
  },
  system_reclaim: {
    api: "memory.reclaim (root cgroup)",
    requiresAdmin: true,
    note: "system-wide kernel reclaim: clean cache dropped, anonymous pages moved to swap",
  },
  compaction: {
    api: "/proc/sys/vm/compact_memory",
    requiresAdmin: true,
    note: "physical memory defragmented; frees nothing",
  },
  drop_caches: {
    api: "sync + /proc/sys/vm/drop_caches=1",
    requiresAdmin: true,
    note: "clean page cache dropped; it is read from disk again when needed",
  },
  self_trim: {
    api: "process_madvise(MADV_PAGEOUT, self)",
    requiresAdmin: false,
    note: "our own anonymous pages moved to swap/zram",
  },
};

const DARWIN_META: Partial<Record<StageName, StageMeta>> = {
  process_trim: {
    api: "none (report only)",
    requiresAdmin: false,
    note: "macOS has no supported per-process trim; the compressor is always on",
  },
};

const PLANS: Record<Platform, Record<Tier, StageName[]>> = {
  windows: {
    safe: ["process_trim", "self_trim"],
    standard: [
      "process_trim",
      "file_cache_trim",
      "combine_pages",
      "standby_priority0_purge",
      "registry_flush",
      "self_trim",
    ],
    aggressive: [
      "process_trim",
      "global_ws_empty",
      "file_cache_trim",
      "combine_pages",
      "modified_flush",
      "standby_purge",
      "registry_flush",
      "self_trim",
    ],
  },
  linux: {
    safe: ["process_trim", "cgroup_reclaim", "self_trim"],
    // memoria §4: standard (root) = cgroup reclaim (ours, then the root cgroup's) + compaction.
    standard: ["process_trim", "cgroup_reclaim", "system_reclaim", "compaction", "self_trim"],
    aggressive: [
      "process_trim",
      "cgroup_reclaim",
      "system_reclaim",
      "compaction",
      "drop_caches",
      "self_trim",
    ],
  },
  darwin: { safe: ["process_trim"], standard: ["process_trim"], aggressive: ["process_trim"] },
};

/**
 * A stage's metadata on a platform.
 *
 * @example
 * ```ts
 * stageMeta("windows", "standby_purge").requiresAdmin; // true
 * ```
 */
export function stageMeta(platform: Platform, name: StageName): StageMeta {
  const table = platform === "windows"
    ? WINDOWS_META
    : platform === "linux"
    ? LINUX_META
    : DARWIN_META;
  const meta = table[name];
  if (!meta) throw new Error(`stage ${name} does not exist on ${platform}`);
  return meta;
}

/** One planned stage: run it, or skip it with a reason. */
export interface PlannedStage {
  name: StageName;
  meta: StageMeta;
  run: boolean;
  reason: string | null;
}

/** The plan for one run. */
export interface Plan {
  stages: PlannedStage[];
  tierEffective: Tier;
  /** An admin tier was asked for without admin: counts as partial (exit 1). */
  downgraded: boolean;
  notes: string[];
}

/** Options that shape the plan. */
export interface PlanOptions {
  dryRun: boolean;
  /** `--pid`: only trim these processes; every other stage is skipped. */
  onlyPids: boolean;
}

/**
 * Plan the stages of `tier` on `platform` for the given facts.
 *
 * @example
 * ```ts
 * const facts = { isAdmin: false, canPageOut: false, hasSwap: true, windowsVersion: null, notes: [] };
 * planStages("windows", "standard", facts, { dryRun: false, onlyPids: false }).downgraded; // true
 * ```
 */
export function planStages(
  platform: Platform,
  tier: Tier,
  facts: BackendFacts,
  opts: PlanOptions,
): Plan {
  const notes: string[] = [];
  const downgraded = tier !== "safe" && !facts.isAdmin && platform !== "darwin";
  if (downgraded) {
    notes.push(
      `tier '${tier}' needs ${
        platform === "windows" ? "an elevated administrator" : "root"
      }; ran the 'safe' stages only`,
    );
  }
  if (platform === "darwin") {
    notes.push(
      "macOS: report only; 'sudo purge' flushes the disk cache, the compressor is always on",
    );
  }
  const stages = PLANS[platform][tier].map((name): PlannedStage => {
    const meta = stageMeta(platform, name);
    const reason = skipReason(platform, name, meta, facts, opts);
    return { name, meta, run: reason === null, reason };
  });
  if (platform === "linux" && !facts.hasSwap && !opts.onlyPids) {
    notes.push(
      "no swap or zram: anonymous memory cannot be paged out, so per-process page-out is skipped",
    );
  }
  return { stages, tierEffective: downgraded ? "safe" : tier, downgraded, notes };
}

function skipReason(
  platform: Platform,
  name: StageName,
  meta: StageMeta,
  facts: BackendFacts,
  opts: PlanOptions,
): string | null {
  if (platform === "darwin") return "not_supported_os";
  if (opts.onlyPids && name !== "process_trim") return "not_requested";
  if (meta.requiresAdmin && !facts.isAdmin) return "requires_admin";
  if (meta.minWindows && facts.windowsVersion) {
    const [maj, min] = meta.minWindows;
    const v = facts.windowsVersion;
    if (v.major < maj || (v.major === maj && v.minor < min)) return "not_supported_os";
  }
  if (platform === "linux" && (name === "process_trim" || name === "self_trim")) {
    if (name === "process_trim" && !facts.canPageOut) return "requires_admin";
    if (!facts.hasSwap) return "no_swap";
  }
  return opts.dryRun ? "dry_run" : null;
}
