/**
 * Graph links of imported memories, deferred to the drain. An import writes its memories
 * without the automatic edges (temporal, entity, causal) that `store` adds on write; each batch
 * instead records the pks it created in `meta` (`graph_link_pending`, a short list of pk
 * ranges: an import's batches are contiguous), in the batch's own transaction. The next
 * `drain` links them ({@link linkDeferred}) in batches of the import's size, each batch and
 * the shrinking of the pending list in one transaction, so a crash loses no link and links
 * nothing twice. Recall needs no edges to find a memory, so it stays correct meanwhile; only
 * graph expansion around the imported memories waits for the drain.
 */
import { linkMemories } from "../graph/build.ts"; // not the barrel: `store` start-up
import {
  deleteMetaValue,
  maxMemoryPk,
  memoryCountInPkRange,
  memoryIdsInPkRange,
  metaValue,
  setMetaValue,
  type Store,
} from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";

const KEY = "graph_link_pending";
/** Memories linked per transaction (the import's batch size). */
const LINK_BATCH = 256;

type Range = [number, number];

function readRanges(store: Store): Range[] {
  const value = metaValue(store, KEY);
  return value !== undefined ? JSON.parse(value) as Range[] : [];
}

function writeRanges(store: Store, ranges: Range[]): void {
  if (ranges.length === 0) {
    deleteMetaValue(store, KEY);
    return;
  }
  setMetaValue(store, KEY, JSON.stringify(ranges));
}

/** Add pks to the sorted, merged range list. */
function addRanges(ranges: Range[], pks: readonly number[]): Range[] {
  const all = [...ranges];
  for (const pk of [...pks].sort((a, b) => a - b)) {
    const last = all[all.length - 1];
    if (last && pk >= last[0] && pk <= last[1] + 1) last[1] = Math.max(last[1], pk);
    else all.push([pk, pk]);
  }
  all.sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Inside a write transaction: these new memories get their graph links at the next drain. */
export function deferLinks(store: Store, pks: readonly number[]): void {
  if (pks.length === 0) return;
  writeRanges(store, addRanges(readRanges(store), pks));
}

/** Memories still waiting for their graph links (rows since deleted are not counted). */
export function pendingLinkCount(store: Store): number {
  let n = 0;
  for (const [lo, hi] of readRanges(store)) {
    n += memoryCountInPkRange(store, lo, hi);
  }
  return n;
}

/** The highest pk now: what a full `graph rebuild` starting now will link. */
export function lastPk(store: Store): number {
  return maxMemoryPk(store);
}

/** Forget pending memories up to `upTo` (a full `graph rebuild` has linked them). */
export function clearDeferredLinks(store: Store, upTo: number): void {
  store.transaction(() => {
    const left = readRanges(store).filter(([, hi]) => hi > upTo)
      .map(([lo, hi]): Range => [Math.max(lo, upTo + 1), hi]);
    writeRanges(store, left);
  });
}

/**
 * The drain's part: link every memory an import deferred, oldest first, with the rule edges
 * link-on-write would have written (no semantic ones, as on import). Returns how many
 * memories were linked. `shouldStop` is asked between batches (`scheduler stop`).
 */
export function linkDeferred(rt: Runtime, shouldStop: () => boolean = () => false): number {
  let linked = 0;
  while (!shouldStop()) {
    const done = rt.store.transaction(() => {
      const ranges = readRanges(rt.store);
      if (ranges.length === 0) return null;
      const [lo, hi] = ranges[0];
      const rows = memoryIdsInPkRange(rt.store, lo, hi, LINK_BATCH);
      const next = rows.length < LINK_BATCH ? hi + 1 : rows[rows.length - 1].pk + 1;
      if (rows.length > 0) {
        linkMemories(rt.store, rows.map((r) => r.id), {
          stats: rt.stats,
          fresh: true,
          rememberHubs: true,
          now: rt.now().toISOString(),
        });
      }
      writeRanges(rt.store, next > hi ? ranges.slice(1) : [[next, hi], ...ranges.slice(1)]);
      return rows.length;
    });
    if (done === null) break;
    linked += done;
  }
  return linked;
}
