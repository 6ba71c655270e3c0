/**
 * The stored memories a new write is compared with: its lexical neighbours (the candidates for
 * dedup and contradiction), which of them belong to the same conversation, and the one it
 * duplicates by the dedup rule. Used by the write path (write.ts).
 */
import type { StoredMemory } from "../store/mod.ts";
import { contentWords, convOf, ftsQuote } from "../recall/mod.ts";
import { cosine } from "../embed/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { StoreInput } from "./schemas.ts";
import { isPolarityWord } from "./contradiction.ts";
import { isDuplicate } from "./dedup.ts";
import type { DedupIndex } from "./dedup_index.ts";

/**
 * A turn of dialogue (`metadata.speaker`) of a conversation (`metadata.conv_id` /
 * `conversation_id`) duplicates only turns of the same conversation: the same words in
 * another conversation ("Haha yes!", a story two people tell) are another turn, and merging
 * them would drop it from its conversation. Other memories dedup namespace-wide, as before.
 */
export function sameConversation(input: StoreInput): (m: StoredMemory) => boolean {
  const meta = input.metadata ?? {};
  const conv = meta.speaker == null ? null : convOf({ metadata: meta });
  return conv === null ? () => true : (m) => convOf(m.record) === conv;
}

/** Rows kept at most (records and vectors each). */
const MAX_KEPT = 20_000;

/**
 * Keep `m` within {@link MAX_KEPT}: past it, the half used longest ago goes (a hit moves a
 * row to the end). Emptying it whole made a 100k import read its common neighbours again.
 */
function trim<V>(m: Map<number, V>): void {
  if (m.size <= MAX_KEPT) return;
  let drop = m.size - MAX_KEPT / 2;
  for (const pk of m.keys()) {
    if (drop-- <= 0) break;
    m.delete(pk);
  }
}

/** `m`'s value for `pk`, moved to the end (most recently used). */
function use<V>(m: Map<number, V>, pk: number): V | undefined {
  const v = m.get(pk);
  if (v !== undefined) {
    m.delete(pk);
    m.set(pk, v);
  }
  return v;
}

/**
 * Rows one write batch has read, by pk. A batch is one transaction, so what it read stays
 * true until the batch itself rewrites the row ({@link BatchReads.forget}); the same few
 * neighbours come back for many memories of a batch, and are read and opened once. Bulk
 * writes keep one across batches while nobody else writes (dedup_index.ts, `epoch`).
 */
export class BatchReads {
  #records = new Map<number, StoredMemory>();
  #vectors = new Map<number, Float32Array | null>();

  /** Records for pks, in the order given (missing ones skipped), as `Store.getMany`. */
  records(rt: Runtime, pks: number[]): StoredMemory[] {
    const missing = pks.filter((pk) => !this.#records.has(pk));
    if (missing.length > 0) {
      for (const m of rt.store.getMany(missing)) this.#records.set(m.pk, m);
    }
    const out = pks.map((pk) => use(this.#records, pk)).filter((m): m is StoredMemory => !!m);
    trim(this.#records); // after the reads: what this call returns was just used
    return out;
  }

  /** Usable vectors of these rows, as `Runtime.vectorsOf`. */
  vectors(rt: Runtime, pks: number[]): Map<number, Float32Array> {
    const missing = pks.filter((pk) => !this.#vectors.has(pk));
    if (missing.length > 0) {
      const got = rt.vectorsOf(missing);
      for (const pk of missing) this.#vectors.set(pk, got.get(pk) ?? null);
    }
    const out = new Map<number, Float32Array>();
    for (const pk of pks) {
      const v = use(this.#vectors, pk);
      if (v) out.set(pk, v);
    }
    trim(this.#vectors);
    return out;
  }

  /** The batch rewrote this row: read it again next time. */
  forget(pk: number): void {
    this.#records.delete(pk);
    this.#vectors.delete(pk);
  }
}

const kept = new WeakMap<DedupIndex, { epoch: number; reads: BatchReads }>();

/** The rows bulk writes read, kept while the index's state holds (its epoch). */
export function readsOf(index: DedupIndex): BatchReads {
  let k = kept.get(index);
  if (!k || k.epoch !== index.epoch) {
    kept.set(index, k = { epoch: index.epoch, reads: new BatchReads() });
  }
  return k.reads;
}

/** The neighbour `content` duplicates by the dedup rule ({@link isDuplicate}), most similar first. */
export function bestDuplicate(
  rt: Runtime,
  neighbours: StoredMemory[],
  content: string,
  vec: Float32Array,
  reads: BatchReads = new BatchReads(),
): { m: StoredMemory; sim: number } | null {
  const threshold = rt.config.recall.semantic_dedup_threshold;
  let best: { m: StoredMemory; sim: number } | null = null;
  const vectors = reads.vectors(rt, neighbours.map((m) => m.pk));
  for (const m of neighbours) {
    const v = vectors.get(m.pk);
    const sim = v ? cosine(v, vec) : null;
    if (!isDuplicate(m.record.content, content, sim, threshold)) continue;
    if (!best || (sim ?? 1) > best.sim) best = { m, sim: sim ?? 1 };
  }
  return best;
}

const FEW = 24;

/**
 * Nearest memories by bm25 on the new content: the candidates for dedup and contradiction.
 * `index` (bulk writes) ranks from postings in memory; it answers what the FTS query would,
 * or nothing, and then the FTS query runs (dedup_index.ts).
 */
export function lexicalNeighbours(
  rt: Runtime,
  ns: string,
  content: string,
  reads: BatchReads = new BatchReads(),
  index?: DedupIndex,
): StoredMemory[] {
  // Near-duplicates and contradictions share almost every word, so the memories holding the
  // three rarest non-polarity words are the candidates. An AND over rare terms costs about the
  // rarest term's posting list, which keeps bulk import fast at 100k rows.
  const words = contentWords(content).filter((w) => !isPolarityWord(w));
  const rare = rt.stats.selectTerms(words, { max: 3, maxRatio: 1, keep: 3, presentOnly: true });
  if (rare.length === 0) return [];
  // When the rarest word is in only a few memories, those few are all the candidates there
  // can be, and one short posting list is cheaper than intersecting three.
  const few = rt.stats.df(rare[0]) <= FEW;
  const terms = few ? rare.slice(0, 1) : rare;
  const k = few ? FEW : 8;
  const pks = index?.top(terms, ns, k) ??
    rt.store.fts(terms.map(ftsQuote).join(" AND "), { namespace: ns }, k).map((h) => h.pk);
  return reads.records(rt, pks);
}
