/**
 * Near-duplicate detection between memory files: embedding cosine blended with content-word
 * overlap. Either signal alone misfires (embeddings rate any two notes on one project as
 * close; word overlap misses rewording), so a pair must score on both.
 */
import { contentWords } from "../recall/mod.ts";
import { cosine, type Embedder } from "../embed/mod.ts";

/** What similarity needs from a memory file. */
export interface SimilarityInput {
  file: string;
  description: string | null;
  body: string;
}

/** A pair of files that say the same thing. `a` sorts before `b`. */
export interface SimilarPair {
  a: string;
  b: string;
  /** Blended score of the part that matched (0..1). */
  score: number;
  /** Which part matched: the descriptions or the whole text. */
  basis: "description" | "text";
  cosine: number;
  overlap: number;
}

/**
 * Thresholds. On the sample folder with the builtin embedder the reworded pair scores 0.67 on
 * descriptions and no other pair passes 0.26 (whole texts: 0.52 at most), so the defaults
 * leave a wide margin on each side; tests also pin them for a constant-cosine embedder.
 */
export interface SimilarityOptions {
  /** Blended description score at or above which a pair is reported (default 0.45). */
  descriptionThreshold?: number;
  /** Blended whole-text score at or above which a pair is reported (default 0.8). */
  textThreshold?: number;
  /** Descriptions with fewer content words are too short to compare (default 2). */
  minWords?: number;
}

/**
 * Content words, lowercased, with a light suffix strip so "tokens"/"token" and
 * "stored"/"storing" meet.
 *
 * @example
 * ```ts
 * stemmedWords("Session tokens are stored"); // Set {"session", "token", "stor"}
 * ```
 */
export function stemmedWords(text: string): Set<string> {
  return new Set(contentWords(text).map(stem));
}

function stem(w: string): string {
  if (w.length <= 4) return w;
  return w.replace(/(?:ing|ed|es|s)$/, "");
}

/**
 * Share of the smaller set found in the larger one (0 when either is empty).
 *
 * @example
 * ```ts
 * overlapCoefficient(new Set(["a", "b"]), new Set(["a", "b", "c"])); // 1
 * ```
 */
export function overlapCoefficient(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.min(a.size, b.size);
}

/**
 * The blended score: the mean of cosine (clamped at 0) and word overlap.
 *
 * @example
 * ```ts
 * blend(0.5, 0.5); // 0.5
 * ```
 */
export function blend(cos: number, overlap: number): number {
  return (Math.max(0, cos) + overlap) / 2;
}

/**
 * All pairs of files whose descriptions, or whole texts, are near-duplicates.
 *
 * @example
 * ```ts
 * const pairs = await findSimilarPairs(files, await createEmbedder({ provider: "builtin" }));
 * ```
 */
export async function findSimilarPairs(
  items: SimilarityInput[],
  embedder: Embedder,
  opts: SimilarityOptions = {},
): Promise<SimilarPair[]> {
  const descT = opts.descriptionThreshold ?? 0.45;
  const textT = opts.textThreshold ?? 0.8;
  const minWords = opts.minWords ?? 2;
  const sorted = [...items].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
  if (sorted.length < 2) return [];
  const descs = sorted.map((i) => i.description ?? "");
  const texts = sorted.map((i) => `${i.description ?? ""}\n${i.body}`);
  const [descVecs, textVecs] = [await embedder.embed(descs), await embedder.embed(texts)];
  const descWords = descs.map(stemmedWords);
  const textWords = texts.map(stemmedWords);
  const pairs: SimilarPair[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const pair = scorePair(i, j);
      if (pair) pairs.push(pair);
    }
  }
  return pairs;

  function scorePair(i: number, j: number): SimilarPair | null {
    const [a, b] = [sorted[i].file, sorted[j].file];
    if (descWords[i].size >= minWords && descWords[j].size >= minWords) {
      const cos = cosine(descVecs[i], descVecs[j]);
      const overlap = overlapCoefficient(descWords[i], descWords[j]);
      const score = blend(cos, overlap);
      if (score >= descT) return { a, b, score, basis: "description", cosine: cos, overlap };
    }
    const cos = cosine(textVecs[i], textVecs[j]);
    const overlap = overlapCoefficient(textWords[i], textWords[j]);
    const score = blend(cos, overlap);
    if (score >= textT) return { a, b, score, basis: "text", cosine: cos, overlap };
    return null;
  }
}
