/**
 * The Windows backend over `WinApi`: snapshot (GlobalMemoryStatusEx, GetPerformanceInfo,
 * NtQuerySystemInformation 18/80), privileges, the per-process pass and the system-wide
 * NtSetSystemInformation stages (specs/memoria.md §2–3).
 *
 * @module
 */
import {
  decodeMemoryCombine,
  decodeMemoryListInformation,
  decodeMemoryStatusEx,
  decodeOsVersionInfo,
  decodePageFileInformation,
  decodePerformanceInformation,
  encodeFileCacheInformation,
  encodeMemoryCombine,
  encodeMemoryListCommand,
  encodeMemoryStatusEx,
  encodeOsVersionInfo,
  encodePerformanceInformation,
  FILECACHE_INFORMATION_SIZE,
  MEMORY_LIST_COMMAND,
  MEMORY_LIST_INFORMATION_SIZE,
  newU32,
  NTSTATUS,
  ntstatusHex,
  ntSuccess,
  PERFORMANCE_INFORMATION_SIZE,
  type PrivilegeName,
  PROCESS_ACCESS,
  readU32,
  SIZE_T_MAX,
  SYSTEM_INFO_CLASS,
  type WinApi,
} from "../../ffi/windows/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { imageKey } from "./guard.ts";
import { emptySample } from "./sample.ts";
import { stageMeta } from "./tiers.ts";
import type { Backend, BackendFacts, Clock, MemSample, StageName, StageOutcome } from "./types.ts";
import { enablePrivilege, tokenElevation } from "./windows_token.ts";
import {
  listWindowsProcesses,
  memoryCounters,
  trimWindowsProcess,
  windowsForeground,
} from "./windows_process.ts";

/** What the Windows backend needs from the outside. */
export interface WindowsDeps {
  api: WinApi;
  clock: Clock;
}

const LIST_STAGES = {
  global_ws_empty: MEMORY_LIST_COMMAND.EMPTY_WORKING_SETS,
  modified_flush: MEMORY_LIST_COMMAND.FLUSH_MODIFIED_LIST,
  standby_purge: MEMORY_LIST_COMMAND.PURGE_STANDBY_LIST,
  standby_priority0_purge: MEMORY_LIST_COMMAND.PURGE_LOW_PRIORITY_STANDBY_LIST,
} as const;

/**
 * Map an NTSTATUS to a stage outcome: unsupported classes are benign skips; access and
 * privilege failures are errors.
 *
 * @example
 * ```ts
 * ntOutcome(0xC0000061).reason; // "privilege_not_held"
 * ```
 */
export function ntOutcome(status: number): StageOutcome {
  const u = status >>> 0;
  const ntstatus = ntstatusHex(u);
  if (ntSuccess(u)) return { status: "ok", ntstatus };
  if (
    u === NTSTATUS.INVALID_INFO_CLASS || u === NTSTATUS.NOT_IMPLEMENTED ||
    u === NTSTATUS.NOT_SUPPORTED
  ) {
    return { status: "skipped", reason: "not_supported_os", ntstatus };
  }
  if (u === NTSTATUS.ACCESS_DENIED) {
    return { status: "error", reason: "access_denied", ntstatus };
  }
  if (u === NTSTATUS.PRIVILEGE_NOT_HELD) {
    return { status: "error", reason: "privilege_not_held", ntstatus };
  }
  return { status: "error", reason: `ntstatus_${ntstatus}`, ntstatus };
}

/**
 * Build the Windows backend.
 *
 * @example
 * ```ts
 * const b = windowsBackend({ api: openWinApi(), clock: systemClock });
 * const s = await b.sample();
 * ```
 */
export function windowsBackend({ api, clock }: WindowsDeps): Backend {
  const st: WinState = { api, clock, pageSize: 4096, memCompressionPid: undefined };
  return {
    platform: "windows",
    facts: () => Promise.resolve(windowsFacts(api)),
    sample: () => Promise.resolve(sampleNow(st)),
    prepare: (stages) => Promise.resolve(enableStagePrivileges(api, stages)),
    listProcesses: () => Promise.resolve(listWindowsProcesses(api)),
    foreground: (procs) => Promise.resolve(windowsForeground(api, procs)),
    trimProcess: (p) => Promise.resolve(trimWindowsProcess(api, p.pid)),
    runStage: (name) => Promise.resolve(runWindowsStage(st, name)),
    close: () => api.close(),
  };
}

/** What a backend keeps between calls. */
interface WinState {
  api: WinApi;
  clock: Clock;
  /** Learned from GetPerformanceInfo at the first sample. */
  pageSize: number;
  /** The Memory Compression process; undefined: not looked up yet. */
  memCompressionPid: number | null | undefined;
}

/** Elevation, OS version and the notes a report shows about them (Wine included). */
function windowsFacts(api: WinApi): BackendFacts {
  const elev = tokenElevation(api);
  const verBuf = encodeOsVersionInfo();
  const ver = ntSuccess(api.rtlGetVersion(verBuf)) ? decodeOsVersionInfo(verBuf) : null;
  const notes: string[] = [];
  if (!elev.elevated && elev.type === "limited") {
    notes.push(
      "administrator account without elevation: the admin tiers need an elevated prompt " +
        "or a scheduled task with RunLevel HighestAvailable",
    );
  }
  const wine = api.wineVersion();
  if (wine) {
    notes.push(
      `running under Wine ${wine}: its NtSetSystemInformation is a stub, 'ok' proves nothing`,
    );
  }
  return {
    isAdmin: elev.elevated,
    canPageOut: true,
    hasSwap: true,
    windowsVersion: ver ? { major: ver.major, minor: ver.minor, build: ver.build } : null,
    notes,
  };
}

/** Enable each privilege the stages need; the outcome per privilege. */
function enableStagePrivileges(api: WinApi, stages: StageName[]): Record<string, string> {
  const wanted = new Set<PrivilegeName>();
  for (const n of stages) {
    const p = stageMeta("windows", n).privilege;
    if (p) wanted.add(p);
  }
  const out: Record<string, string> = {};
  for (const p of wanted) out[p] = enablePrivilege(api, p);
  return out;
}

function sampleNow(st: WinState): MemSample {
  const { api } = st;
  const ms = encodeMemoryStatusEx();
  if (!api.globalMemoryStatusEx(ms)) {
    throw new MemoryossError("INTERNAL", "GlobalMemoryStatusEx failed");
  }
  const m = decodeMemoryStatusEx(ms);
  const s = emptySample(st.clock.now(), m.totalPhys, m.availPhys);
  readPerformance(st, s);
  readPageFile(st, s);
  readMemoryLists(st, s);
  readCompressed(st, s);
  const fg = windowsForeground(api, []);
  s.foreground_image = fg.detected ? fg.image : null;
  if (!fg.detected) s.unavailable.foreground_image = fg.note ?? "no foreground window";
  return s;
}

function readPerformance(st: WinState, s: MemSample) {
  const perf = encodePerformanceInformation();
  if (!st.api.getPerformanceInfo(perf, PERFORMANCE_INFORMATION_SIZE)) {
    s.unavailable.commit_used = "GetPerformanceInfo failed";
    return;
  }
  const p = decodePerformanceInformation(perf);
  st.pageSize = p.pageSize || st.pageSize;
  const b = (pages: number) => pages * st.pageSize;
  Object.assign(s, {
    commit_used: b(p.commitTotal),
    commit_limit: b(p.commitLimit),
    commit_peak: b(p.commitPeak),
    cache: b(p.systemCache),
    kernel_paged: b(p.kernelPaged),
    kernel_nonpaged: b(p.kernelNonpaged),
    handles: p.handleCount,
    processes: p.processCount,
    threads: p.threadCount,
  });
}

function readPageFile(st: WinState, s: MemSample) {
  const buf = new Uint8Array(4096);
  const ret = newU32();
  const code = st.api.ntQuerySystemInformation(SYSTEM_INFO_CLASS.PAGE_FILE, buf, buf.length, ret);
  if (!ntSuccess(code)) {
    s.unavailable.pagefile_used = `ntstatus ${ntstatusHex(code)}`;
    return;
  }
  const files = decodePageFileInformation(buf, readU32(ret));
  s.pagefile_used = files.reduce((a, f) => a + f.totalInUse, 0) * st.pageSize;
}

function readMemoryLists(st: WinState, s: MemSample) {
  const buf = new Uint8Array(MEMORY_LIST_INFORMATION_SIZE);
  const code = st.api.ntQuerySystemInformation(
    SYSTEM_INFO_CLASS.MEMORY_LIST,
    buf,
    buf.length,
    null,
  );
  if (!ntSuccess(code)) {
    const u = code >>> 0;
    const why = u === NTSTATUS.ACCESS_DENIED || u === NTSTATUS.PRIVILEGE_NOT_HELD
      ? "requires_admin"
      : `ntstatus ${ntstatusHex(code)}`;
    for (const k of ["free", "zeroed", "standby", "standby_by_priority", "modified"]) {
      s.unavailable[k] = why;
    }
    return;
  }
  const l = decodeMemoryListInformation(buf);
  const b = (pages: number) => pages * st.pageSize;
  s.zeroed = b(l.zeroPageCount);
  s.free = b(l.freePageCount + l.zeroPageCount);
  s.standby_by_priority = l.pageCountByPriority.map(b);
  s.standby = b(l.pageCountByPriority.reduce((a, n) => a + n, 0));
  s.modified = b(l.modifiedPageCount);
}

function readCompressed(st: WinState, s: MemSample) {
  const { api } = st;
  if (st.memCompressionPid === undefined) {
    st.memCompressionPid = listWindowsProcesses(api, false).find((p) =>
      imageKey(p.image) === "memory compression" || imageKey(p.image) === "memcompression"
    )?.pid ?? null;
  }
  if (st.memCompressionPid === null) {
    s.unavailable.compressed = "no Memory Compression process";
    return;
  }
  const h = api.openProcess(PROCESS_ACCESS.QUERY_LIMITED_INFORMATION, false, st.memCompressionPid);
  const c = h === 0n ? null : memoryCounters(api, h);
  if (h !== 0n) api.closeHandle(h);
  if (c) s.compressed = c.ws;
  else s.unavailable.compressed = "access_denied";
}

/** One system-wide stage (specs/memoria.md §3); unknown names are skipped. */
function runWindowsStage(st: WinState, name: StageName): StageOutcome {
  const { api } = st;
  if (name in LIST_STAGES) return listCommand(api, LIST_STAGES[name as keyof typeof LIST_STAGES]);
  if (name === "file_cache_trim") {
    const buf = encodeFileCacheInformation({
      minimumWorkingSet: SIZE_T_MAX,
      maximumWorkingSet: SIZE_T_MAX,
    });
    return ntOutcome(
      api.ntSetSystemInformation(SYSTEM_INFO_CLASS.FILE_CACHE_EX, buf, FILECACHE_INFORMATION_SIZE),
    );
  }
  if (name === "combine_pages") return combinePages(st);
  if (name === "registry_flush") {
    return ntOutcome(
      api.ntSetSystemInformation(SYSTEM_INFO_CLASS.REGISTRY_RECONCILIATION, null, 0),
    );
  }
  if (name === "self_trim") {
    return api.emptyWorkingSet(api.getCurrentProcess())
      ? { status: "ok" }
      : { status: "error", reason: `win32_error_${api.getLastError()}` };
  }
  return { status: "skipped", reason: "not_supported_os" };
}

function listCommand(api: WinApi, command: number): StageOutcome {
  const buf = encodeMemoryListCommand(command);
  return ntOutcome(api.ntSetSystemInformation(SYSTEM_INFO_CLASS.MEMORY_LIST, buf, buf.length));
}

function combinePages(st: WinState): StageOutcome {
  const { api } = st;
  // Mem Reduct sends the 24-byte _EX form; a decompiled kernel accepted only 16.
  let buf = encodeMemoryCombine(24);
  let code = api.ntSetSystemInformation(SYSTEM_INFO_CLASS.COMBINE_PHYSICAL_MEMORY, buf, 24);
  if ((code >>> 0) === NTSTATUS.INFO_LENGTH_MISMATCH) {
    buf = encodeMemoryCombine(16);
    code = api.ntSetSystemInformation(SYSTEM_INFO_CLASS.COMBINE_PHYSICAL_MEMORY, buf, 16);
  }
  const out = ntOutcome(code);
  if (out.status === "ok") {
    const pages = decodeMemoryCombine(buf).pagesCombined;
    out.note = `${pages} pages combined (${Math.round((pages * st.pageSize) / 1048576)} MB)`;
  }
  return out;
}
