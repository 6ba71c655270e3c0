/**
 * Tokenizer for the builtin embedder. Text is cut into chunks (words, identifiers, paths);
 * each chunk keeps its lowercased whole form and its parts split at `_ - . / : @` and at
 * camelCase and letter/digit boundaries, so `MEMORYOSS_HOME`, `memoryossHome` and
 * "memoryoss home" share the parts "memoryoss" and "home".
 *
 * @module
 */

/** One chunk of text: the whole lowercased form and its lowercased parts (≥ 1). */
export interface Token {
  whole: string;
  parts: string[];
}

const CHUNK = /[\p{L}\p{N}_]+(?:['\-./:@][\p{L}\p{N}_]+)*/gu;
const SEPARATORS = /[_\-./:@']+/;
const CAMEL = /\p{Lu}+(?!\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+|\p{N}+|[\p{L}\p{M}]+/gu;
/** English clitics after an apostrophe, as the word they stand for ("" drops it). */
const CLITICS: Record<string, string> = {
  s: "",
  t: "not",
  re: "are",
  ll: "will",
  ve: "have",
  m: "am",
  d: "would",
};
const NEGATED: Record<string, string> = { can: "can", won: "will", don: "do", ain: "is" };

/**
 * Split text into chunks with their parts.
 *
 * @example
 * ```ts
 * tokenize("Set MEMORYOSS_HOME in parseConfig");
 * // [{whole:"set",parts:["set"]}, {whole:"memoryoss_home",parts:["memoryoss","home"]},
 * //  {whole:"in",parts:["in"]}, {whole:"parseconfig",parts:["parse","config"]}]
 * ```
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const norm = text.normalize("NFKC").replace(/[\u2018\u2019\u02bc]/g, "'");
  for (const m of norm.matchAll(CHUNK)) {
    const raw = m[0];
    const whole = raw.toLowerCase();
    const parts = raw.includes("'") ? clitics(raw) : splitParts(raw);
    if (parts.length > 0) out.push({ whole, parts });
  }
  return out;
}

function splitParts(raw: string): string[] {
  const parts: string[] = [];
  for (const piece of raw.split(SEPARATORS)) {
    if (!piece) continue;
    for (const p of piece.matchAll(CAMEL)) parts.push(p[0].toLowerCase());
  }
  return parts;
}

/** "don't" -> do not, "we're" -> we are, "user's" -> user. */
function clitics(raw: string): string[] {
  const pieces = raw.toLowerCase().split("'");
  const parts: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (i > 0 && piece in CLITICS) {
      if (piece === "t" && parts.length > 0) {
        const prev = parts.pop()!;
        parts.push(NEGATED[prev] ?? (prev.endsWith("n") ? prev.slice(0, -1) : prev));
      }
      if (CLITICS[piece]) parts.push(CLITICS[piece]);
      continue;
    }
    parts.push(...splitParts(piece));
  }
  return parts;
}
