/**
 * Drive process_madvise over a list of ranges: batches within the kernel's limits, and a
 * range the kernel refuses (locked, hugetlb, unmapped since we read maps) is skipped rather
 * than ending the whole page-out.
 *
 * @module
 */
import {
  type BatchLimits,
  DEFAULT_BATCH_LIMITS,
  encodeIovecs,
  type IoVec,
  planIovecBatches,
} from "./maps.ts";
import { ERRNO, type LinuxApi, MADV_PAGEOUT } from "./libc.ts";

/** What one page-out of a process achieved. */
export interface PageoutResult {
  requestedBytes: number;
  /** Bytes the kernel accepted advice for (not bytes actually written to swap). */
  advisedBytes: number;
  calls: number;
  skippedRanges: number;
  /** The errno that stopped the page-out, or 0 when it ran to the end. */
  errno: number;
}

// A range that vanished or cannot be reclaimed: skip it and go on.
const SKIP_RANGE = new Set<number>([ERRNO.EINVAL, ERRNO.ENOMEM, ERRNO.EFAULT]);
const RETRY = new Set<number>([ERRNO.EINTR, ERRNO.EAGAIN]);

/**
 * Advise the kernel to page out `vecs` of the process behind `pidfd`.
 *
 * @example
 * ```ts
 * const r = pageoutRanges(api, pidfd, [{ base: 0x7f0000000000n, len: 1n << 20n }]);
 * r.advisedBytes; // 1048576 when the kernel accepted it
 * ```
 */
export function pageoutRanges(
  api: LinuxApi,
  pidfd: number,
  vecs: IoVec[],
  advice = MADV_PAGEOUT,
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): PageoutResult {
  const out: PageoutResult = {
    requestedBytes: Number(vecs.reduce((a, v) => a + v.len, 0n)),
    advisedBytes: 0,
    calls: 0,
    skippedRanges: 0,
    errno: 0,
  };
  // Pre-split so no single vec exceeds a call's byte limit.
  let pending = planIovecBatches(vecs, limits).flat();
  let retries = 0;
  while (pending.length) {
    const batch = takeBatch(pending, limits);
    const r = api.processMadvise(pidfd, encodeIovecs(batch), batch.length, advice);
    out.calls++;
    if (r.value >= 0) {
      out.advisedBytes += r.value;
      const done = wholeVecs(batch, BigInt(r.value));
      if (done === batch.length) {
        pending = pending.slice(batch.length);
      } else {
        // The kernel stopped inside vec `done`: it refused that one; resume after it.
        out.skippedRanges++;
        pending = pending.slice(done + 1);
      }
      retries = 0;
    } else if (RETRY.has(r.errno) && retries < 3) {
      retries++;
    } else if (SKIP_RANGE.has(r.errno)) {
      out.skippedRanges++;
      pending = pending.slice(1);
      retries = 0;
    } else {
      out.errno = r.errno;
      break;
    }
  }
  return out;
}

/** The first batch of `pending` (vecs are already no larger than `maxBytes`). */
function takeBatch(pending: IoVec[], limits: BatchLimits): IoVec[] {
  const batch: IoVec[] = [];
  let bytes = 0n;
  for (const v of pending) {
    if (batch.length >= limits.maxIov) break;
    if (batch.length && bytes + v.len > limits.maxBytes) break;
    batch.push(v);
    bytes += v.len;
  }
  return batch;
}

/** How many leading vecs `advised` bytes cover completely. */
function wholeVecs(batch: IoVec[], advised: bigint): number {
  let n = 0;
  let acc = 0n;
  while (n < batch.length && acc + batch[n].len <= advised) acc += batch[n++].len;
  return n;
}
