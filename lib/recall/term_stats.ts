/**
 * Term statistics for query planning and bm25 ranking. bm25 over an OR of very common terms
 * makes FTS5 score most of the table (about 1 µs a row), so large stores drop such terms: they
 * carry almost no IDF weight. Document counts are cached and refreshed as the store grows.
 * Per-term bm25 values are cached for one store revision (see {@link TermStats.search}).
 */
import {
  ftsAdmitted,
  type FtsHit,
  ftsMatchCount,
  ftsMatchCountUpTo,
  ftsPhraseScores,
  ftsRankIndex,
  ftsSearch,
  maxMemoryPk,
  type MemoryFilter,
  namespaceHasTurns,
  type Store,
} from "../store/mod.ts";
import { ftsQuote, queryTerms } from "./text.ts";
import { type TermScores, topRows } from "./top_rows.ts";

/** The document share past which {@link TermStats.selectTerms} drops a term by default. */
const DROP_RATIO = 0.2;

/** Per-term rows kept at most, over all terms (about 16 bytes each). */
const MAX_CACHED_ROWS = 1_000_000;

/** Rows {@link TermStats.prewarm} reads at most by default (about 16 bytes each: 8 MB). */
export const PREWARM_ROWS = 500_000;

/** The fewest rows a word must be in for {@link TermStats.prewarm} to read it (about 2 ms). */
export const PREWARM_MIN_DOCS = 1000;

/** Cached document-frequency lookups for one store. */
export class TermStats {
  #store: Store;
  #cache = new Map<string, { df: number; at: number }>();
  #scores = new Map<string, TermScores>();
  #rows = 0;
  /** Per filter: whether a row passes it. */
  #passes = new Map<string, Map<number, boolean>>();
  #passed = 0;
  /** Per namespace: whether it holds turns of dialogue. */
  #turns = new Map<string, boolean>();
  /** The store revision `#scores` belong to, and the one the previous search saw. */
  #rev = -1;
  #lastRev = -1;
  /** The revision the current recall began at, and whether the recall before saw it too. */
  #begun = -1;
  #quiet = false;
  /** The first revision this object saw. */
  #firstRev = -1;

  /**
   * Where a recount may come from instead of an FTS5 count: the same number, kept by a bulk
   * write for its batch (lib/memory/dedup_index.ts); undefined asks FTS5.
   */
  counter?: (term: string) => number | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Approximate number of documents (highest row key; exact without deletes). */
  docCount(): number {
    return maxMemoryPk(this.#store);
  }

  /**
   * Documents containing `term` (all namespaces). Large stores cache counts until they grow
   * 10 %; small ones (cheap to count) recount on any change.
   */
  df(term: string, docs = this.docCount()): number {
    const hit = this.#cache.get(term);
    if (hit && (docs === hit.at || (hit.at >= 2000 && docs <= hit.at * 1.1))) return hit.df;
    const n = this.counter?.(term) ?? ftsMatchCount(this.#store, ftsQuote(term));
    if (this.#cache.size > 50_000) this.#cache.clear();
    this.#cache.set(term, { df: n, at: docs });
    return n;
  }

  /**
   * Whether between 1 and `cap` documents contain `term`: a cached {@link df} when there is
   * one, else a count that stops past `cap` (a common word's postings are not all walked).
   */
  heldBy(term: string, cap: number, docs = this.docCount()): boolean {
    const hit = this.#cache.get(term);
    if (hit && (docs === hit.at || (hit.at >= 2000 && docs <= hit.at * 1.1))) {
      return hit.df > 0 && hit.df <= cap;
    }
    const kept = this.counter?.(term);
    const n = kept ?? ftsMatchCountUpTo(this.#store, ftsQuote(term), cap);
    if (n <= cap) { // the exact count: keep it as df
      if (this.#cache.size > 50_000) this.#cache.clear();
      this.#cache.set(term, { df: n, at: docs });
    }
    return n > 0 && n <= cap;
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
    const cap = (opts.maxRatio ?? DROP_RATIO) * docs;
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

  /**
   * bm25 over an OR of `terms` within `filter`: the hits `store.fts(ftsOr(terms), filter,
   * limit)` returns. FTS5 scores every row matching the OR (about 1 µs a row, most of a
   * recall's bm25 cost); its value for a row is the sum, term by term in query order, of the
   * values a query of each term alone gives (IDF and document length do not depend on the other
   * terms). So while the store revision stays (no write by any process), each term's values
   * are read once and kept for that revision, and the ranking
   * is their sum: the same doubles, added in the same order, ties by row key as FTS5's
   * `ORDER BY bm25, rowid`. Right after a write FTS5 ranks (see {@link begin}): a store
   * written between recalls would refill the cache for nothing.
   */
  search(terms: string[], filter: MemoryFilter, limit: number): FtsHit[] {
    return this.searchPhrases(terms.map(ftsQuote), filter, limit);
  }

  /**
   * {@link search} over FTS5 phrases (quoted, as `ftsQuote` or `ftsPhraseQuery` make them):
   * the hits of `store.fts(phrases.join(" OR "), filter, limit)`. Which rows pass the filter
   * is kept for the revision too (a row's namespace, status and archive flag change only with
   * a write).
   */
  searchPhrases(phrases: string[], filter: MemoryFilter, limit: number): FtsHit[] {
    if (phrases.length === 0) return [];
    const store = this.#store;
    const match = phrases.join(" OR ");
    // Inside a transaction the revision may still roll back: never keep what it shows.
    if (store.db.isTransaction) return ftsSearch(store, match, filter, limit);
    const rev = store.currentRev();
    const steady = this.#at(rev);
    return ftsSearch(store, match, filter, limit, {
      rank: (_s, m, n) => this.#rank(phrases, m, n, rev, steady),
      admit: (_s, pks, f) => this.#admit(pks, f, rev),
    });
  }

  /**
   * Whether any memory of `namespace` is a turn of dialogue, kept for the store revision like
   * the per-term values. Until it may keep values ({@link begin}) it answers true without
   * asking: the caller then runs what turns need, as for a namespace with turns — unless
   * `ask` (for a step costlier than the question: word bridges) and the store has not changed
   * since this process first looked (a one-shot command): then the store is asked.
   */
  hasTurns(namespace: string, ask = false): boolean {
    const store = this.#store;
    if (store.db.isTransaction) return true;
    const rev = store.currentRev();
    const steady = this.#at(rev);
    let turns = this.#turns.get(namespace);
    if (turns === undefined) {
      if (!steady) return !ask || rev !== this.#firstRev || namespaceHasTurns(store, namespace);
      turns = namespaceHasTurns(store, namespace);
      if (store.currentRev() !== rev) {
        this.#reset(-1);
        return true;
      }
      this.#turns.set(namespace, turns);
    }
    return turns;
  }

  /**
   * Mark the start of a recall. Its searches and checks keep new values only when the previous
   * recall saw the same revision (the store is not being written between recalls): a recall
   * right after a write costs what it did without them. Without this call, the previous search
   * decides.
   */
  begin(): void {
    const rev = this.#store.currentRev();
    this.#quiet = rev === this.#begun;
    this.#begun = rev;
  }

  /**
   * Read ahead, for the current store revision, the per-phrase values of the common words of
   * `texts` (a sample of stored contents, such as the newest memories), which the first recall
   * naming each would otherwise read from FTS5 at about 2 µs a row: words in at least `minDocs`
   * rows and at most the share {@link selectTerms} keeps by default, the most frequent in the
   * sample first, within `budget` rows. The values are FTS5's own ({@link searchPhrases} reads
   * the same), so no ranking changes. Yields between words and stops when the store is written
   * or `signal` aborts; afterwards the revision counts as steady (the next recall keeps values).
   * Returns the rows read.
   */
  async prewarm(
    texts: string[],
    opts: { minDocs?: number; budget?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const store = this.#store;
    const minDocs = opts.minDocs ?? PREWARM_MIN_DOCS;
    const budget = Math.min(opts.budget ?? PREWARM_ROWS, MAX_CACHED_ROWS);
    const rev = store.currentRev();
    if (rev !== this.#rev) this.#reset(rev);
    const docs = this.docCount();
    const words = commonWords(texts, (minDocs / 2) * (texts.length / Math.max(docs, 1)));
    let read = 0;
    for (const w of words) {
      if (opts.signal?.aborted || read >= budget) break;
      const phrase = ftsQuote(w);
      if (this.#scores.has(phrase)) continue;
      await new Promise((r) => setTimeout(r, 0)); // requests first
      if (store.db.isTransaction || store.currentRev() !== rev) return read;
      if (this.#scores.has(phrase)) continue; // a recall read it meanwhile
      const df = this.df(w, docs);
      if (df < minDocs || df > DROP_RATIO * docs || read + df > budget) continue;
      const l = ftsPhraseScores(store, phrase);
      if (store.currentRev() !== rev) return read;
      this.#scores.set(phrase, l);
      this.#rows += l.pks.length;
      read += l.pks.length;
    }
    this.#trim();
    // As after a recall at this revision: the next one keeps what it reads too.
    this.#lastRev = this.#begun = rev;
    return read;
  }

  /** Note a search at `rev`; true when values may be kept (see {@link begin}). */
  #at(rev: number): boolean {
    if (this.#firstRev === -1) this.#firstRev = rev;
    const steady = rev === this.#lastRev && (rev !== this.#begun || this.#quiet);
    this.#lastRev = rev;
    if (rev !== this.#rev) this.#reset(rev);
    return steady;
  }

  #reset(rev: number) {
    this.#scores.clear();
    this.#rows = 0;
    this.#passes.clear();
    this.#passed = 0;
    this.#turns.clear();
    this.#rev = rev;
  }

  /**
   * The first `n` rows for an OR of `phrases` (= `match`) from cached per-phrase values; the
   * first search after a write (`steady` false) ranks with FTS5 unless all are cached.
   */
  #rank(phrases: string[], match: string, n: number, rev: number, steady: boolean) {
    const store = this.#store;
    const lists: TermScores[] = [];
    let read = false;
    for (const t of phrases) {
      let l = this.#scores.get(t);
      if (l) {
        this.#scores.delete(t); // most recently used last
      } else {
        if (!steady) return ftsRankIndex(store, match, n);
        l = ftsPhraseScores(store, t);
        read = true;
        this.#rows += l.pks.length;
      }
      this.#scores.set(t, l);
      lists.push(l);
    }
    // A write committed while the values were read: they may mix two revisions.
    if (read && store.currentRev() !== rev) {
      this.#reset(-1);
      return ftsRankIndex(store, match, n);
    }
    this.#trim();
    return topRows(lists, n) ?? ftsRankIndex(store, match, n);
  }

  /** Drop the least recently used per-phrase values beyond {@link MAX_CACHED_ROWS}. */
  #trim(): void {
    for (const [t, l] of this.#scores) {
      if (this.#rows <= MAX_CACHED_ROWS) break;
      this.#scores.delete(t);
      this.#rows -= l.pks.length;
    }
  }

  /** {@link ftsAdmitted}, asking the store only about rows not seen at this revision. */
  #admit(pks: number[], filter: MemoryFilter, rev: number): Set<number> {
    const store = this.#store;
    const key = JSON.stringify(filter);
    let known = this.#passes.get(key);
    if (!known) {
      if (this.#passed > MAX_CACHED_ROWS) {
        this.#passes.clear();
        this.#passed = 0;
      }
      this.#passes.set(key, known = new Map());
    }
    const unknown = pks.filter((pk) => !known.has(pk));
    if (unknown.length > 0) {
      const pass = ftsAdmitted(store, unknown, filter);
      // A write committed meanwhile: answer, but keep nothing.
      if (store.currentRev() !== rev) {
        this.#reset(-1);
        return ftsAdmitted(store, pks, filter);
      }
      for (const pk of unknown) known.set(pk, pass.has(pk));
      this.#passed += unknown.length;
    }
    return new Set(pks.filter((pk) => known.get(pk)));
  }
}

/** The query words of `texts` found in at least `min` of them, the most frequent first. */
export function commonWords(texts: string[], min: number): string[] {
  const n = new Map<string, number>();
  for (const t of texts) for (const w of queryTerms(t)) n.set(w, (n.get(w) ?? 0) + 1);
  return [...n].filter(([, c]) => c >= min).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
}
