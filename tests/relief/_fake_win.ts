/**
 * A fake WinApi for Linux tests. It keeps page lists (zero, free, standby[8], modified), a
 * working set per process, a token with held/enabled privileges and a foreground window, and
 * answers the way Win32 does: BOOL 0/1 with a last error, NTSTATUS codes, NULL handles, and
 * AdjustTokenPrivileges returning TRUE with ERROR_NOT_ALL_ASSIGNED.
 */
import {
  CURRENT_PROCESS,
  decodeMemoryListCommand,
  decodeTokenPrivileges,
  encodeMemoryListInformation,
  encodeMemoryStatusEx,
  encodeOsVersionInfo,
  encodePageFileInformation,
  encodePerformanceInformation,
  encodeProcessEntry32,
  encodeProcessMemoryCounters,
  encodeTokenPrivileges,
  type Handle,
  INVALID_HANDLE,
  NTSTATUS,
  PMC_EX_SIZE,
  PRIVILEGES,
  SE_PRIVILEGE_ENABLED,
  utf16z,
  WIN32_ERROR,
  type WinApi,
} from "../../ffi/windows/mod.ts";
import type { FakeProc } from "./_fakes.ts";

export type { FakeProc };

export interface FakeWinOptions {
  elevated: boolean;
  elevationType?: 1 | 2 | 3;
  /** Privilege LUIDs the token holds (disabled until adjusted). Default: both when elevated. */
  held?: number[];
  procs: FakeProc[];
  selfPid: number;
  foregroundPid: number | null;
  totalPages?: number;
  freePages?: number;
  zeroPages?: number;
  standby?: number[];
  modified?: number;
  cachePages?: number;
  combinable?: number;
  version?: { major: number; minor: number; build: number };
  /** NtSetSystemInformation overrides: "80:4" / "81" → NTSTATUS. */
  ntOverrides?: Record<string, number>;
  /** The length class 130 accepts (a decompiled kernel took 16 only). */
  combineLength?: 16 | 24;
  lookupFails?: boolean;
  adjustFails?: boolean;
  openTokenFails?: boolean;
  toolhelpFails?: boolean;
  /** GetLastError returns 0 after AdjustTokenPrivileges even when nothing was assigned. */
  lastErrorLies?: boolean;
}

type Obj = { kind: "process"; pid: number } | { kind: "token" } | {
  kind: "snapshot";
  cursor: number;
};

export class FakeWin implements WinApi {
  readonly o: Required<FakeWinOptions>;
  readonly calls: string[] = [];
  readonly procs: FakeProc[];
  standby: number[];
  free: number;
  zero: number;
  modified: number;
  cache: number;
  enabled = new Set<number>();
  lastError = 0;
  private handles = new Map<Handle, Obj>();
  private next = 0x100n;
  readonly ps = 4096;

  constructor(opts: FakeWinOptions) {
    this.o = {
      elevationType: opts.elevated ? 2 : 3,
      held: opts.elevated
        ? [PRIVILEGES.SeIncreaseQuotaPrivilege, PRIVILEGES.SeProfileSingleProcessPrivilege]
        : [],
      totalPages: 4 * 262144, // 4 GiB
      freePages: 100_000,
      zeroPages: 20_000,
      standby: [10_000, 5_000, 40_000, 0, 0, 30_000, 0, 0],
      modified: 8_000,
      cachePages: 25_000,
      combinable: 3_000,
      version: { major: 10, minor: 0, build: 22631 },
      combineLength: 16,
      lookupFails: false,
      adjustFails: false,
      openTokenFails: false,
      toolhelpFails: false,
      lastErrorLies: false,
      ...opts,
      ntOverrides: opts.ntOverrides ?? {},
    };
    this.procs = opts.procs.map((p) => ({ ...p }));
    this.standby = [...this.o.standby];
    this.free = this.o.freePages;
    this.zero = this.o.zeroPages;
    this.modified = this.o.modified;
    this.cache = this.o.cachePages;
  }

  availablePages(): number {
    return this.free + this.zero + this.standby.reduce((a, b) => a + b, 0);
  }
  proc(pid: number): FakeProc | undefined {
    return this.procs.find((p) => p.pid === pid);
  }
  private handle(obj: Obj): Handle {
    const h = this.next;
    this.next += 4n;
    this.handles.set(h, obj);
    return h;
  }
  private fail(err: number): number {
    this.lastError = err;
    return 0;
  }
  private trim(p: FakeProc): void {
    const dirty = Math.round(p.wsPages * (p.dirty ?? 0.2));
    this.standby[5] += p.wsPages - dirty;
    this.modified += dirty;
    p.wsPages = 0;
  }

  globalMemoryStatusEx(buf: Uint8Array): number {
    const total = this.o.totalPages * this.ps;
    const avail = this.availablePages() * this.ps;
    buf.set(encodeMemoryStatusEx({
      memoryLoad: Math.round(((total - avail) / total) * 100),
      totalPhys: total,
      availPhys: avail,
      totalPageFile: total * 2,
      availPageFile: total,
      totalVirtual: 2 ** 47,
      availVirtual: 2 ** 46,
      availExtendedVirtual: 0,
    }));
    return 1;
  }
  getCurrentProcess(): Handle {
    return CURRENT_PROCESS;
  }
  getCurrentProcessId(): number {
    return this.o.selfPid;
  }
  getLastError(): number {
    return this.lastError;
  }
  openProcess(_access: number, _inherit: boolean, pid: number): Handle {
    const p = this.proc(pid);
    if (!p) return (this.fail(WIN32_ERROR.INVALID_PARAMETER), 0n);
    if (p.protected) return (this.fail(WIN32_ERROR.ACCESS_DENIED), 0n);
    return this.handle({ kind: "process", pid });
  }
  closeHandle(h: Handle): number {
    return this.handles.delete(h) ? 1 : this.fail(6);
  }
  private procOf(h: Handle): FakeProc | undefined {
    if (h === CURRENT_PROCESS) return this.proc(this.o.selfPid);
    const obj = this.handles.get(h);
    return obj?.kind === "process" ? this.proc(obj.pid) : undefined;
  }
  queryFullProcessImageNameW(h: Handle, _f: number, buf: Uint8Array, size: Uint8Array): number {
    const p = this.procOf(h);
    if (!p) return this.fail(6);
    const path = `C:\\Apps\\${p.exe}`;
    buf.set(utf16z(path));
    new DataView(size.buffer).setUint32(0, path.length, true);
    return 1;
  }
  createToolhelp32Snapshot(): Handle {
    return this.o.toolhelpFails ? INVALID_HANDLE : this.handle({ kind: "snapshot", cursor: 0 });
  }
  private nextEntry(snap: Handle, entry: Uint8Array, first: boolean): number {
    const obj = this.handles.get(snap);
    if (obj?.kind !== "snapshot") return this.fail(6);
    if (first) obj.cursor = 0;
    const p = this.procs[obj.cursor++];
    if (!p) return this.fail(WIN32_ERROR.NO_MORE_FILES);
    entry.set(
      encodeProcessEntry32({
        pid: p.pid,
        threads: 4,
        parentPid: p.ppid,
        basePriority: 8,
        exeFile: p.exe,
      }),
    );
    return 1;
  }
  process32FirstW(snap: Handle, entry: Uint8Array): number {
    return this.nextEntry(snap, entry, true);
  }
  process32NextW(snap: Handle, entry: Uint8Array): number {
    return this.nextEntry(snap, entry, false);
  }
  setSystemFileCacheSize(): number {
    return 1;
  }
  getPerformanceInfo(buf: Uint8Array, cb: number): number {
    if (cb !== 104) return this.fail(WIN32_ERROR.INSUFFICIENT_BUFFER);
    const used = this.o.totalPages - this.availablePages();
    buf.set(encodePerformanceInformation({
      commitTotal: used + 50_000,
      commitLimit: this.o.totalPages * 2,
      commitPeak: used + 90_000,
      physicalTotal: this.o.totalPages,
      physicalAvailable: this.availablePages(),
      systemCache: this.cache,
      kernelTotal: 30_000,
      kernelPaged: 20_000,
      kernelNonpaged: 10_000,
      pageSize: this.ps,
      handleCount: 50_000,
      processCount: this.procs.length,
      threadCount: this.procs.length * 4,
    }));
    return 1;
  }
  enumProcesses(pids: Uint8Array, cb: number, needed: Uint8Array): number {
    const v = new DataView(pids.buffer);
    const n = Math.min(this.procs.length, Math.floor(cb / 4));
    for (let i = 0; i < n; i++) v.setUint32(i * 4, this.procs[i].pid, true);
    new DataView(needed.buffer).setUint32(0, n * 4, true);
    return 1;
  }
  getProcessMemoryInfo(h: Handle, buf: Uint8Array, cb: number): number {
    const p = this.procOf(h);
    if (!p) return this.fail(6);
    buf.set(encodeProcessMemoryCounters(cb === PMC_EX_SIZE ? 80 : 72, {
      pageFaultCount: 1,
      peakWorkingSetSize: p.wsPages * this.ps,
      workingSetSize: p.wsPages * this.ps,
      quotaPeakPagedPoolUsage: 0,
      quotaPagedPoolUsage: 0,
      quotaPeakNonPagedPoolUsage: 0,
      quotaNonPagedPoolUsage: 0,
      pagefileUsage: p.wsPages * this.ps,
      peakPagefileUsage: p.wsPages * this.ps,
      privateUsage: p.wsPages * this.ps,
    }));
    return 1;
  }
  emptyWorkingSet(h: Handle): number {
    const p = this.procOf(h);
    if (!p) return this.fail(6);
    this.calls.push(`EmptyWorkingSet(${p.pid})`);
    this.trim(p);
    return 1;
  }
  ntQuerySystemInformation(
    cls: number,
    buf: Uint8Array | null,
    len: number,
    ret: Uint8Array | null,
  ): number {
    if (cls === 80) {
      if (!this.o.elevated) return NTSTATUS.ACCESS_DENIED | 0;
      if (!buf || len < 176) return NTSTATUS.INFO_LENGTH_MISMATCH | 0;
      buf.set(encodeMemoryListInformation({
        zeroPageCount: this.zero,
        freePageCount: this.free,
        modifiedPageCount: this.modified,
        modifiedNoWritePageCount: 0,
        badPageCount: 0,
        pageCountByPriority: this.standby,
        repurposedPagesByPriority: [],
        modifiedPageCountPageFile: this.modified,
      }));
      return 0;
    }
    if (cls === 18 && buf) {
      const list = encodePageFileInformation([{
        totalSize: 262144,
        totalInUse: 1000,
        peakUsage: 2000,
      }]);
      buf.set(list);
      if (ret) new DataView(ret.buffer).setUint32(0, list.length, true);
      return 0;
    }
    return NTSTATUS.INVALID_INFO_CLASS | 0;
  }
  ntSetSystemInformation(cls: number, buf: Uint8Array | null, len: number): number {
    const cmd = cls === 80 && buf ? decodeMemoryListCommand(buf) : null;
    const key = cmd === null ? `${cls}` : `${cls}:${cmd}`;
    this.calls.push(`NtSet(${key}${cls === 130 ? `,${len}` : ""})`);
    if (key in this.o.ntOverrides) return this.o.ntOverrides[key] | 0;
    const has = (luid: number) => this.enabled.has(luid);
    const PROFILE = PRIVILEGES.SeProfileSingleProcessPrivilege;
    switch (cls) {
      case 80: {
        if (!has(PROFILE)) return NTSTATUS.PRIVILEGE_NOT_HELD | 0;
        if (cmd === 2) this.procs.forEach((p) => this.trim(p));
        else if (cmd === 3) [this.standby[2], this.modified] = [this.standby[2] + this.modified, 0];
        else if (cmd === 4) {
          this.free += this.standby.reduce((a, b) => a + b, 0);
          this.standby = this.standby.map(() => 0);
        } else if (cmd === 5) [this.free, this.standby[0]] = [this.free + this.standby[0], 0];
        return 0;
      }
      case 81:
        if (!has(PRIVILEGES.SeIncreaseQuotaPrivilege)) return NTSTATUS.ACCESS_DENIED | 0;
        if (len < 64) return NTSTATUS.INFO_LENGTH_MISMATCH | 0;
        [this.standby[2], this.cache] = [this.standby[2] + this.cache, 0];
        return 0;
      case 130:
        if (!has(PROFILE)) return NTSTATUS.PRIVILEGE_NOT_HELD | 0;
        if (len !== this.o.combineLength) return NTSTATUS.INFO_LENGTH_MISMATCH | 0;
        new DataView(buf!.buffer).setBigUint64(8, BigInt(this.o.combinable), true);
        this.free += this.o.combinable;
        return 0;
      case 155:
        return this.o.elevated ? 0 : NTSTATUS.ACCESS_DENIED | 0;
    }
    return NTSTATUS.INVALID_INFO_CLASS | 0;
  }
  rtlGetVersion(buf: Uint8Array): number {
    buf.set(encodeOsVersionInfo({ ...this.o.version, platformId: 2, csdVersion: "" }));
    return 0;
  }
  wineVersion(): string | null {
    return null;
  }
  openProcessToken(_p: Handle, _access: number, token: Uint8Array): number {
    if (this.o.openTokenFails) return this.fail(WIN32_ERROR.ACCESS_DENIED);
    new DataView(token.buffer).setBigUint64(0, this.handle({ kind: "token" }), true);
    return 1;
  }
  getTokenInformation(
    t: Handle,
    cls: number,
    buf: Uint8Array | null,
    len: number,
    ret: Uint8Array,
  ): number {
    if (this.handles.get(t)?.kind !== "token") return this.fail(6);
    const out = cls === 20
      ? new Uint8Array(new Uint32Array([this.o.elevated ? 1 : 0]).buffer)
      : cls === 18
      ? new Uint8Array(new Uint32Array([this.o.elevationType]).buffer)
      : cls === 3
      ? encodeTokenPrivileges(this.o.held.map((l) => ({
        luidLow: l,
        luidHigh: 0,
        attributes: this.enabled.has(l) ? SE_PRIVILEGE_ENABLED : 0,
      })))
      : null;
    if (!out) return this.fail(WIN32_ERROR.INVALID_PARAMETER);
    new DataView(ret.buffer).setUint32(0, out.length, true);
    if (!buf || len < out.length) return this.fail(WIN32_ERROR.INSUFFICIENT_BUFFER);
    buf.set(out);
    return 1;
  }
  lookupPrivilegeValueW(name: string, luid: Uint8Array): number {
    const low = (PRIVILEGES as Record<string, number>)[name];
    if (this.o.lookupFails || low === undefined) return this.fail(1313);
    new DataView(luid.buffer).setUint32(0, low, true);
    return 1;
  }
  adjustTokenPrivileges(t: Handle, state: Uint8Array): number {
    if (this.handles.get(t)?.kind !== "token" || this.o.adjustFails) {
      return this.fail(WIN32_ERROR.ACCESS_DENIED);
    }
    let all = true;
    for (const e of decodeTokenPrivileges(state)) {
      if (this.o.held.includes(e.luidLow)) this.enabled.add(e.luidLow);
      else all = false;
    }
    // Win32: TRUE either way; ERROR_NOT_ALL_ASSIGNED tells (unless the test makes it lie).
    this.lastError = all || this.o.lastErrorLies ? 0 : WIN32_ERROR.NOT_ALL_ASSIGNED;
    return 1;
  }
  getForegroundWindow(): Handle {
    return this.o.foregroundPid === null ? 0n : 0x5000n;
  }
  getWindowThreadProcessId(hwnd: Handle, pid: Uint8Array): number {
    if (hwnd !== 0x5000n || this.o.foregroundPid === null) return 0;
    new DataView(pid.buffer).setUint32(0, this.o.foregroundPid, true);
    return 4242;
  }
  close(): void {}
}
