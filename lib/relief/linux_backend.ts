/**
 * The Linux backend: snapshot from /proc/meminfo and PSI, processes from /proc, page-out with
 * pidfd_open + process_madvise(MADV_PAGEOUT) through libc, and the cgroup / sysctl stages.
 * libc is opened lazily, so a snapshot never loads FFI.
 *
 * @module
 */
import {
  CAP_SYS_NICE,
  ERRNO,
  hasCapability,
  type LinuxApi,
  pageoutCandidates,
  pageoutRanges,
  parseMaps,
  parseMeminfo,
  parsePressure,
  parseStat,
  parseStatus,
  type ProcStat,
} from "../../ffi/linux/mod.ts";
import { fsErrorKind } from "./fs.ts";
import { cgroupReclaim, systemReclaim, writeSysctl } from "./linux_stages.ts";
import { emptySample } from "./sample.ts";
import type {
  Backend,
  BackendFacts,
  Clock,
  ForegroundInfo,
  FsLike,
  MemSample,
  ProcInfo,
  StageName,
  StageOutcome,
  TrimOutcome,
} from "./types.ts";

/** What the Linux backend needs from the outside. */
export interface LinuxDeps {
  fs: FsLike;
  /** Opens libc on first use. */
  libc: () => LinuxApi;
  selfPid: number;
  clock: Clock;
  /** Bytes to ask memory.reclaim for (default 512 MiB). */
  reclaimBytes?: number;
}

/**
 * A byte sample from /proc/meminfo and /proc/pressure/memory (field mapping per
 * specs/memoria.md §4).
 *
 * @example
 * ```ts
 * const s = await linuxSample(realFs, Date.now());
 * ```
 */
export async function linuxSample(fs: FsLike, now: number): Promise<MemSample> {
  const mi = parseMeminfo(await fs.readText("/proc/meminfo"));
  const s = emptySample(now, mi.MemTotal ?? 0, mi.MemAvailable ?? 0);
  const has = (k: string) => mi[k] !== undefined;
  if (!has("MemAvailable")) {
    // Kernels before 3.14: the usual estimate.
    s.available = (mi.MemFree ?? 0) + (mi.Cached ?? 0) + (mi.Buffers ?? 0);
    s.unavailable.available = "estimated (no MemAvailable)";
  }
  s.free = mi.MemFree ?? null;
  s.cache = Math.max(0, (mi.Cached ?? 0) + (mi.Buffers ?? 0) - (mi.Shmem ?? 0));
  s.standby = mi["Inactive(file)"] ?? null;
  s.modified = (mi.Dirty ?? 0) + (mi.Writeback ?? 0);
  s.compressed = has("Zswap") ? mi.Zswap : null;
  s.commit_used = mi.Committed_AS ?? null;
  s.commit_limit = mi.CommitLimit ?? null;
  s.pagefile_used = has("SwapTotal") ? mi.SwapTotal - (mi.SwapFree ?? 0) : null;
  try {
    const p = parsePressure(await fs.readText("/proc/pressure/memory"));
    if (p) {
      s.pressure = {
        some_avg10: p.some.avg10,
        some_avg60: p.some.avg60,
        some_avg300: p.some.avg300,
        full_avg10: p.full?.avg10 ?? null,
        full_avg60: p.full?.avg60 ?? null,
        full_avg300: p.full?.avg300 ?? null,
      };
    }
  } catch {
    s.unavailable.pressure = "no PSI (kernel < 4.20 or psi=0)";
  }
  for (const k of ["zeroed", "standby_by_priority", "commit_peak", "handles", "threads"]) {
    s.unavailable[k] = "not_supported_os";
  }
  if (s.compressed === null) s.unavailable.compressed = "no zswap";
  for (const k of ["kernel_paged", "kernel_nonpaged"]) s.unavailable[k] = "not_supported_os";
  s.unavailable.foreground_image = "no foreground window on Linux";
  return s;
}

/** The backend's state: libc opened on first use, the `/proc/<pid>/stat` rows of the last listing. */
interface LinuxState {
  deps: LinuxDeps;
  libc: () => LinuxApi;
  stats: Map<number, ProcStat>;
}

/**
 * Build the Linux backend.
 *
 * @example
 * ```ts
 * const b = linuxBackend({ fs: realFs, libc: openLibc, selfPid: Deno.pid, clock: systemClock });
 * ```
 */
export function linuxBackend(deps: LinuxDeps): Backend {
  let api: LinuxApi | null = null;
  const st: LinuxState = { deps, libc: () => (api ??= deps.libc()), stats: new Map() };
  return {
    platform: "linux",
    facts: () => linuxFacts(deps),
    async sample() {
      const s = await linuxSample(deps.fs, deps.clock.now());
      s.processes = (await deps.fs.readDir("/proc")).filter((n) => /^\d+$/.test(n)).length;
      return s;
    },
    prepare: () => Promise.resolve({}),
    listProcesses: () => listProcesses(st),
    foreground: (procs) => Promise.resolve(foreground(st, procs)),
    trimProcess: (p) => pageout(st, p.pid),
    runStage: (name) => runStage(st, name),
    close() {
      api?.close();
      api = null;
    },
  };
}

const readStatus = async (fs: FsLike, pid: number) =>
  parseStatus(await fs.readText(`/proc/${pid}/status`));

/** Who we run as and what that allows: root or CAP_SYS_NICE pages out, swap gives it a place. */
async function linuxFacts(deps: LinuxDeps): Promise<BackendFacts> {
  const self = await readStatus(deps.fs, deps.selfPid);
  const mi = parseMeminfo(await deps.fs.readText("/proc/meminfo"));
  const isAdmin = self.effectiveUid === 0;
  return {
    isAdmin,
    canPageOut: isAdmin || hasCapability(self.capEff, CAP_SYS_NICE),
    hasSwap: (mi.SwapTotal ?? 0) > 0,
    windowsVersion: null,
    notes: [],
  };
}

/** Every process with an address space, from /proc; keeps each one's stat row for `foreground`. */
async function listProcesses({ deps, stats }: LinuxState): Promise<ProcInfo[]> {
  stats.clear();
  const out: ProcInfo[] = [];
  for (const name of await deps.fs.readDir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = parseStat(await deps.fs.readText(`/proc/${pid}/stat`));
      const status = await readStatus(deps.fs, pid);
      if (status.rss === null) continue; // kernel thread: no address space
      stats.set(pid, stat);
      out.push({
        pid,
        ppid: stat.ppid,
        image: status.name,
        ws: status.rss,
        private: status.rssAnon,
      });
    } catch {
      // The process exited while we read it.
    }
  }
  return out;
}

/**
 * No foreground window on Linux: spare who waits on us (our ancestors) and every terminal's
 * foreground process group (what a person is looking at).
 */
function foreground({ deps, stats }: LinuxState, procs: ProcInfo[]): ForegroundInfo {
  const spared = new Set<number>();
  for (let pid = stats.get(deps.selfPid)?.ppid; pid && pid > 1; pid = stats.get(pid)?.ppid) {
    if (spared.has(pid)) break;
    spared.add(pid);
  }
  for (const p of procs) {
    const st = stats.get(p.pid);
    if (st && st.tpgid > 0 && st.pgrp === st.tpgid) spared.add(p.pid);
  }
  spared.delete(deps.selfPid);
  return {
    detected: true,
    pid: null,
    image: null,
    pids: [...spared].sort((a, b) => a - b),
    note: `linux has no foreground window: spared our ancestors and terminal foreground ` +
      `process groups (${spared.size} processes)`,
  };
}

/** Page out `pid`'s candidate mappings with pidfd_open + process_madvise(MADV_PAGEOUT). */
async function pageout(
  { deps, libc }: LinuxState,
  pid: number,
): Promise<TrimOutcome & { advised?: number }> {
  const l = libc();
  const fd = l.pidfdOpen(pid);
  if (fd.value < 0) return errnoOutcome(fd.errno);
  try {
    let maps: string;
    try {
      maps = await deps.fs.readText(`/proc/${pid}/maps`);
    } catch (e) {
      const kind = fsErrorKind(e);
      return {
        status: kind === "other" ? "error" : "skipped",
        reason: reasonOf(kind),
        wsAfter: null,
      };
    }
    const vecs = pageoutCandidates(parseMaps(maps)).map((r) => ({
      base: r.start,
      len: r.end - r.start,
    }));
    const r = pageoutRanges(l, fd.value, vecs);
    if (r.errno) return errnoOutcome(r.errno);
    const after = await readStatus(deps.fs, pid).catch(() => null);
    return { status: "ok", wsAfter: after?.rss ?? null, advised: r.advisedBytes };
  } finally {
    l.closeFd(fd.value);
  }
}

/** One system stage: our own page-out, cgroup / system reclaim, compaction, dropping caches. */
async function runStage(st: LinuxState, name: StageName): Promise<StageOutcome> {
  const { fs } = st.deps;
  const reclaim = st.deps.reclaimBytes ?? 512 * 1024 * 1024;
  switch (name) {
    case "self_trim": {
      const r = await pageout(st, st.deps.selfPid);
      return {
        status: r.status,
        reason: r.reason,
        errno: r.reason?.startsWith("errno_") ? Number(r.reason.slice(6)) : undefined,
        note: r.advised !== undefined ? `advised ${Math.round(r.advised / 1048576)} MB` : undefined,
      };
    }
    case "cgroup_reclaim":
      return await cgroupReclaim(fs, reclaim);
    case "system_reclaim":
      return await systemReclaim(fs, reclaim);
    case "compaction":
      return await writeSysctl(fs, "compact_memory", "1");
    case "drop_caches":
      // Write dirty pages first, so the drop can release them too.
      st.libc().sync();
      return await writeSysctl(fs, "drop_caches", "1");
    default:
      return { status: "skipped", reason: "not_supported_os" };
  }
}

function reasonOf(kind: string): string {
  return kind === "not_found" ? "exited" : kind === "denied" ? "access_denied" : "read_failed";
}

function errnoOutcome(errno: number): TrimOutcome {
  if (errno === ERRNO.ESRCH) return { status: "skipped", reason: "exited", wsAfter: null };
  if (errno === ERRNO.EPERM || errno === ERRNO.EACCES) {
    return { status: "skipped", reason: "access_denied", wsAfter: null };
  }
  return { status: "error", reason: `errno_${errno}`, wsAfter: null };
}
