/**
 * The Win32 surface the relief engine uses, as an interface. The real implementation
 * (`openWinApi`) wraps `Deno.dlopen`; tests use a fake that mimics Win32 return codes
 * (BOOL 0/1, NTSTATUS, NULL handles), so every decision above it runs on Linux too.
 *
 * Methods keep the Win32 shape on purpose: out-parameters are caller-owned buffers encoded
 * with the codecs in this folder, BOOL results are numbers, NTSTATUS results are signed i32.
 *
 * @module
 */

/** A HANDLE / HWND as an integer; `0n` is NULL. */
export type Handle = bigint;

/** kernel32, psapi, ntdll, advapi32 and user32 calls, one method each. */
export interface WinApi {
  // kernel32
  /** GlobalMemoryStatusEx(MEMORYSTATUSEX*) → BOOL. */
  globalMemoryStatusEx(buf: Uint8Array): number;
  /** GetCurrentProcess() → pseudo handle. */
  getCurrentProcess(): Handle;
  getCurrentProcessId(): number;
  /** Best effort only: the runtime may make Win32 calls between ours. */
  getLastError(): number;
  /** OpenProcess → handle or 0n. */
  openProcess(access: number, inherit: boolean, pid: number): Handle;
  closeHandle(h: Handle): number;
  /** QueryFullProcessImageNameW(h, flags, WCHAR*, DWORD* size in chars) → BOOL. */
  queryFullProcessImageNameW(h: Handle, flags: number, buf: Uint8Array, size: Uint8Array): number;
  /** CreateToolhelp32Snapshot → handle or INVALID_HANDLE. */
  createToolhelp32Snapshot(flags: number, pid: number): Handle;
  process32FirstW(snapshot: Handle, entry: Uint8Array): number;
  process32NextW(snapshot: Handle, entry: Uint8Array): number;
  /** SetSystemFileCacheSize(min, max, flags) → BOOL. */
  setSystemFileCacheSize(min: bigint, max: bigint, flags: number): number;

  // psapi (forwarders to kernel32!K32*)
  getPerformanceInfo(buf: Uint8Array, cb: number): number;
  enumProcesses(pids: Uint8Array, cb: number, needed: Uint8Array): number;
  getProcessMemoryInfo(h: Handle, buf: Uint8Array, cb: number): number;
  emptyWorkingSet(h: Handle): number;

  // ntdll
  /** NtQuerySystemInformation → NTSTATUS. */
  ntQuerySystemInformation(
    cls: number,
    buf: Uint8Array | null,
    len: number,
    retLen: Uint8Array | null,
  ): number;
  /** NtSetSystemInformation → NTSTATUS. */
  ntSetSystemInformation(cls: number, buf: Uint8Array | null, len: number): number;
  /** RtlGetVersion(RTL_OSVERSIONINFOW*) → NTSTATUS. */
  rtlGetVersion(buf: Uint8Array): number;
  /** ntdll!wine_get_version when running under Wine, else null. */
  wineVersion(): string | null;

  // advapi32
  /** OpenProcessToken(process, access, HANDLE*) → BOOL. */
  openProcessToken(process: Handle, access: number, token: Uint8Array): number;
  /** GetTokenInformation(token, class, buf, len, DWORD* returned) → BOOL. */
  getTokenInformation(
    token: Handle,
    cls: number,
    buf: Uint8Array | null,
    len: number,
    retLen: Uint8Array,
  ): number;
  /** LookupPrivilegeValueW(NULL, name, LUID*) → BOOL. */
  lookupPrivilegeValueW(name: string, luid: Uint8Array): number;
  /**
   * AdjustTokenPrivileges(token, FALSE, newState, 0, NULL, NULL) → BOOL. It returns TRUE even
   * when nothing was assigned (ERROR_NOT_ALL_ASSIGNED), so callers must read the token back.
   */
  adjustTokenPrivileges(token: Handle, newState: Uint8Array): number;

  // user32
  getForegroundWindow(): Handle;
  /** GetWindowThreadProcessId(hwnd, DWORD* pid) → thread id (0 on failure). */
  getWindowThreadProcessId(hwnd: Handle, pid: Uint8Array): number;

  /** Unload the libraries. */
  close(): void;
}
