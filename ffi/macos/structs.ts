/**
 * macOS struct codecs (64-bit, little-endian): vm_statistics64 from host_statistics64 and
 * xsw_usage from sysctl vm.swapusage. Pure functions.
 *
 * @module
 */

/** The vm_statistics64 fields the snapshot uses (counts in pages). */
export interface VmStatistics64 {
  freeCount: number;
  activeCount: number;
  inactiveCount: number;
  wireCount: number;
  purgeableCount: number;
  speculativeCount: number;
  compressorPageCount: number;
  externalPageCount: number;
  internalPageCount: number;
}
/** sizeof(vm_statistics64) and HOST_VM_INFO64_COUNT (in 32-bit words). */
export const VM_STATISTICS64_SIZE = 152;
export const HOST_VM_INFO64_COUNT = VM_STATISTICS64_SIZE / 4;
/** host_statistics64 flavor. */
export const HOST_VM_INFO64 = 4;

const OFFSETS: Record<keyof VmStatistics64, number> = {
  freeCount: 0,
  activeCount: 4,
  inactiveCount: 8,
  wireCount: 12,
  purgeableCount: 88,
  speculativeCount: 92,
  compressorPageCount: 128,
  externalPageCount: 136,
  internalPageCount: 140,
};

/** Encode vm_statistics64 (for fakes and tests); unlisted fields stay zero. */
export function encodeVmStatistics64(s: VmStatistics64): Uint8Array {
  const buf = new Uint8Array(VM_STATISTICS64_SIZE);
  const v = new DataView(buf.buffer);
  for (const [k, at] of Object.entries(OFFSETS)) {
    v.setUint32(at, s[k as keyof VmStatistics64], true);
  }
  return buf;
}

/**
 * Decode vm_statistics64.
 *
 * @example
 * ```ts
 * decodeVmStatistics64(new Uint8Array(152)).freeCount; // 0
 * ```
 */
export function decodeVmStatistics64(buf: Uint8Array): VmStatistics64 {
  if (buf.byteLength < VM_STATISTICS64_SIZE) throw new RangeError("vm_statistics64: short buffer");
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = {} as VmStatistics64;
  for (const [k, at] of Object.entries(OFFSETS)) {
    out[k as keyof VmStatistics64] = v.getUint32(at, true);
  }
  return out;
}

/** xsw_usage from sysctl vm.swapusage (bytes). */
export interface SwapUsage {
  total: number;
  avail: number;
  used: number;
  pageSize: number;
  encrypted: boolean;
}
/** sizeof(struct xsw_usage). */
export const XSW_USAGE_SIZE = 32;

/** Encode xsw_usage (for fakes and tests). */
export function encodeSwapUsage(s: SwapUsage): Uint8Array {
  const buf = new Uint8Array(XSW_USAGE_SIZE);
  const v = new DataView(buf.buffer);
  v.setBigUint64(0, BigInt(s.total), true);
  v.setBigUint64(8, BigInt(s.avail), true);
  v.setBigUint64(16, BigInt(s.used), true);
  v.setUint32(24, s.pageSize, true);
  v.setUint8(28, s.encrypted ? 1 : 0);
  return buf;
}

/** Decode xsw_usage. */
export function decodeSwapUsage(buf: Uint8Array): SwapUsage {
  if (buf.byteLength < XSW_USAGE_SIZE) throw new RangeError("xsw_usage: short buffer");
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    total: Number(v.getBigUint64(0, true)),
    avail: Number(v.getBigUint64(8, true)),
    used: Number(v.getBigUint64(16, true)),
    pageSize: v.getUint32(24, true),
    encrypted: v.getUint8(28) !== 0,
  };
}
