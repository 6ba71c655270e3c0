/**
 * Codecs for the per-process, token and version structs (x64, little-endian), plus the
 * small out-parameter cells (a DWORD, a HANDLE) Win32 calls write into.
 *
 * @module
 */
import { fromUtf16, setU64, u64, utf16z, view } from "./_codec.ts";

/** PROCESS_MEMORY_COUNTERS and its _EX / _EX2 extensions (byte counts). */
export interface ProcessMemoryCounters {
  pageFaultCount: number;
  peakWorkingSetSize: number;
  workingSetSize: number;
  quotaPeakPagedPoolUsage: number;
  quotaPagedPoolUsage: number;
  quotaPeakNonPagedPoolUsage: number;
  quotaNonPagedPoolUsage: number;
  pagefileUsage: number;
  peakPagefileUsage: number;
  /** _EX and later. */
  privateUsage?: number;
  /** _EX2 (Windows 10 1809+). */
  privateWorkingSetSize?: number;
  sharedCommitUsage?: number;
}
/** Sizes of PROCESS_MEMORY_COUNTERS, _EX and _EX2. */
export const PMC_SIZE = 72;
export const PMC_EX_SIZE = 80;
export const PMC_EX2_SIZE = 96;
const PMC_U64 = [
  "peakWorkingSetSize",
  "workingSetSize",
  "quotaPeakPagedPoolUsage",
  "quotaPagedPoolUsage",
  "quotaPeakNonPagedPoolUsage",
  "quotaNonPagedPoolUsage",
  "pagefileUsage",
  "peakPagefileUsage",
] as const;

/** Encode PROCESS_MEMORY_COUNTERS of `size` bytes (cb = size). With no value, an input buffer. */
export function encodeProcessMemoryCounters(
  size: 72 | 80 | 96 = PMC_EX_SIZE,
  c?: ProcessMemoryCounters,
): Uint8Array {
  const buf = new Uint8Array(size);
  const v = view(buf, size, "PROCESS_MEMORY_COUNTERS");
  v.setUint32(0, size, true);
  if (!c) return buf;
  v.setUint32(4, c.pageFaultCount, true);
  PMC_U64.forEach((k, i) => setU64(v, 8 + i * 8, c[k]));
  if (size >= PMC_EX_SIZE) setU64(v, 72, c.privateUsage ?? 0);
  if (size >= PMC_EX2_SIZE) {
    setU64(v, 80, c.privateWorkingSetSize ?? 0);
    setU64(v, 88, c.sharedCommitUsage ?? 0);
  }
  return buf;
}

/** Decode PROCESS_MEMORY_COUNTERS; the extra fields appear when the buffer holds them. */
export function decodeProcessMemoryCounters(buf: Uint8Array): ProcessMemoryCounters {
  const v = view(buf, PMC_SIZE, "PROCESS_MEMORY_COUNTERS");
  const out = { pageFaultCount: v.getUint32(4, true) } as ProcessMemoryCounters;
  PMC_U64.forEach((k, i) => (out[k] = u64(v, 8 + i * 8)));
  if (buf.byteLength >= PMC_EX_SIZE) out.privateUsage = u64(v, 72);
  if (buf.byteLength >= PMC_EX2_SIZE) {
    out.privateWorkingSetSize = u64(v, 80);
    out.sharedCommitUsage = u64(v, 88);
  }
  return out;
}

/** One LUID_AND_ATTRIBUTES entry. */
export interface LuidAndAttributes {
  luidLow: number;
  luidHigh: number;
  attributes: number;
}
/** sizeof(LUID). */
export const LUID_SIZE = 8;

/** Encode a LUID. */
export function encodeLuid(low: number, high = 0): Uint8Array {
  const buf = new Uint8Array(LUID_SIZE);
  const v = new DataView(buf.buffer);
  v.setUint32(0, low, true);
  v.setInt32(4, high, true);
  return buf;
}

/** Decode a LUID. */
export function decodeLuid(buf: Uint8Array): { low: number; high: number } {
  const v = view(buf, LUID_SIZE, "LUID");
  return { low: v.getUint32(0, true), high: v.getInt32(4, true) };
}

/** Size of TOKEN_PRIVILEGES holding `count` entries (4 + 12 each; one entry = 16). */
export function tokenPrivilegesSize(count: number): number {
  return 4 + 12 * count;
}

/**
 * Encode TOKEN_PRIVILEGES (PrivilegeCount then LUID_AND_ATTRIBUTES[]).
 *
 * @example
 * ```ts
 * encodeTokenPrivileges([{ luidLow: 13, luidHigh: 0, attributes: 2 }]).length; // 16
 * ```
 */
export function encodeTokenPrivileges(entries: LuidAndAttributes[]): Uint8Array {
  const size = tokenPrivilegesSize(entries.length);
  const buf = new Uint8Array(size);
  const v = view(buf, size, "TOKEN_PRIVILEGES");
  v.setUint32(0, entries.length, true);
  entries.forEach((e, i) => {
    const at = 4 + i * 12;
    v.setUint32(at, e.luidLow, true);
    v.setInt32(at + 4, e.luidHigh, true);
    v.setUint32(at + 8, e.attributes, true);
  });
  return buf;
}

/** Decode TOKEN_PRIVILEGES; entries beyond the buffer are a RangeError (a bad size). */
export function decodeTokenPrivileges(buf: Uint8Array): LuidAndAttributes[] {
  const v = view(buf, 4, "TOKEN_PRIVILEGES");
  const count = v.getUint32(0, true);
  view(buf, tokenPrivilegesSize(count), "TOKEN_PRIVILEGES");
  return Array.from({ length: count }, (_, i) => {
    const at = 4 + i * 12;
    return {
      luidLow: v.getUint32(at, true),
      luidHigh: v.getInt32(at + 4, true),
      attributes: v.getUint32(at + 8, true),
    };
  });
}

/** A DWORD out-cell (TOKEN_ELEVATION, TOKEN_ELEVATION_TYPE, a PID, a byte count). */
export function newU32(value = 0): Uint8Array {
  const buf = new Uint8Array(4);
  new DataView(buf.buffer).setUint32(0, value, true);
  return buf;
}

/** Read a DWORD out-cell. */
export function readU32(buf: Uint8Array): number {
  return view(buf, 4, "DWORD").getUint32(0, true);
}

/** A HANDLE out-cell (8 bytes on x64). */
export function newHandleCell(value = 0n): Uint8Array {
  const buf = new Uint8Array(8);
  new DataView(buf.buffer).setBigUint64(0, value, true);
  return buf;
}

/** Read a HANDLE out-cell. */
export function readHandleCell(buf: Uint8Array): bigint {
  return view(buf, 8, "HANDLE").getBigUint64(0, true);
}

/** PROCESSENTRY32W: one row of a toolhelp process snapshot. */
export interface ProcessEntry32 {
  pid: number;
  threads: number;
  parentPid: number;
  basePriority: number;
  exeFile: string;
}
/** sizeof(PROCESSENTRY32W) on x64: 44 + 260 WCHARs, padded to 8. */
export const PROCESSENTRY32W_SIZE = 568;
const MAX_PATH = 260;

/** Encode PROCESSENTRY32W (dwSize = 568). With no value, an input buffer. */
export function encodeProcessEntry32(e?: ProcessEntry32): Uint8Array {
  const buf = new Uint8Array(PROCESSENTRY32W_SIZE);
  const v = view(buf, PROCESSENTRY32W_SIZE, "PROCESSENTRY32W");
  v.setUint32(0, PROCESSENTRY32W_SIZE, true);
  if (!e) return buf;
  v.setUint32(8, e.pid, true);
  v.setUint32(28, e.threads, true);
  v.setUint32(32, e.parentPid, true);
  v.setInt32(36, e.basePriority, true);
  buf.set(utf16z(e.exeFile.slice(0, MAX_PATH - 1)), 44);
  return buf;
}

/** Decode PROCESSENTRY32W. */
export function decodeProcessEntry32(buf: Uint8Array): ProcessEntry32 {
  const v = view(buf, PROCESSENTRY32W_SIZE, "PROCESSENTRY32W");
  return {
    pid: v.getUint32(8, true),
    threads: v.getUint32(28, true),
    parentPid: v.getUint32(32, true),
    basePriority: v.getInt32(36, true),
    exeFile: fromUtf16(buf, 44, MAX_PATH),
  };
}

/** RTL_OSVERSIONINFOW: RtlGetVersion output (not subject to the manifest version lie). */
export interface OsVersionInfo {
  major: number;
  minor: number;
  build: number;
  platformId: number;
  csdVersion: string;
}
/** sizeof(RTL_OSVERSIONINFOW): 5 ULONGs + 128 WCHARs. */
export const OSVERSIONINFOW_SIZE = 276;

/** Encode RTL_OSVERSIONINFOW (size field set). With no value, an input buffer. */
export function encodeOsVersionInfo(o?: OsVersionInfo): Uint8Array {
  const buf = new Uint8Array(OSVERSIONINFOW_SIZE);
  const v = view(buf, OSVERSIONINFOW_SIZE, "RTL_OSVERSIONINFOW");
  v.setUint32(0, OSVERSIONINFOW_SIZE, true);
  if (!o) return buf;
  v.setUint32(4, o.major, true);
  v.setUint32(8, o.minor, true);
  v.setUint32(12, o.build, true);
  v.setUint32(16, o.platformId, true);
  buf.set(utf16z(o.csdVersion.slice(0, 127)), 20);
  return buf;
}

/** Decode RTL_OSVERSIONINFOW. */
export function decodeOsVersionInfo(buf: Uint8Array): OsVersionInfo {
  const v = view(buf, OSVERSIONINFOW_SIZE, "RTL_OSVERSIONINFOW");
  return {
    major: v.getUint32(4, true),
    minor: v.getUint32(8, true),
    build: v.getUint32(12, true),
    platformId: v.getUint32(16, true),
    csdVersion: fromUtf16(buf, 20, 128),
  };
}
