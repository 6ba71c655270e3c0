/**
 * Speaker scope. In a namespace holding many conversations, a question naming a speaker
 * ("What is Lucia's main form of exercise?") competes with every other conversation for the
 * channels' first `k` hits: words like "exercise" are said everywhere, and the turns of
 * Lucia's conversation may not be among them at all. So the channels also run inside the
 * episodes (sessions) in which a named speaker speaks — their conversations, both speakers'
 * turns — and add what they find to the candidates. The conversation focus (focus.ts) then
 * prefers them.
 *
 * Bounded work: one indexed query for the scope (at most {@link SCOPE_CAP} memories; a name
 * spoken more widely than that adds nothing), one bm25 query and one vector search restricted
 * to it. Reads no content or metadata.
 */
import {
  contextRowCountUpTo,
  episodePksOfSpeakers,
  ftsBestAnywhere,
  type MemoryFilter,
  type Store,
} from "../store/mod.ts";
import { ftsQuote } from "./text.ts";
import type { VectorIndex } from "./vector_index.ts";

/** bm25 hits read (best first) to find the scope's best. */
const FTS_DEPTH = 2_000;

/** Memories a scope holds at most. */
export const SCOPE_CAP = 5_000;

/**
 * The memories of the episodes in which one of `names` speaks (in `filter`'s namespace), or
 * null when there are none, more than {@link SCOPE_CAP}, or at least half of the namespace's
 * episode memories (one conversation per namespace: the channels already search it all).
 */
export function speakerScope(
  store: Store,
  names: string[],
  filter: MemoryFilter,
): Set<number> | null {
  if (names.length === 0) return null;
  const match = `speaker : (${names.map(ftsQuote).join(" OR ")})`;
  try {
    const pks = episodePksOfSpeakers(store, filter.namespace, match, SCOPE_CAP + 1);
    if (pks.length === 0 || pks.length > SCOPE_CAP) return null;
    const all = contextRowCountUpTo(store, filter.namespace, 2 * pks.length);
    return 2 * pks.length > all ? null : new Set(pks);
  } catch (e) {
    if (/fts5|syntax/i.test((e as Error).message)) return null;
    throw e;
  }
}

/** bm25 of the memories' own text, restricted to `scope` (higher is better). */
export function scopedFts(
  store: Store,
  match: string,
  scope: Set<number>,
  k: number,
): { pk: number; score: number }[] {
  try {
    // Ranked over the whole index and filtered here: a rowid restriction inside the FTS query
    // makes SQLite run the match once per row of the scope.
    const rows = ftsBestAnywhere(store, match, FTS_DEPTH);
    return rows.filter((r) => scope.has(r.pk)).slice(0, k).map((r) => ({ pk: r.pk, score: -r.s }));
  } catch (e) {
    if (/fts5|syntax/i.test((e as Error).message)) return [];
    throw e;
  }
}

/**
 * Add the scope's best vector and bm25 hits to the channels' raw scores (a memory already
 * there keeps its score: bm25 and cosine do not depend on the restriction).
 */
export function addScoped(
  deps: { store: Store; index: VectorIndex },
  scope: Set<number>,
  q: { vector: Float32Array | null; match: string | null; namespace: string; k: number },
  allow: Set<number> | undefined,
  statusMask: number | undefined,
  into: { vector: Map<number, number>; fts: Map<number, number> },
): void {
  const set = allow ? new Set([...scope].filter((pk) => allow.has(pk))) : scope;
  if (set.size === 0) return;
  if (q.vector) {
    for (const h of deps.index.search(q.namespace, q.vector, q.k, set, statusMask)) {
      if (h.score > 0 && !into.vector.has(h.pk)) into.vector.set(h.pk, h.score);
    }
  }
  for (const h of q.match ? scopedFts(deps.store, q.match, set, q.k) : []) {
    if (!into.fts.has(h.pk)) into.fts.set(h.pk, h.score);
  }
}
