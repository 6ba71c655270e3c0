/**
 * Word-frequency estimate shared by the asset builder (corpus mean and principal component)
 * and the builtin embedder (SIF weights). The GloVe source lists words by corpus frequency
 * but carries no counts, so p(w) is estimated from the rank by a Zipf law.
 *
 * Changing anything here changes every builtin vector: rebuild the asset
 * (`deno run -A scripts/build_embeddings.ts`) and bump `BUILTIN_VERSION`.
 *
 * @module
 */

/** Zipf offset: p(rank) ∝ 1 / (rank + ZIPF_OFFSET); flattens the head of the curve. */
export const ZIPF_OFFSET = 10;

/** Size of the full source vocabulary, used to normalise the Zipf probabilities. */
export const SOURCE_VOCAB = 341_479;

/** SIF smoothing constant `a` in weight = a / (a + p(w)). */
export const SIF_A = 3e-4;

/**
 * Σ 1 / (r + ZIPF_OFFSET) for r < SOURCE_VOCAB, summed in that order in float64: the loop's
 * exact result, kept as a constant so the first embed of a process does not run 341k
 * divisions (tests/embed/zipf_norm_test.ts sums it again).
 */
export const ZIPF_NORM = 10.489316693396084;

/**
 * Estimated probability of the word at 0-based frequency `rank`.
 *
 * @example
 * ```ts
 * zipfProbability(0) > zipfProbability(1000); // true
 * ```
 */
export function zipfProbability(rank: number): number {
  return 1 / ((rank + ZIPF_OFFSET) * ZIPF_NORM);
}

/**
 * SIF weight a / (a + p) of the word at `rank`: near 0 for "the", near 1 for rare words.
 *
 * @example
 * ```ts
 * sifWeight(0) < 0.1; // true
 * ```
 */
export function sifWeight(rank: number, a = SIF_A): number {
  return a / (a + zipfProbability(rank));
}
