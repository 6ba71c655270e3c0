/**
 * Signed feature hashing (FNV-1a) of word unigrams and character n-grams: the lexical half
 * of the builtin embedder. It knows no synonyms, but makes identifiers, rare words,
 * numbers and typos ("reciever" / "receiver") overlap.
 *
 * @module
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units of `s[start, end)`, seeded so feature kinds do not collide. */
function fnv1a(s: string, start: number, end: number, seed: number): number {
  let h = FNV_OFFSET ^ seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  // murmur3 finaliser: FNV's low bits are weak and both index and sign come from them.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function add(v: Float32Array, h: number, w: number): void {
  // dim is a power of two, so the mask is an unbiased modulo; the top bit is the sign.
  v[h & (v.length - 1)] += h & 0x80000000 ? -w : w;
}

/** Seeds that keep the unigram "ab" and the character n-gram "ab" apart. */
const WORD_SEED = 0x5bd1e995;
const GRAM_SEED = 0;

/**
 * Add a word's unigram feature (weight `wordWeight`) to `v`.
 *
 * @example
 * ```ts
 * const v = new Float32Array(256);
 * addWord(v, "receiver", 1);
 * ```
 */
export function addWord(v: Float32Array, word: string, wordWeight: number): void {
  add(v, fnv1a(word, 0, word.length, WORD_SEED), wordWeight);
}

/**
 * Add the character n-grams (`minN`..`maxN`) of `<word>` to `v`. Their total weight is
 * `gramWeight`, spread as 1/sqrt(count) each so long words do not drown short ones.
 *
 * @example
 * ```ts
 * const v = new Float32Array(256);
 * addCharGrams(v, "receiver", 1, 3, 5);
 * ```
 */
export function addCharGrams(
  v: Float32Array,
  word: string,
  gramWeight: number,
  minN: number,
  maxN: number,
): void {
  const s = `<${word}>`;
  let count = 0;
  for (let n = minN; n <= maxN; n++) count += Math.max(0, s.length - n + 1);
  if (count === 0) return;
  const w = gramWeight / Math.sqrt(count);
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= s.length; i++) add(v, fnv1a(s, i, i + n, GRAM_SEED), w);
  }
}
