/**
 * The one rule for "these two texts say the same thing", used by every write path that
 * merges (store, batch store, import, the drain's NONE decision) and guarding consolidation:
 * equal after normalisation (case, whitespace, punctuation), or near-identical vectors AND
 * near-identical wording where the words that differ carry no fact of their own (no number,
 * identifier, name or polarity word). "port 8080" / "port 8081", "ns line A" / "ns line B" and
 * "Alice owns billing" / "Bob owns billing" stay apart.
 */
import { STOPWORDS } from "../recall/mod.ts";
import { isPolarityWord } from "./contradiction.ts";
import { memoByText } from "./text_cache.ts";

/** Token Jaccard the fuzzy path needs besides the cosine threshold. */
export const DUPLICATE_JACCARD = 0.9;

/** Words whose presence or absence changes no fact: articles and fillers. */
const FILLERS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "the",
  "this",
  "that",
  "these",
  "those",
  "also",
  "just",
  "really",
  "very",
  "please",
  "now",
  "currently",
  "still",
]);

/** One word of a text: its normalised form and how it was written. */
interface Token {
  norm: string;
  raw: string;
  /** First word of a sentence (a capital there says nothing). */
  initial: boolean;
}

const OPENERS = /^["'‘’“”«(\[{¿¡]+/u;
const CLOSERS = /["'‘’“”»)\]}.,;:!?…]+$/u;

/** Words with opening and closing punctuation trimmed; internal punctuation kept. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let initial = true;
  for (const piece of text.normalize("NFKC").replace(/’/g, "'").split(/\s+/)) {
    const raw = piece.replace(OPENERS, "").replace(CLOSERS, "");
    const ends = /[.!?:]["')\]]*$/.test(piece);
    if (/[\p{L}\p{N}]/u.test(raw)) out.push({ norm: raw.toLowerCase(), raw, initial });
    initial = ends || (initial && !/[\p{L}\p{N}]/u.test(raw));
  }
  return out;
}

/**
 * The text with case, whitespace and edge punctuation normalised away; two texts that
 * normalise alike are duplicates. Punctuation inside a word ("v2.3", "-5", "sign-off") stays.
 *
 * @example
 * ```ts
 * normalizeText("Deploy only after staging sign-off."); // "deploy only after staging sign-off"
 * ```
 */
export const normalizeText: (text: string) => string = memoByText((text) =>
  // Memoised: a write compares its text with neighbours that recur.
  tokenize(text).map((t) => t.norm).join(" ")
);

/**
 * True when a word carries a fact of its own, so two texts differing by it are different
 * facts: numbers and anything with a digit, identifiers (punctuation inside, camelCase),
 * names and labels (a capital) and polarity words.
 */
export function isFactWord(t: { norm: string; raw: string; initial?: boolean }): boolean {
  if (/\p{N}/u.test(t.raw)) return true;
  if (/[\p{L}\p{N}][._/:@#$\\+=-]+[\p{L}\p{N}]/u.test(t.raw) || /^[#$@~/.]/.test(t.raw)) {
    return true;
  }
  // A capital marks a name or label ("Alice", "ns line A"); at a sentence start only a
  // function word ("The", "When") is exempt, since the subject often comes first.
  if (/\p{Lu}/u.test(t.raw) && !(t.initial && STOPWORDS.has(t.norm))) return true;
  return isPolarityWord(t.norm);
}

/** The words that count for similarity: everything but articles and fillers. */
function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => !FILLERS.has(t.norm) || t.raw !== t.norm && !t.initial);
}

/** How two texts compare word by word. */
export interface WordComparison {
  /** Jaccard of the significant words. */
  jaccard: number;
  /** A differing word that carries a fact, if any. */
  factWord: string | null;
  /** The shared words appear in the same order in both. */
  sameOrder: boolean;
}

/** Compare the significant words of two texts. */
export function compareWords(a: string, b: string): WordComparison {
  const ta = significant(tokenize(a));
  const tb = significant(tokenize(b));
  const sa = new Set(ta.map((t) => t.norm));
  const sb = new Set(tb.map((t) => t.norm));
  let shared = 0;
  for (const w of sa) if (sb.has(w)) shared++;
  const union = sa.size + sb.size - shared;
  const differing = [...ta.filter((t) => !sb.has(t.norm)), ...tb.filter((t) => !sa.has(t.norm))];
  const order = (ts: Token[], other: Set<string>) =>
    ts.filter((t) => other.has(t.norm)).map((t) => t.norm).join(" ");
  return {
    jaccard: union === 0 ? 1 : shared / union,
    factWord: differing.find(isFactWord)?.raw ?? null,
    sameOrder: order(ta, sb) === order(tb, sa),
  };
}

/** Why two texts are (or are not) duplicates. */
export interface DuplicateVerdict {
  duplicate: boolean;
  reason: string;
}

/**
 * The dedup rule. `similarity` is the cosine of the two texts' vectors (null when one has
 * none: then only the normalised comparison can match); `threshold` is the configured
 * `recall.semantic_dedup_threshold`.
 *
 * @example
 * ```ts
 * duplicateVerdict("port 8080", "port 8081", 0.99, 0.95).duplicate; // false
 * duplicateVerdict("Deploy only after staging sign-off.", "deploy only after staging sign-off", null, 0.95).duplicate; // true
 * ```
 */
export function duplicateVerdict(
  a: string,
  b: string,
  similarity: number | null,
  threshold: number,
): DuplicateVerdict {
  if (normalizeText(a) === normalizeText(b)) {
    return { duplicate: true, reason: "the same text up to case, spacing and punctuation" };
  }
  if (similarity === null || similarity < threshold) {
    return { duplicate: false, reason: `similarity below ${threshold}` };
  }
  const w = compareWords(a, b);
  if (w.factWord !== null) {
    return { duplicate: false, reason: `'${w.factWord}' is not in both: a different fact` };
  }
  if (w.jaccard < DUPLICATE_JACCARD) {
    return { duplicate: false, reason: `word overlap ${round(w.jaccard)} < ${DUPLICATE_JACCARD}` };
  }
  if (!w.sameOrder) return { duplicate: false, reason: "the same words in another order" };
  return {
    duplicate: true,
    reason: `similarity ${round(similarity)} ≥ ${threshold} and word overlap ${round(w.jaccard)}`,
  };
}

/** {@link duplicateVerdict}, as a yes or no. */
export function isDuplicate(
  a: string,
  b: string,
  similarity: number | null,
  threshold: number,
): boolean {
  return duplicateVerdict(a, b, similarity, threshold).duplicate;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
