/**
 * Codecs for the system-memory structs (x64, little-endian; offsets per specs/memoria.md §2.2).
 * Each struct has a SIZE, an encoder (used to prepare input buffers and by test fakes) and a
 * decoder. Sizes are part of the contract with the kernel: a wrong one is an engine failure.
 *
 * @module
 */
import { setU64, u64, view } from "./_codec.ts";

/** MEMORYSTATUSEX: GlobalMemoryStatusEx output; dwLength must be 64 on input. */
export interface MemoryStatusEx {
  memoryLoad: number;
  totalPhys: number;
  availPhys: number;
  totalPageFile: number;
  availPageFile: number;
  totalVirtual: number;
  availVirtual: number;
  availExtendedVirtual: number;
}
/** sizeof(MEMORYSTATUSEX). */
export const MEMORYSTATUSEX_SIZE = 64;

/**
 * Encode MEMORYSTATUSEX (dwLength is always set to 64). With no value, an input buffer.
 *
 * @example
 * ```ts
 * const buf = encodeMemoryStatusEx(); // pass to GlobalMemoryStatusEx
 * ```
 */
export function encodeMemoryStatusEx(s?: MemoryStatusEx): Uint8Array {
  const buf = new Uint8Array(MEMORYSTATUSEX_SIZE);
  const v = view(buf, MEMORYSTATUSEX_SIZE, "MEMORYSTATUSEX");
  v.setUint32(0, MEMORYSTATUSEX_SIZE, true);
  if (!s) return buf;
  v.setUint32(4, s.memoryLoad, true);
  const fields = [
    s.totalPhys,
    s.availPhys,
    s.totalPageFile,
    s.availPageFile,
    s.totalVirtual,
    s.availVirtual,
    s.availExtendedVirtual,
  ];
  fields.forEach((f, i) => setU64(v, 8 + i * 8, f));
  return buf;
}

/** Decode MEMORYSTATUSEX. */
export function decodeMemoryStatusEx(buf: Uint8Array): MemoryStatusEx {
  const v = view(buf, MEMORYSTATUSEX_SIZE, "MEMORYSTATUSEX");
  return {
    memoryLoad: v.getUint32(4, true),
    totalPhys: u64(v, 8),
    availPhys: u64(v, 16),
    totalPageFile: u64(v, 24),
    availPageFile: u64(v, 32),
    totalVirtual: u64(v, 40),
    availVirtual: u64(v, 48),
    availExtendedVirtual: u64(v, 56),
  };
}

/** PERFORMANCE_INFORMATION: SIZE_T values are in pages; multiply by pageSize. */
export interface PerformanceInformation {
  commitTotal: number;
  commitLimit: number;
  commitPeak: number;
  physicalTotal: number;
  physicalAvailable: number;
  systemCache: number;
  kernelTotal: number;
  kernelPaged: number;
  kernelNonpaged: number;
  pageSize: number;
  handleCount: number;
  processCount: number;
  threadCount: number;
}
/** sizeof(PERFORMANCE_INFORMATION). */
export const PERFORMANCE_INFORMATION_SIZE = 104;
const PERF_U64 = [
  "commitTotal",
  "commitLimit",
  "commitPeak",
  "physicalTotal",
  "physicalAvailable",
  "systemCache",
  "kernelTotal",
  "kernelPaged",
  "kernelNonpaged",
  "pageSize",
] as const;

/** Encode PERFORMANCE_INFORMATION (cb = 104). With no value, an input buffer. */
export function encodePerformanceInformation(p?: PerformanceInformation): Uint8Array {
  const buf = new Uint8Array(PERFORMANCE_INFORMATION_SIZE);
  const v = view(buf, PERFORMANCE_INFORMATION_SIZE, "PERFORMANCE_INFORMATION");
  v.setUint32(0, PERFORMANCE_INFORMATION_SIZE, true);
  if (!p) return buf;
  PERF_U64.forEach((k, i) => setU64(v, 8 + i * 8, p[k]));
  v.setUint32(88, p.handleCount, true);
  v.setUint32(92, p.processCount, true);
  v.setUint32(96, p.threadCount, true);
  return buf;
}

/** Decode PERFORMANCE_INFORMATION. */
export function decodePerformanceInformation(buf: Uint8Array): PerformanceInformation {
  const v = view(buf, PERFORMANCE_INFORMATION_SIZE, "PERFORMANCE_INFORMATION");
  const out = {} as PerformanceInformation;
  PERF_U64.forEach((k, i) => (out[k] = u64(v, 8 + i * 8)));
  out.handleCount = v.getUint32(88, true);
  out.processCount = v.getUint32(92, true);
  out.threadCount = v.getUint32(96, true);
  return out;
}

/** SYSTEM_FILECACHE_INFORMATION (class 21 query / class 81 set). */
export interface FileCacheInformation {
  currentSize: number;
  peakSize: number;
  pageFaultCount: number;
  /** bigint so `SIZE_T_MAX` ("trim everything") fits. */
  minimumWorkingSet: bigint;
  maximumWorkingSet: bigint;
  currentSizeIncludingTransitionInPages: number;
  peakSizeIncludingTransitionInPages: number;
  transitionRePurposeCount: number;
  flags: number;
}
/** sizeof(SYSTEM_FILECACHE_INFORMATION); the kernel rejects a shorter set. */
export const FILECACHE_INFORMATION_SIZE = 64;

/** Encode SYSTEM_FILECACHE_INFORMATION. */
export function encodeFileCacheInformation(f: Partial<FileCacheInformation>): Uint8Array {
  const buf = new Uint8Array(FILECACHE_INFORMATION_SIZE);
  const v = view(buf, FILECACHE_INFORMATION_SIZE, "SYSTEM_FILECACHE_INFORMATION");
  setU64(v, 0, f.currentSize ?? 0);
  setU64(v, 8, f.peakSize ?? 0);
  v.setUint32(16, f.pageFaultCount ?? 0, true);
  setU64(v, 24, f.minimumWorkingSet ?? 0n);
  setU64(v, 32, f.maximumWorkingSet ?? 0n);
  setU64(v, 40, f.currentSizeIncludingTransitionInPages ?? 0);
  setU64(v, 48, f.peakSizeIncludingTransitionInPages ?? 0);
  v.setUint32(56, f.transitionRePurposeCount ?? 0, true);
  v.setUint32(60, f.flags ?? 0, true);
  return buf;
}

/** Decode SYSTEM_FILECACHE_INFORMATION. */
export function decodeFileCacheInformation(buf: Uint8Array): FileCacheInformation {
  const v = view(buf, FILECACHE_INFORMATION_SIZE, "SYSTEM_FILECACHE_INFORMATION");
  return {
    currentSize: u64(v, 0),
    peakSize: u64(v, 8),
    pageFaultCount: v.getUint32(16, true),
    minimumWorkingSet: v.getBigUint64(24, true),
    maximumWorkingSet: v.getBigUint64(32, true),
    currentSizeIncludingTransitionInPages: u64(v, 40),
    peakSizeIncludingTransitionInPages: u64(v, 48),
    transitionRePurposeCount: v.getUint32(56, true),
    flags: v.getUint32(60, true),
  };
}

/** SYSTEM_MEMORY_LIST_INFORMATION (class 80 query); every count is in pages. */
export interface MemoryListInformation {
  zeroPageCount: number;
  freePageCount: number;
  modifiedPageCount: number;
  modifiedNoWritePageCount: number;
  badPageCount: number;
  /** Standby pages by priority 0..7. */
  pageCountByPriority: number[];
  repurposedPagesByPriority: number[];
  modifiedPageCountPageFile: number;
}
/** sizeof(SYSTEM_MEMORY_LIST_INFORMATION) = 22 × 8. */
export const MEMORY_LIST_INFORMATION_SIZE = 176;

/** Encode SYSTEM_MEMORY_LIST_INFORMATION (for fakes and tests). */
export function encodeMemoryListInformation(m: MemoryListInformation): Uint8Array {
  const buf = new Uint8Array(MEMORY_LIST_INFORMATION_SIZE);
  const v = view(buf, MEMORY_LIST_INFORMATION_SIZE, "SYSTEM_MEMORY_LIST_INFORMATION");
  const all = [
    m.zeroPageCount,
    m.freePageCount,
    m.modifiedPageCount,
    m.modifiedNoWritePageCount,
    m.badPageCount,
    ...fixed8(m.pageCountByPriority),
    ...fixed8(m.repurposedPagesByPriority),
    m.modifiedPageCountPageFile,
  ];
  all.forEach((n, i) => setU64(v, i * 8, n));
  return buf;
}

/** Decode SYSTEM_MEMORY_LIST_INFORMATION. */
export function decodeMemoryListInformation(buf: Uint8Array): MemoryListInformation {
  const v = view(buf, MEMORY_LIST_INFORMATION_SIZE, "SYSTEM_MEMORY_LIST_INFORMATION");
  const at = (i: number) => u64(v, i * 8);
  return {
    zeroPageCount: at(0),
    freePageCount: at(1),
    modifiedPageCount: at(2),
    modifiedNoWritePageCount: at(3),
    badPageCount: at(4),
    pageCountByPriority: Array.from({ length: 8 }, (_, i) => at(5 + i)),
    repurposedPagesByPriority: Array.from({ length: 8 }, (_, i) => at(13 + i)),
    modifiedPageCountPageFile: at(21),
  };
}

function fixed8(a: number[]): number[] {
  return Array.from({ length: 8 }, (_, i) => a[i] ?? 0);
}

/** SYSTEM_MEMORY_LIST_COMMAND: the 4-byte payload for NtSetSystemInformation(80). */
export const MEMORY_LIST_COMMAND_SIZE = 4;

/** Encode a memory-list command (see MEMORY_LIST_COMMAND). */
export function encodeMemoryListCommand(command: number): Uint8Array {
  const buf = new Uint8Array(MEMORY_LIST_COMMAND_SIZE);
  new DataView(buf.buffer).setUint32(0, command, true);
  return buf;
}

/** Decode a memory-list command (used by fakes). */
export function decodeMemoryListCommand(buf: Uint8Array): number {
  return view(buf, MEMORY_LIST_COMMAND_SIZE, "SYSTEM_MEMORY_LIST_COMMAND").getUint32(0, true);
}

/** MEMORY_COMBINE_INFORMATION(_EX): PagesCombined is written by the kernel. */
export interface MemoryCombineInformation {
  handle: bigint;
  pagesCombined: number;
  /** Only in the _EX form. */
  flags?: number;
}
/** Sizes of MEMORY_COMBINE_INFORMATION and its _EX form. */
export const MEMORY_COMBINE_SIZE = 16;
export const MEMORY_COMBINE_EX_SIZE = 24;

/** Encode MEMORY_COMBINE_INFORMATION (size 16) or _EX (size 24). */
export function encodeMemoryCombine(
  size: 16 | 24,
  m: MemoryCombineInformation = { handle: 0n, pagesCombined: 0 },
): Uint8Array {
  const buf = new Uint8Array(size);
  const v = view(buf, size, "MEMORY_COMBINE_INFORMATION");
  setU64(v, 0, m.handle);
  setU64(v, 8, m.pagesCombined);
  if (size === MEMORY_COMBINE_EX_SIZE) v.setUint32(16, m.flags ?? 0, true);
  return buf;
}

/** Decode MEMORY_COMBINE_INFORMATION(_EX) by its length. */
export function decodeMemoryCombine(buf: Uint8Array): MemoryCombineInformation {
  const v = view(buf, MEMORY_COMBINE_SIZE, "MEMORY_COMBINE_INFORMATION");
  const out: MemoryCombineInformation = {
    handle: v.getBigUint64(0, true),
    pagesCombined: u64(v, 8),
  };
  if (buf.byteLength >= MEMORY_COMBINE_EX_SIZE) out.flags = v.getUint32(16, true);
  return out;
}

/** One SYSTEM_PAGEFILE_INFORMATION entry (class 18; sizes in pages). */
export interface PageFileEntry {
  totalSize: number;
  totalInUse: number;
  peakUsage: number;
}
/** Fixed part of one SYSTEM_PAGEFILE_INFORMATION entry (the name's UNICODE_STRING included). */
export const PAGEFILE_ENTRY_SIZE = 32;

/**
 * Decode the chained SYSTEM_PAGEFILE_INFORMATION list (NextEntryOffset u32@0, TotalSize u32@4,
 * TotalInUse u32@8, PeakUsage u32@12, PageFileName UNICODE_STRING@16).
 */
export function decodePageFileInformation(buf: Uint8Array, length: number): PageFileEntry[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: PageFileEntry[] = [];
  let at = 0;
  while (
    length >= PAGEFILE_ENTRY_SIZE && at + PAGEFILE_ENTRY_SIZE <= Math.min(length, buf.byteLength)
  ) {
    out.push({
      totalSize: v.getUint32(at + 4, true),
      totalInUse: v.getUint32(at + 8, true),
      peakUsage: v.getUint32(at + 12, true),
    });
    const next = v.getUint32(at, true);
    if (next === 0) break;
    at += next;
  }
  return out;
}

/** Encode a chained SYSTEM_PAGEFILE_INFORMATION list (names left empty; for fakes and tests). */
export function encodePageFileInformation(entries: PageFileEntry[]): Uint8Array {
  const buf = new Uint8Array(entries.length * PAGEFILE_ENTRY_SIZE);
  const v = new DataView(buf.buffer);
  entries.forEach((e, i) => {
    const at = i * PAGEFILE_ENTRY_SIZE;
    v.setUint32(at, i === entries.length - 1 ? 0 : PAGEFILE_ENTRY_SIZE, true);
    v.setUint32(at + 4, e.totalSize, true);
    v.setUint32(at + 8, e.totalInUse, true);
    v.setUint32(at + 12, e.peakUsage, true);
  });
  return buf;
}
