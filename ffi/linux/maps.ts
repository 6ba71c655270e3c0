/**
 * /proc/<pid>/maps parsing and the `struct iovec` codec for process_madvise. Pure functions.
 *
 * @module
 */

/** One mapping: [start, end) with its permission string ("rw-p") and path (may be ""). */
export interface MapRange {
  start: bigint;
  end: bigint;
  perms: string;
  path: string;
}

/**
 * Parse /proc/<pid>/maps.
 *
 * @example
 * ```ts
 * parseMaps("7f00-7f10 rw-p 00000000 00:00 0 \n")[0].perms; // "rw-p"
 * ```
 */
export function parseMaps(text: string): MapRange[] {
  const out: MapRange[] = [];
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+\S+\s+\S+\s+\S+\s*(.*)$/.exec(line);
    if (m) {
      out.push({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), perms: m[3], path: m[4] });
    }
  }
  return out;
}

// Special kernel mappings: paging them out is meaningless or refused.
const SPECIAL = new Set(["[vvar]", "[vvar_vclock]", "[vdso]", "[vsyscall]", "[uprobes]"]);

/**
 * The ranges worth paging out: private, readable and writable (heap, stacks, anonymous
 * memory, written data segments). Shared and read-only mappings are file cache the kernel
 * manages on its own.
 *
 * @example
 * ```ts
 * pageoutCandidates(parseMaps("1000-2000 rw-p 0 00:00 0\n3000-4000 r--p 0 00:00 0 /lib")).length; // 1
 * ```
 */
export function pageoutCandidates(ranges: MapRange[]): MapRange[] {
  return ranges.filter((r) =>
    r.perms[0] === "r" && r.perms[1] === "w" && r.perms[3] === "p" && !SPECIAL.has(r.path) &&
    r.end > r.start
  );
}

/** One iovec: a base address in the *target* process and a length. */
export interface IoVec {
  base: bigint;
  len: bigint;
}

/** Limits for one process_madvise call. */
export interface BatchLimits {
  /** iovecs per call (IOV_MAX is 1024; we stay at 512). */
  maxIov: number;
  /** Bytes per call: the kernel caps one call at MAX_RW_COUNT (~2 GiB), so stay at 1 GiB. */
  maxBytes: bigint;
}
/** The limits used by the engine. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxIov: 512, maxBytes: 1n << 30n };

/**
 * Split ranges into process_madvise batches within the limits; a range larger than
 * `maxBytes` is cut into pieces.
 *
 * @example
 * ```ts
 * planIovecBatches([{ base: 0n, len: 3n << 30n }]).length; // 3
 * ```
 */
export function planIovecBatches(
  vecs: IoVec[],
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): IoVec[][] {
  const batches: IoVec[][] = [];
  let cur: IoVec[] = [];
  let bytes = 0n;
  const flush = () => {
    if (cur.length) batches.push(cur);
    cur = [];
    bytes = 0n;
  };
  for (const v of vecs) {
    let base = v.base;
    let left = v.len;
    while (left > 0n) {
      if (cur.length >= limits.maxIov || bytes >= limits.maxBytes) flush();
      const room = limits.maxBytes - bytes;
      const len = left < room ? left : room;
      cur.push({ base, len });
      bytes += len;
      base += len;
      left -= len;
    }
  }
  flush();
  return batches;
}

/** sizeof(struct iovec) on 64-bit Linux. */
export const IOVEC_SIZE = 16;

/**
 * Encode iovecs as the C array process_madvise reads.
 *
 * @example
 * ```ts
 * encodeIovecs([{ base: 0x1000n, len: 4096n }]).length; // 16
 * ```
 */
export function encodeIovecs(vecs: IoVec[]): Uint8Array {
  const buf = new Uint8Array(vecs.length * IOVEC_SIZE);
  const v = new DataView(buf.buffer);
  vecs.forEach((x, i) => {
    v.setBigUint64(i * IOVEC_SIZE, x.base, true);
    v.setBigUint64(i * IOVEC_SIZE + 8, x.len, true);
  });
  return buf;
}

/** Decode an iovec array (used by fakes and tests). */
export function decodeIovecs(buf: Uint8Array, count: number): IoVec[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return Array.from({ length: count }, (_, i) => ({
    base: v.getBigUint64(i * IOVEC_SIZE, true),
    len: v.getBigUint64(i * IOVEC_SIZE + 8, true),
  }));
}
