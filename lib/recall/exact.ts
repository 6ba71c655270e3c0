/**
 * The exact-identifier channel: each identifier of the query as an FTS5 phrase over its parts
 * (the tokenizer splits "node-5.example.internal" at dots and hyphens), scored up when the
 * memory holds the identifier literally, times the identifier's specificity.
 */
import type { FtsHit, MemoryFilter, Store } from "../store/mod.ts";
import type { Identifier } from "./identifiers.ts";
import { ftsPhraseQuery } from "./text.ts";
import type { TermStats } from "./term_stats.ts";

/** What the exact channel found: raw scores, why, and the memories holding an identifier. */
export interface ExactHits {
  raw: Map<number, number>;
  why: Map<number, string>;
  /** Memories that hold some identifier of the query literally. */
  literals: Set<number>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * True when `content` holds `id` as a whole token: "v2.3.1" is not in "v2.3.10", "0.5" is in
 * "v0.5" (a version may carry its "v"), "#4521" is not in "#45210".
 */
export function holdsLiteral(content: string, id: Identifier): boolean {
  const v = id.kind === "version" && !/^v/i.test(id.text) ? "v?" : "";
  const before = /^[\p{L}\p{N}_]/u.test(id.text) ? "(?<![\\p{L}\\p{N}_.])" : "";
  const after = /[\p{L}\p{N}_]$/u.test(id.text) ? "(?![\\p{L}\\p{N}_]|\\.[\\p{L}\\p{N}])" : "";
  const start = v ? "(?<![\\p{L}\\p{N}_.])" : before;
  return new RegExp(`${start}${v}${escape(id.text)}${after}`, "iu").test(content);
}

/** Phrase queries for an identifier: a version is also looked up with and without its "v". */
function phrases(id: Identifier): string[] {
  const texts = [id.text];
  if (id.kind === "version") texts.push(/^v/i.test(id.text) ? id.text.slice(1) : `v${id.text}`);
  return texts.map(ftsPhraseQuery).filter((q): q is string => q !== null);
}

/** The phrase hits of each identifier (bm25 of the phrase), before the literal check. */
export type ExactMatches = { id: Identifier; hits: FtsHit[] }[];

/**
 * Run the exact channel's phrase queries for `identifiers` within `filter`, at most `k` hits per
 * phrase: by `store.fts`, or by the term statistics (the same hits, from values kept for the
 * store's revision).
 */
export function exactMatches(
  store: Store,
  identifiers: Identifier[],
  filter: MemoryFilter,
  k: number,
  stats?: Pick<TermStats, "searchPhrases">,
): ExactMatches {
  const out: ExactMatches = [];
  for (const id of identifiers) {
    for (const match of phrases(id)) {
      const hits = stats ? stats.searchPhrases([match], filter, k) : store.fts(match, filter, k);
      if (hits.length > 0) out.push({ id, hits });
    }
  }
  return out;
}

/** Every memory the phrase queries found with a positive score, in the order first found. */
export function matchedPks(matches: ExactMatches): number[] {
  const out = new Set<number>();
  for (const { id, hits } of matches) {
    for (const h of hits) if (h.score * id.specificity > 0) out.add(h.pk);
  }
  return [...out];
}

/**
 * Score the phrase hits: a literal occurrence (`recordOf` gives a hit's record, from those
 * recall loads anyway) beats a phrase match over the identifier's parts.
 */
export function scoreExact(
  matches: ExactMatches,
  recordOf: (pk: number) => { content: string } | undefined,
): ExactHits {
  const out: ExactHits = { raw: new Map(), why: new Map(), literals: new Set() };
  for (const { id, hits } of matches) {
    for (const h of hits) {
      const content = recordOf(h.pk)?.content;
      const literal = content !== undefined && holdsLiteral(content, id);
      if (literal) out.literals.add(h.pk);
      const s = h.score * (literal ? 1.5 : 1.0) * id.specificity;
      if (s > (out.raw.get(h.pk) ?? 0)) {
        out.raw.set(h.pk, s);
        out.why.set(h.pk, `identifier_match:${id.text.slice(0, 48)}`);
      }
    }
  }
  return out;
}
