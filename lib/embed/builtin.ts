/**
 * The builtin embedder: offline, deterministic, no downloads (a 5.9 MB word table).
 *
 * vector = normalise([ coverage · semantic (100d) , hashWeight · hashed (256d) ])
 *
 * - semantic: SIF-weighted sum of GloVe word vectors (weight a/(a+p(w)), p(w) from the
 *   word's Zipf rank), minus the corpus mean, first principal component projected out,
 *   unit length. It carries meaning: "ship" ~ "deploy", "RAM" ~ "memory".
 * - hashed: signed FNV-1a hashing of word unigrams and character 3-5-grams, each word
 *   weighted like above, unit length. It carries identifiers, numbers, names and typos.
 * - coverage: the share of the text's word weight the table knows, so a text that is
 *   mostly identifiers leans on the hashed block.
 *
 * Words missing from the table fall back to aliases, stems and one-edit typo fixes
 * (vocab.ts). Identifiers are split into parts (tokenize.ts).
 *
 * @module
 */
import { addCharGrams, addWord } from "./hashed.ts";
import { type Token, tokenize } from "./tokenize.ts";
import { type Hit, loadVocab, loadVocabHeader, lookup, type Vocab } from "./vocab.ts";
import { SIF_A, sifWeight } from "./zipf.ts";
import { l2normalize } from "./vector.ts";

/** Bump whenever any change (code, constants, asset) alters the vectors produced. */
export const BUILTIN_VERSION = 1;

/** Tunable knobs; defaults tuned on tests/embed/testdata/pairs.json and pairs_dev.json. */
export interface BuiltinParams {
  /** SIF smoothing constant a. */
  sifA: number;
  /** Share of the corpus mean subtracted from the semantic sum (0..1). */
  meanRemoval: number;
  /** Effective frequency rank given to words that open most agent memories ("user",
   * "prefers"); 0 disables. They say little about which memory is meant. */
  domainRank: number;
  /** Effective rank of negations ("not", "never"), so "always X" and "never X" differ;
   * 0 disables. */
  negationRank: number;
  /** Exponent on the share of a text's word weight that the table knows: numbers and
   * identifiers have no semantic vector, so without this they are drowned out. 0 disables. */
  coveragePower: number;
  /** Principal components to project out (≤ those stored in the asset). */
  removePcs: number;
  /** Size of the hashed block; a power of two. */
  hashDim: number;
  /** Weight of the hashed block against the semantic block (which has weight 1). */
  hashWeight: number;
  /** Weight of a word's unigram feature and of its character n-grams in the hashed block. */
  wordFeature: number;
  gramFeature: number;
  minN: number;
  maxN: number;
  /** Multiplier on the hashed features of words the table does not know (identifiers,
   * names, numbers): they have no semantic vector to speak for them. */
  unknownBoost: number;
}

/** The tuned defaults. */
export const DEFAULT_PARAMS: Readonly<BuiltinParams> = Object.freeze({
  sifA: SIF_A,
  meanRemoval: 1,
  domainRank: 150,
  negationRank: 3000,
  coveragePower: 1,
  removePcs: 1,
  hashDim: 256,
  hashWeight: 0.4,
  wordFeature: 1,
  gramFeature: 1,
  minN: 3,
  maxN: 5,
  unknownBoost: 2,
});

/**
 * Words that open a large share of agent memories ("The user prefers ...", "We use ...").
 * General-English frequency underrates them here; see `domainRank`.
 */
const DOMAIN_COMMON = (
  "user users prefers prefer preferred likes like wants want uses use used using " +
  "project team we our us should must always"
).split(" ");

/** Negations; frequent in English, yet they flip a memory's meaning. */
const NEGATIONS = ["not", "no", "never", "without", "nor", "cannot"];

/**
 * A text's SIF-weighted semantic sum before centring, the total weight in it, and the
 * lexical weight of words the table knows and does not know.
 */
interface Semantic {
  sum: Float64Array;
  mass: number;
  known: number;
  unknown: number;
}

/**
 * The offline embedder. Construct with {@link createBuiltinEmbedder}.
 */
export class BuiltinEmbedder {
  readonly id: string;
  readonly dim: number;
  readonly #vocab: Vocab;
  readonly #p: BuiltinParams;
  readonly #semDim: number;
  readonly #cache = new Map<string, Hit[]>();
  readonly #rankOverride = new Map<number, number>();

  constructor(vocab: Vocab, params: BuiltinParams, id: string) {
    this.#vocab = vocab;
    this.#p = params;
    this.#semDim = vocab.table.dim;
    this.dim = this.#semDim + params.hashDim;
    this.id = id;
    const overrides: [string[], number][] = [
      [DOMAIN_COMMON, params.domainRank],
      [NEGATIONS, params.negationRank],
    ];
    for (const [words, rank] of overrides) {
      for (const w of words) {
        const wordId = vocab.index.get(w);
        if (wordId !== undefined && rank > 0) this.#rankOverride.set(wordId, rank);
      }
    }
  }

  /** SIF weight of a table word, with the domain's rank overrides. */
  #weight(id: number): number {
    return sifWeight(this.#rankOverride.get(id) ?? id, this.#p.sifA);
  }

  /** Embed texts; never rejects for any string input. */
  embed(texts: string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }

  /** Synchronous single-text embedding (the work is CPU-only). */
  embedOne(text: string): Float32Array {
    let tokens = tokenize(text);
    // No word characters at all ("", "!!!", "🎉"): hash the raw text so the vector is
    // still a valid, deterministic unit vector.
    if (tokens.length === 0) tokens = [{ whole: text.trim(), parts: [text.trim()] }];
    const p = this.#p;
    const sem: Semantic = { sum: new Float64Array(this.#semDim), mass: 0, known: 0, unknown: 0 };
    const hashed = new Float32Array(p.hashDim);
    for (const tok of tokens) this.#addToken(tok, sem, hashed);
    const out = new Float32Array(this.dim);
    const semantic = this.#finishSemantic(sem);
    if (semantic) {
      const coverage = sem.known / (sem.known + sem.unknown);
      const share = p.coveragePower === 0 ? 1 : coverage ** p.coveragePower;
      for (let d = 0; d < this.#semDim; d++) out[d] = share * semantic[d];
    }
    if (l2normalize(hashed)) {
      for (let d = 0; d < p.hashDim; d++) out[this.#semDim + d] = p.hashWeight * hashed[d];
    }
    if (!l2normalize(out)) out[this.#semDim] = 1; // unreachable in practice; stay a unit vector
    return out;
  }

  /**
   * One chunk: a compound the table knows as a whole ("long-term", "front-end") counts
   * once semantically; otherwise each part does. The hashed block gets every part, plus
   * the whole compound as a unigram so exact identifiers match best.
   */
  #addToken(tok: Token, sem: Semantic, hashed: Float32Array): void {
    const p = this.#p;
    const compound = tok.parts.length > 1 || tok.parts[0] !== tok.whole;
    const wholeId = compound ? this.#vocab.index.get(tok.whole) : undefined;
    if (wholeId !== undefined) this.#addSemantic(sem, [{ id: wholeId, trust: 1 }]);
    for (const part of tok.parts) {
      const hits = this.#lookup(part);
      if (wholeId === undefined) this.#addSemantic(sem, hits);
      let w = this.#lexicalWeight(part, hits);
      if (wholeId !== undefined || hits.length > 0) sem.known += w;
      else {
        sem.unknown += w;
        w *= p.unknownBoost;
      }
      addWord(hashed, part, p.wordFeature * w);
      addCharGrams(hashed, part, p.gramFeature * w, p.minN, p.maxN);
    }
    if (compound) addWord(hashed, tok.whole, p.wordFeature);
  }

  /** Table lookup with a per-instance cache (typo correction is the costly part). */
  #lookup(word: string): Hit[] {
    let hits = this.#cache.get(word);
    if (hits === undefined) {
      hits = lookup(this.#vocab, word);
      // Bounded: long tokens (hashes, base64) are not cached, and the map is reset when full.
      if (word.length <= 40) {
        if (this.#cache.size >= 50_000) this.#cache.clear();
        this.#cache.set(word, hits);
      }
    }
    return hits;
  }

  /** Weight of a word's hashed features: its SIF weight if the table has it as is. */
  #lexicalWeight(word: string, hits: Hit[]): number {
    if (hits.length > 0 && hits[0].trust === 1 && this.#vocab.index.is(hits[0].id, word)) {
      return this.#weight(hits[0].id);
    }
    // Stray letters ("a", "s" from "it's") are as uninformative as the commonest words.
    return word.length <= 1 ? sifWeight(0, this.#p.sifA) : 1;
  }

  #addSemantic(sem: Semantic, hits: Hit[]): void {
    this.#vocab.need(hits.map((h) => h.id));
    const { vectors, scales } = this.#vocab.table;
    const dim = this.#semDim;
    for (const hit of hits) {
      const a = (this.#weight(hit.id) * hit.trust) / hits.length;
      const s = a * scales[hit.id];
      const base = hit.id * dim;
      for (let d = 0; d < dim; d++) sem.sum[d] += s * vectors[base + d];
      sem.mass += a;
    }
  }

  /** Centre, remove principal components, normalise; null when nothing was found. */
  #finishSemantic(sem: Semantic): Float32Array | null {
    if (sem.mass === 0) return null;
    const { mean, pcs } = this.#vocab.table;
    const v = new Float32Array(this.#semDim);
    for (let d = 0; d < v.length; d++) {
      v[d] = sem.sum[d] - this.#p.meanRemoval * sem.mass * mean[d];
    }
    for (const pc of pcs.slice(0, this.#p.removePcs)) {
      let dot = 0;
      for (let d = 0; d < v.length; d++) dot += v[d] * pc[d];
      for (let d = 0; d < v.length; d++) v[d] -= dot * pc[d];
    }
    return l2normalize(v) ? v : null;
  }
}

/**
 * Create the builtin embedder; the word table is loaded once per process.
 *
 * @example
 * ```ts
 * const e = await createBuiltinEmbedder();
 * const [a, b] = await e.embed(["User prefers tabs", "indentation preference"]);
 * ```
 */
export async function createBuiltinEmbedder(
  overrides: Partial<BuiltinParams> = {},
): Promise<BuiltinEmbedder> {
  const vocab = await loadVocab();
  const { params, id } = configure(overrides, vocab.table.pcs.length);
  return new BuiltinEmbedder(vocab, params, id);
}

/**
 * The builtin embedder as most commands need it: `id` and `dim` at once, from the asset's
 * 40-byte header, and the 6 MB word table only when something is embedded (listing,
 * inspecting, exporting or forgetting never does). Same vectors as {@link BuiltinEmbedder}.
 */
export class LazyBuiltinEmbedder {
  readonly id: string;
  readonly dim: number;
  readonly #overrides: Partial<BuiltinParams>;
  #real: Promise<BuiltinEmbedder> | null = null;

  constructor(id: string, dim: number, overrides: Partial<BuiltinParams>) {
    this.id = id;
    this.dim = dim;
    this.#overrides = overrides;
  }

  /** Embed texts (the first call loads the word table). */
  embed(texts: string[]): Promise<Float32Array[]> {
    this.#real ??= createBuiltinEmbedder(this.#overrides).then((e) => {
      if (e.id !== this.id || e.dim !== this.dim) {
        throw new Error(`builtin embedder is ${e.id}/${e.dim}, announced ${this.id}/${this.dim}`);
      }
      return e;
    }).catch((e) => {
      this.#real = null; // a later call may retry (e.g. after a permission prompt)
      throw e;
    });
    return this.#real.then((e) => e.embed(texts));
  }
}

/**
 * Create the builtin embedder, deferring the word table to the first `embed` call.
 *
 * @example
 * ```ts
 * const e = await createLazyBuiltinEmbedder();
 * e.dim; // 356, nothing loaded yet
 * ```
 */
export async function createLazyBuiltinEmbedder(
  overrides: Partial<BuiltinParams> = {},
): Promise<LazyBuiltinEmbedder> {
  const header = await loadVocabHeader();
  const { params, id } = configure(overrides, header.npc);
  return new LazyBuiltinEmbedder(id, header.dim + params.hashDim, overrides);
}

/** Checked parameters and the embedder id for `overrides` over a table with `npc` components. */
function configure(
  overrides: Partial<BuiltinParams>,
  npc: number,
): { params: BuiltinParams; id: string } {
  const params = { ...DEFAULT_PARAMS, ...overrides };
  if (params.hashDim < 8 || (params.hashDim & (params.hashDim - 1)) !== 0) {
    throw new RangeError("hashDim must be a power of two ≥ 8");
  }
  params.removePcs = Math.min(params.removePcs, npc);
  // No "+" or other URL/regex-special characters: ids travel in query strings and patterns.
  let id = `builtin:glove50k-sif-ng${params.hashDim}@${BUILTIN_VERSION}`;
  const changed = Object.keys(overrides).filter((k) =>
    overrides[k as keyof BuiltinParams] !== DEFAULT_PARAMS[k as keyof BuiltinParams]
  );
  // Vectors made with other knobs must never be mixed with the default ones.
  if (changed.length > 0) {
    id += changed.map((k) => `~${k}=${params[k as keyof BuiltinParams]}`).join("");
  }
  return { params, id };
}
