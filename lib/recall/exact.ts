/**
 * The exact-identifier channel: each identifier of the query as an FTS5 phrase over its parts
 * (the tokenizer splits "node-5.example.internal" at dots and hyphens), scored up when the
 * memory holds the identifier literally, times the identifier's specificity.
 */
import type { MemoryFilter, Store } from "../store/mod.ts";
import type { Identifier } from "./identifiers.ts";
import { ftsPhraseQuery } from "./text.ts";

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

/** Run the exact channel for `identifiers` within `filter`, at most `k` hits per phrase. */
export function exactChannel(
  store: Store,
  identifiers: Identifier[],
  filter: MemoryFilter,
  k: number,
): ExactHits {
  const out: ExactHits = { raw: new Map(), why: new Map(), literals: new Set() };
  for (const id of identifiers) {
    for (const match of phrases(id)) {
      const hits = store.fts(match, filter, k);
      if (hits.length === 0) continue;
      const recs = new Map(store.getMany(hits.map((h) => h.pk)).map((m) => [m.pk, m.record]));
      for (const h of hits) {
        // A literal occurrence beats a phrase match over the identifier's parts.
        const content = recs.get(h.pk)?.content;
        const literal = content !== undefined && holdsLiteral(content, id);
        if (literal) out.literals.add(h.pk);
        const s = h.score * (literal ? 1.5 : 1.0) * id.specificity;
        if (s > (out.raw.get(h.pk) ?? 0)) {
          out.raw.set(h.pk, s);
          out.why.set(h.pk, `identifier_match:${id.text.slice(0, 48)}`);
        }
      }
    }
  }
  return out;
}
