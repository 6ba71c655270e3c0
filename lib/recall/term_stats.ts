/**
 * Document frequencies for query planning. bm25 over an OR of very common terms makes FTS5
 * score most of the table (about 1 µs a row), so large stores drop such terms: they carry
 * almost no IDF weight. Counts are cached and refreshed as the store grows.
 */
import type { Store } from "../store/mod.ts";
import { ftsQuote } from "./text.ts";

/** Cached document-frequency lookups for one store. */
export class TermStats {
  #store: Store;
  #cache = new Map<string, { df: number; at: number }>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** Approximate number of documents (highest row key; exact without deletes). */
  docCount(): number {
    const row = this.#store.prepare("SELECT coalesce(max(pk), 0) AS n FROM memories").get() as {
      n: number;
    };
    return row.n;
  }

  /**
   * Documents containing `term` (all namespaces). Large stores cache counts until they grow
   * 10 %; small ones (cheap to count) recount on any change.
   */
  df(term: string, docs = this.docCount()): number {
    const hit = this.#cache.get(term);
    if (hit && (docs === hit.at || (hit.at >= 2000 && docs <= hit.at * 1.1))) return hit.df;
    const row = this.#store.prepare(
      "SELECT count(*) AS n FROM memories_fts WHERE memories_fts MATCH ?",
    ).get(ftsQuote(term)) as { n: number };
    if (this.#cache.size > 50_000) this.#cache.clear();
    this.#cache.set(term, { df: row.n, at: docs });
    return row.n;
  }

  /**
   * The terms worth querying: rarest first, at most `max`, dropping terms found in more than
   * `maxRatio` of documents once the store is large (always keeping the `keep` rarest).
   * `presentOnly` drops terms no document contains (for AND queries); `maxPostings` caps the
   * summed document frequency of the terms chosen beyond the `keep` rarest.
   */
  selectTerms(
    terms: string[],
    opts: {
      max: number;
      maxRatio?: number;
      keep?: number;
      presentOnly?: boolean;
      maxPostings?: number;
    },
  ): string[] {
    const unique = [...new Set(terms)];
    const docs = this.docCount();
    if (docs < 2000 && unique.length <= opts.max && !opts.presentOnly) return unique;
    // For an OR a term counted as absent costs nothing; an AND needs terms that exist.
    const withDf = unique.map((t) => ({ t, df: this.df(t, docs) }))
      .filter((x) => !opts.presentOnly || x.df > 0);
    withDf.sort((a, b) => a.df - b.df || (a.t < b.t ? -1 : 1));
    const cap = (opts.maxRatio ?? 0.2) * docs;
    const keep = opts.keep ?? 2;
    // Past the rarest `keep`, stop adding terms once the posting lists to score would exceed
    // the budget: bm25 costs about a microsecond per matching row.
    const budget = opts.maxPostings ?? Infinity;
    let postings = 0;
    const out: string[] = [];
    for (const [i, x] of withDf.entries()) {
      if (out.length >= opts.max) break;
      const must = i < keep || docs < 2000;
      if (!must && (x.df > cap || postings + x.df > budget)) continue;
      postings += x.df;
      out.push(x.t);
    }
    return out;
  }
}
