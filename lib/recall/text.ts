/** Tokenizing, stopwords and FTS5 query building shared by the recall channels. */

/** Common English function words plus question words; removed from lexical queries. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  ("a an the and or but if then else of to in on at by for with from into onto about over under " +
    "is are was were be been being am do does did done doing have has had having " +
    "i me my mine we us our ours you your yours he him his she her hers it its they them their " +
    "this that these those there here what which who whom whose when where why how " +
    "can could should would will shall may might must not no nor so too very just also only " +
    "any all some each every both either neither such than as up down out off again once " +
    "more most other own same few many much s t ll ve re d m o y " +
    "let lets get got tell told know say said please need want like use used using via per")
    .split(/\s+/),
);

/** Lowercased word tokens (letters, digits; diacritics kept). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Content words: tokens that are not stopwords and not one character long. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** Quote a token for FTS5 so operators and punctuation in user text are inert. */
export function ftsQuote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

/**
 * An OR query over the distinct content words of `text` (all words when every one is a
 * stopword), or null when nothing is searchable.
 *
 * @example
 * ```ts
 * ftsAnyQuery("When can we deploy?"); // '"deploy"'
 * ```
 */
export function ftsAnyQuery(text: string, maxTerms = 32): string | null {
  return ftsOr(queryTerms(text).slice(0, maxTerms));
}

/** Content words of a query, or every word when all are stopwords ("what is it"). */
export function queryTerms(text: string): string[] {
  const terms = [...new Set(contentWords(text))];
  return terms.length > 0 ? terms : [...new Set(words(text))];
}

/** An FTS5 OR over quoted terms, or null for none. */
export function ftsOr(terms: string[]): string | null {
  return terms.length === 0 ? null : terms.map(ftsQuote).join(" OR ");
}

/** A phrase query matching the words of `text` in order, or null. */
export function ftsPhraseQuery(text: string): string | null {
  const w = words(text);
  if (w.length === 0) return null;
  return ftsQuote(w.join(" "));
}
