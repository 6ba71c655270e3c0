/**
 * The real WinApi: `Deno.dlopen` of kernel32, psapi, ntdll, advapi32 and user32 (x64).
 * Signatures follow specs/memoria.md §2.1: HANDLE/HWND are "pointer", out-structs "buffer",
 * DWORD "u32", BOOL/NTSTATUS "i32", SIZE_T "usize".
 *
 * @module
 */
import type { Handle, WinApi } from "./api.ts";
import { utf16z } from "./_codec.ts";

const KERNEL32 = {
  GlobalMemoryStatusEx: { parameters: ["buffer"], result: "i32" },
  GetCurrentProcess: { parameters: [], result: "pointer" },
  GetCurrentProcessId: { parameters: [], result: "u32" },
  GetLastError: { parameters: [], result: "u32" },
  OpenProcess: { parameters: ["u32", "i32", "u32"], result: "pointer" },
  CloseHandle: { parameters: ["pointer"], result: "i32" },
  QueryFullProcessImageNameW: {
    parameters: ["pointer", "u32", "buffer", "buffer"],
    result: "i32",
  },
  CreateToolhelp32Snapshot: { parameters: ["u32", "u32"], result: "pointer" },
  Process32FirstW: { parameters: ["pointer", "buffer"], result: "i32" },
  Process32NextW: { parameters: ["pointer", "buffer"], result: "i32" },
  SetSystemFileCacheSize: { parameters: ["usize", "usize", "u32"], result: "i32" },
} as const;

const PSAPI = {
  GetPerformanceInfo: { parameters: ["buffer", "u32"], result: "i32" },
  EnumProcesses: { parameters: ["buffer", "u32", "buffer"], result: "i32" },
  GetProcessMemoryInfo: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  EmptyWorkingSet: { parameters: ["pointer"], result: "i32" },
} as const;

const NTDLL = {
  NtQuerySystemInformation: { parameters: ["u32", "buffer", "u32", "buffer"], result: "i32" },
  NtSetSystemInformation: { parameters: ["u32", "buffer", "u32"], result: "i32" },
  RtlGetVersion: { parameters: ["buffer"], result: "i32" },
  // Exported only by Wine's ntdll: its NtSetSystemInformation is a stub that always succeeds.
  wine_get_version: { parameters: [], result: "pointer", optional: true },
} as const;

const ADVAPI32 = {
  OpenProcessToken: { parameters: ["pointer", "u32", "buffer"], result: "i32" },
  GetTokenInformation: {
    parameters: ["pointer", "u32", "buffer", "u32", "buffer"],
    result: "i32",
  },
  LookupPrivilegeValueW: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  AdjustTokenPrivileges: {
    parameters: ["pointer", "i32", "buffer", "u32", "buffer", "buffer"],
    result: "i32",
  },
} as const;

const USER32 = {
  GetForegroundWindow: { parameters: [], result: "pointer" },
  GetWindowThreadProcessId: { parameters: ["pointer", "buffer"], result: "u32" },
} as const;

const ptr = (h: Handle): Deno.PointerValue => (h === 0n ? null : Deno.UnsafePointer.create(h));
const val = (p: Deno.PointerValue): Handle => (p === null ? 0n : Deno.UnsafePointer.value(p));

/**
 * Open the five system libraries and return the real WinApi. Throws when a library or a
 * required symbol is missing (the caller reports that as an engine failure, exit 2).
 *
 * @example
 * ```ts
 * const api = openWinApi();
 * try { api.getCurrentProcessId(); } finally { api.close(); }
 * ```
 */
export function openWinApi(): WinApi {
  const k = Deno.dlopen("kernel32.dll", KERNEL32);
  const libs: { close(): void }[] = [k];
  try {
    const p = Deno.dlopen("psapi.dll", PSAPI);
    libs.push(p);
    const n = Deno.dlopen("ntdll.dll", NTDLL);
    libs.push(n);
    const a = Deno.dlopen("advapi32.dll", ADVAPI32);
    libs.push(a);
    const u = Deno.dlopen("user32.dll", USER32);
    libs.push(u);
    return build(k.symbols, p.symbols, n.symbols, a.symbols, u.symbols, () => {
      for (const l of libs) l.close();
    });
  } catch (e) {
    for (const l of libs) l.close();
    throw e;
  }
}

function build(
  k: Deno.DynamicLibrary<typeof KERNEL32>["symbols"],
  p: Deno.DynamicLibrary<typeof PSAPI>["symbols"],
  n: Deno.DynamicLibrary<typeof NTDLL>["symbols"],
  a: Deno.DynamicLibrary<typeof ADVAPI32>["symbols"],
  u: Deno.DynamicLibrary<typeof USER32>["symbols"],
  close: () => void,
): WinApi {
  return {
    globalMemoryStatusEx: (buf) => k.GlobalMemoryStatusEx(buf),
    getCurrentProcess: () => val(k.GetCurrentProcess()),
    getCurrentProcessId: () => k.GetCurrentProcessId(),
    getLastError: () => k.GetLastError(),
    openProcess: (access, inherit, pid) => val(k.OpenProcess(access, inherit ? 1 : 0, pid)),
    closeHandle: (h) => k.CloseHandle(ptr(h)),
    queryFullProcessImageNameW: (h, flags, buf, size) =>
      k.QueryFullProcessImageNameW(ptr(h), flags, buf, size),
    createToolhelp32Snapshot: (flags, pid) => val(k.CreateToolhelp32Snapshot(flags, pid)),
    process32FirstW: (snap, entry) => k.Process32FirstW(ptr(snap), entry),
    process32NextW: (snap, entry) => k.Process32NextW(ptr(snap), entry),
    setSystemFileCacheSize: (min, max, flags) => k.SetSystemFileCacheSize(min, max, flags),
    getPerformanceInfo: (buf, cb) => p.GetPerformanceInfo(buf, cb),
    enumProcesses: (pids, cb, needed) => p.EnumProcesses(pids, cb, needed),
    getProcessMemoryInfo: (h, buf, cb) => p.GetProcessMemoryInfo(ptr(h), buf, cb),
    emptyWorkingSet: (h) => p.EmptyWorkingSet(ptr(h)),
    ntQuerySystemInformation: (cls, buf, len, retLen) =>
      n.NtQuerySystemInformation(cls, buf, len, retLen),
    ntSetSystemInformation: (cls, buf, len) => n.NtSetSystemInformation(cls, buf, len),
    rtlGetVersion: (buf) => n.RtlGetVersion(buf),
    wineVersion: () => {
      const fn = n.wine_get_version;
      const s = fn ? fn() : null;
      return s === null ? null : new Deno.UnsafePointerView(s).getCString();
    },
    openProcessToken: (proc, access, token) => a.OpenProcessToken(ptr(proc), access, token),
    getTokenInformation: (token, cls, buf, len, retLen) =>
      a.GetTokenInformation(ptr(token), cls, buf, len, retLen),
    lookupPrivilegeValueW: (name, luid) => a.LookupPrivilegeValueW(null, utf16z(name), luid),
    adjustTokenPrivileges: (token, state) =>
      a.AdjustTokenPrivileges(ptr(token), 0, state, 0, null, null),
    getForegroundWindow: () => val(u.GetForegroundWindow()),
    getWindowThreadProcessId: (hwnd, pid) => u.GetWindowThreadProcessId(ptr(hwnd), pid),
    close,
  };
}
