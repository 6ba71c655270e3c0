/**
 * Word bridges for turns of dialogue (translation-model style query expansion): a question and
 * the turn that answers it often share no word ("Which automobile did Sam get?" / "Finally
 * bought a little red car"). Each content word of the query is expanded with its nearest words
 * in the builtin GloVe table (the `lib/embed` word vectors, offline: nothing is downloaded)
 * among the table's frequent words, above a cosine floor, that the store holds; those words
 * are searched with bm25 and the turns found (inside the named speaker's conversations) become
 * candidates, scored by their own channels. A `bridge` channel (their bm25 relative to the
 * best) is recorded for `--explain`; its weight in fusion is 0 by default (weighing it lowered
 * adversarial separation on the conversational eval; docs/benchmarks.md).
 *
 * It counts for turns of dialogue only (memories with a speaker, like the episode windows):
 * other memories rank exactly as before. */
import { loadVocab, type Vocab } from "../embed/mod.ts";
import { episodeLinks, type MemoryFilter, type Store } from "../store/mod.ts";
import type { TermStats } from "./term_stats.ts";
import { dotsKernel } from "../wasm/mod.ts";
import { STOPWORDS } from "./text.ts";

/** How the bridges count; tuned on the conversational eval's tuning half. */
export interface BridgeWeights {
  /**
   * Weight of the `bridge` channel in fusion. 0 (the default): the turns a bridge finds are
   * candidates, scored by their other channels only.
   */
  weight: number;
  /** Nearest words kept per query word (0: no bridges). */
  neighbours: number;
  /** Least cosine between a query word and a word it is expanded with. */
  floor: number;
  /**
   * The table's most frequent words: query words among them are not expanded, and none of
   * them is a bridge.
   */
  common: number;
  /** Bridges are table words ranked below `common` and above this. */
  rows: number;
  /** Expansion words held by more than this share of the store's memories are left out. */
  share: number;
  /** Hits of the expansion search, as a multiple of the channels' depth. */
  depth: number;
  /** Bridged turns kept as candidates (the best, inside the named speakers' conversations). */
  take: number;
}

export const BRIDGE_WEIGHTS: Readonly<BridgeWeights> = Object.freeze({
  weight: 0,
  neighbours: 2,
  floor: 0.6,
  common: 30,
  rows: 5000,
  share: 0.01,
  depth: 4,
  take: 20,
});

/**
 * The table's first `rows` word vectors as floats in a WebAssembly memory laid out for the
 * dot-product kernel (lib/wasm): [query: dim][rows: rows·dim][out: rows], with each row's
 * inverse length beside them (`inv`), so a cosine is a dot product times `inv`. Built once per
 * process: the copy is one typed-array conversion and the lengths come from the same kernel
 * (each row dotted with itself), no per-value loop in JavaScript. `dots` is null where
 * WebAssembly SIMD is unavailable (a plain loop then).
 */
interface UnitRows {
  rows: number;
  dim: number;
  m: Float32Array;
  q: Float32Array;
  out: Float32Array;
  inv: Float32Array;
  dots: ((n: number) => void) | null;
}
let unit: UnitRows | null = null;

function unitRows(vocab: Vocab, rows: number): UnitRows {
  if (unit && unit.rows === rows) return unit;
  const { dim, scales, vectors } = vocab.table;
  const n = Math.min(rows, scales.length);
  vocab.need(Array.from({ length: n }, (_, i) => i));
  const floats = dim + n * dim + n;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4) / 65536) });
  const q = new Float32Array(memory.buffer, 0, dim);
  const m = new Float32Array(memory.buffer, dim * 4, n * dim);
  const out = new Float32Array(memory.buffer, (dim + n * dim) * 4, n);
  m.set(vectors.subarray(0, n * dim)); // int8 → float32 (a row's scale cancels in a cosine)
  const kernel = dim % 4 === 0 ? dotsKernel(memory) : null;
  const inv = new Float32Array(n);
  const outAt = (dim + n * dim) * 4;
  for (let i = 0; i < n; i++) {
    const at = (dim + i * dim) * 4;
    let sq: number;
    if (kernel) {
      kernel(at, at, 1, dim, outAt);
      sq = out[0];
    } else sq = selfDot(m, i * dim, dim);
    inv[i] = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  }
  const dots = kernel ? (k: number) => kernel(0, dim * 4, k, dim, outAt) : null;
  return unit = { rows: n, dim, m, q, out, inv, dots };
}

/** Σ m[o + d]² over one row. */
function selfDot(m: Float32Array, o: number, dim: number): number {
  let s = 0;
  for (let d = o; d < o + dim; d++) s += m[d] * m[d];
  return s;
}

/** Cosines of table word `id` (any rank) with the first `n` rows, into `u.out`. */
function cosines(vocab: Vocab, u: UnitRows, id: number, n: number): Float32Array {
  const { dim, m, q, out, inv } = u;
  vocab.need([id]);
  const { vectors } = vocab.table;
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += vectors[id * dim + d] ** 2;
  const f = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let d = 0; d < dim; d++) q[d] = vectors[id * dim + d] * f;
  if (u.dots) u.dots(n);
  else {
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * dim;
      for (let d = 0; d < dim; d++) s += q[d] * m[o + d];
      out[i] = s;
    }
  }
  for (let i = 0; i < n; i++) out[i] *= inv[i];
  return out;
}

/** Nearest table words of a word, best first, kept per process (the table never changes). */
const NEAREST = new Map<string, [number, string][]>();
/** Words whose nearest words are kept; past it the cache starts over. */
const NEAREST_CAP = 4096;

/**
 * The table words ranked `common` to `rows` with cosine ≥ `floor` to `term` (none when the
 * table does not know it or ranks it among the `common` first), best first, as [cosine, word].
 */
function nearest(vocab: Vocab, term: string, w: BridgeWeights): [number, string][] {
  const key = `${term}\0${w.common}\0${w.rows}\0${w.floor}`;
  let list = NEAREST.get(key);
  if (list) return list;
  list = [];
  const id = vocab.index.get(term);
  if (id !== undefined && id >= w.common) {
    const u = unitRows(vocab, w.rows);
    const cos = cosines(vocab, u, id, u.rows);
    const best: [number, number][] = [];
    for (let i = w.common; i < u.rows; i++) {
      if (i !== id && cos[i] >= w.floor) best.push([cos[i], i]);
    }
    best.sort((a, b) => b[0] - a[0]);
    list = best.slice(0, 32).map(([c, i]) => [c, vocab.index.word(i)]);
  }
  if (NEAREST.size >= NEAREST_CAP) NEAREST.clear();
  NEAREST.set(key, list);
  return list;
}

/** One expansion word and the cosine it got it by. */
export interface Bridge {
  word: string;
  from: string;
  cosine: number;
}

/**
 * The expansion words of `terms` (the query's lexical terms): for each term the table knows,
 * outside its `common` most frequent words (a rare word too: "automobile" → "car"), its nearest
 * `neighbours` among the table's words ranked `common` to `rows` with cosine ≥ `floor`, that
 * are no stopword, no term of the query, and held by the store (`held`).
 */
export async function bridgeWords(
  terms: string[],
  w: BridgeWeights,
  held: (word: string) => boolean,
): Promise<Bridge[]> {
  if (!(w.neighbours > 0) || terms.length === 0) return [];
  const vocab = await loadVocab();
  const mine = new Set(terms);
  const out = new Map<string, Bridge>();
  for (const t of terms) {
    let kept = 0;
    for (const [s, word] of nearest(vocab, t, w)) {
      if (kept >= w.neighbours) break;
      if (mine.has(word) || STOPWORDS.has(word) || word.length < 3 || !held(word)) continue;
      kept++;
      const prev = out.get(word);
      if (!prev || prev.cosine < s) out.set(word, { word, from: t, cosine: s });
    }
  }
  return [...out.values()];
}

/** What {@link addBridges} needs of the engine. */
export interface BridgeDeps {
  store: Store;
  stats?: TermStats;
}

/**
 * The bridges' raw bm25 for turns of dialogue of `filter` (pk → bm25 of the expansion words,
 * best first): one search for all expansion words, `depth` deep; of its hits those inside
 * `scope` (the named speakers' conversations, scope.ts; null: all), at most `n`. Empty without
 * term statistics, in a namespace without turns, or when no word of the query has a bridge.
 */
export async function searchBridges(
  deps: BridgeDeps,
  terms: string[],
  filter: MemoryFilter,
  w: BridgeWeights,
  want: { depth: number; n: number; scope: Set<number> | null },
): Promise<{ words: Bridge[]; raw: Map<number, number> }> {
  const raw = new Map<number, number>();
  const stats = deps.stats;
  if (!stats || !(w.neighbours > 0) || !stats.hasTurns(filter.namespace, true)) {
    return { words: [], raw };
  }
  const docs = stats.docCount();
  const cap = Math.floor(Math.max(2, docs * w.share));
  const words = await bridgeWords(terms, w, (x) => stats.heldBy(x, cap, docs));
  if (words.length === 0) return { words, raw };
  const hits = stats.search(words.map((b) => b.word), filter, want.depth)
    .filter((h) => h.score > 0 && (!want.scope || want.scope.has(h.pk))).slice(0, want.n);
  const links = episodeLinks(deps.store, hits.map((h) => h.pk));
  for (const h of hits) if (links.get(h.pk)?.turn === true) raw.set(h.pk, h.score);
  return { words, raw };
}
