/**
 * Windows processes: enumeration (toolhelp for PID, parent and image; K32EnumProcesses as the
 * fallback), working-set counters, the foreground window's process tree, and the trim itself.
 *
 * @module
 */
import {
  decodeProcessEntry32,
  decodeProcessMemoryCounters,
  encodeProcessEntry32,
  encodeProcessMemoryCounters,
  fromUtf16,
  type Handle,
  INVALID_HANDLE,
  newU32,
  PMC_EX_SIZE,
  PROCESS_ACCESS,
  readU32,
  TH32CS_SNAPPROCESS,
  WIN32_ERROR,
  type WinApi,
} from "../../ffi/windows/mod.ts";
import { descendants } from "./guard.ts";
import type { ForegroundInfo, ProcInfo, TrimOutcome } from "./types.ts";

/** Working set and private bytes of an open process, or null. */
export function memoryCounters(api: WinApi, h: Handle): { ws: number; private: number } | null {
  const buf = encodeProcessMemoryCounters(PMC_EX_SIZE);
  if (!api.getProcessMemoryInfo(h, buf, PMC_EX_SIZE)) return null;
  const c = decodeProcessMemoryCounters(buf);
  return { ws: c.workingSetSize, private: c.privateUsage ?? 0 };
}

function countersOf(api: WinApi, pid: number) {
  const h = api.openProcess(PROCESS_ACCESS.QUERY_LIMITED_INFORMATION, false, pid);
  if (h === 0n) return null;
  try {
    return memoryCounters(api, h);
  } finally {
    api.closeHandle(h);
  }
}

/** Toolhelp snapshot rows, or null when the snapshot cannot be taken. */
function toolhelpRows(api: WinApi) {
  const snap = api.createToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap === INVALID_HANDLE || snap === 0n) return null;
  try {
    const rows = [];
    const entry = encodeProcessEntry32();
    for (let ok = api.process32FirstW(snap, entry); ok; ok = api.process32NextW(snap, entry)) {
      rows.push(decodeProcessEntry32(entry));
    }
    return rows;
  } finally {
    api.closeHandle(snap);
  }
}

/** K32EnumProcesses + QueryFullProcessImageNameW: no parent PIDs, so no PID-tree exclusion. */
function enumRows(api: WinApi) {
  let cap = 1024;
  for (;;) {
    const buf = new Uint8Array(cap * 4);
    const needed = newU32();
    if (!api.enumProcesses(buf, buf.byteLength, needed)) return [];
    const got = readU32(needed);
    if (got < buf.byteLength) {
      const v = new DataView(buf.buffer);
      return Array.from({ length: got / 4 }, (_, i) => v.getUint32(i * 4, true)).map((pid) => ({
        pid,
        parentPid: null as number | null,
        exeFile: imageName(api, pid) ?? `pid ${pid}`,
      }));
    }
    cap *= 2; // The list filled the buffer: it may be truncated, so ask again bigger.
  }
}

/** The image file name (basename) of a process, or null. */
export function imageName(api: WinApi, pid: number): string | null {
  const h = api.openProcess(PROCESS_ACCESS.QUERY_LIMITED_INFORMATION, false, pid);
  if (h === 0n) return null;
  try {
    const chars = 1024;
    const buf = new Uint8Array(chars * 2);
    const size = newU32(chars);
    if (!api.queryFullProcessImageNameW(h, 0, buf, size)) return null;
    const full = fromUtf16(buf, 0, readU32(size));
    return full.split("\\").pop() ?? full;
  } finally {
    api.closeHandle(h);
  }
}

/**
 * Every process with its parent, image and working set (null when we may not query it, or
 * when `withCounters` is false: then no process is opened at all).
 *
 * @example
 * ```ts
 * const procs = listWindowsProcesses(api);
 * ```
 */
export function listWindowsProcesses(api: WinApi, withCounters = true): ProcInfo[] {
  const rows: { pid: number; parentPid: number | null; exeFile: string }[] = toolhelpRows(api) ??
    enumRows(api);
  return rows.map((r) => {
    const c = r.pid === 0 || !withCounters ? null : countersOf(api, r.pid);
    return {
      pid: r.pid,
      ppid: r.parentPid,
      image: r.exeFile,
      ws: c?.ws ?? null,
      private: c?.private ?? null,
    };
  });
}

/**
 * The foreground window's process, its image and its descendants. In session 0 (a task run as
 * SYSTEM) there is no foreground window: reported as not detected.
 */
export function windowsForeground(api: WinApi, procs: ProcInfo[]): ForegroundInfo {
  const hwnd = api.getForegroundWindow();
  const none = (note: string): ForegroundInfo => ({
    detected: false,
    pid: null,
    image: null,
    pids: [],
    note,
  });
  if (hwnd === 0n) return none("no foreground window (session 0 or a locked desktop)");
  const pidCell = newU32();
  if (!api.getWindowThreadProcessId(hwnd, pidCell)) return none("foreground window has no owner");
  const pid = readU32(pidCell);
  const image = procs.find((p) => p.pid === pid)?.image ?? imageName(api, pid);
  const tree = descendants(procs, pid);
  return { detected: true, pid, image, pids: [pid, ...[...tree].sort((a, b) => a - b)] };
}

/**
 * Empty one process's working set. Processes we may not open (elevated, SYSTEM, protected)
 * are skipped as access_denied, not errors.
 */
export function trimWindowsProcess(api: WinApi, pid: number): TrimOutcome {
  const h = api.openProcess(
    PROCESS_ACCESS.QUERY_LIMITED_INFORMATION | PROCESS_ACCESS.SET_QUOTA,
    false,
    pid,
  );
  if (h === 0n) {
    const err = api.getLastError();
    return {
      status: "skipped",
      reason: err === WIN32_ERROR.INVALID_PARAMETER ? "exited" : "access_denied",
      wsAfter: null,
    };
  }
  try {
    if (!api.emptyWorkingSet(h)) {
      const err = api.getLastError();
      return err === WIN32_ERROR.ACCESS_DENIED
        ? { status: "skipped", reason: "access_denied", wsAfter: null }
        : { status: "error", reason: `win32_error_${err}`, wsAfter: null };
    }
    return { status: "ok", wsAfter: memoryCounters(api, h)?.ws ?? null };
  } finally {
    api.closeHandle(h);
  }
}
