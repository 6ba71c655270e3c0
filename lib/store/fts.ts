/**
 * The FTS5 bm25 index is contentless (schema v5): it keeps tokens, not text, and the store
 * writes it from plaintext because `content` may be ciphertext. Health and rebuild live here.
 */
import type { Store } from "./store.ts";
import { ftsIndexed, looksSealed, openRow } from "./sealed.ts";
import type { MemoryRow } from "./rows.ts";
import { type MemoryFilter, needsRowLookup, whereFor } from "./filter.ts";

/** A bm25 hit: higher `score` is better (the negated FTS5 bm25 value). */
export interface FtsHit {
  pk: number;
  score: number;
}

/** How many FTS-only hits to fetch per hit asked for, before the filter is applied. */
const OVERFETCH = 4;

/** A row of the index with its FTS5 bm25 value (lower is better, as FTS5 orders). */
export interface FtsRanked {
  pk: number;
  s: number;
}

/**
 * The first `n` rows of the whole index for `match`, in FTS5's order: bm25, then row key
 * (ties are ordered by key so that every way of computing the ranking gives the same list).
 */
export type FtsRanking = (store: Store, match: string, n: number) => FtsRanked[];

/** The pks among `pks` whose rows pass `filter`. */
export type FtsAdmit = (store: Store, pks: number[], filter: MemoryFilter) => Set<number>;

/**
 * bm25 search restricted by `filter` before ranking. With a broad filter (namespace, status,
 * archive) the index is ranked alone and the top `OVERFETCH × limit` rows are filtered after:
 * joining every matching row with `memories` before ranking costs as much again as bm25. That
 * is exact: when at least `limit` of the fetched rows pass, no row ranked below them can enter
 * the top `limit`; otherwise (a small namespace in a large store) the joined query answers.
 * Narrow filters (ids, tags, dates, ...) always use the joined query. `via` may supply the
 * index's ranking and the filter's verdicts from elsewhere (lib/recall/term_stats.ts keeps
 * them for a store revision); they must equal {@link ftsRankIndex} and {@link ftsAdmitted}.
 */
export function ftsSearch(
  store: Store,
  match: string,
  filter: MemoryFilter,
  limit: number,
  via: { rank?: FtsRanking; admit?: FtsAdmit } = {},
): FtsHit[] {
  try {
    if (!needsRowLookup(filter)) {
      const m = limit * OVERFETCH;
      const rows = (via.rank ?? ftsRankIndex)(store, match, m);
      const pass = (via.admit ?? ftsAdmitted)(store, rows.map((r) => r.pk), filter);
      const hits = rows.filter((r) => pass.has(r.pk)).slice(0, limit);
      if (hits.length >= limit || rows.length < m) {
        return hits.map((r) => ({ pk: r.pk, score: -r.s }));
      }
    }
    const w = whereFor(filter, "m");
    const rows = store.prepare(
      `SELECT m.pk AS pk, bm25(memories_fts, 1.0, 0.5) AS s FROM memories_fts
       JOIN memories m ON m.pk = memories_fts.rowid
       WHERE memories_fts MATCH ? AND ${w.sql} ORDER BY s, m.pk LIMIT ?`,
    ).all(match, ...w.params, limit) as { pk: number; s: number }[];
    return rows.map((r) => ({ pk: r.pk, score: -r.s }));
  } catch (e) {
    // A query the FTS parser rejects is a caller bug, but recall must still answer.
    if (/fts5|syntax/i.test((e as Error).message)) return [];
    throw e;
  }
}

/** {@link FtsRanking} by FTS5 itself. */
export function ftsRankIndex(store: Store, match: string, n: number): FtsRanked[] {
  return store.prepare(
    `SELECT rowid AS pk, bm25(memories_fts, 1.0, 0.5) AS s FROM memories_fts
     WHERE memories_fts MATCH ? ORDER BY s, rowid LIMIT ?`,
  ).all(match, n) as unknown as FtsRanked[];
}

/**
 * Every row holding `phrase` (an FTS5 phrase, such as one quoted term) with the bm25 value
 * FTS5 gives it for a query of that phrase alone, in row key order. FTS5's bm25 of an OR of
 * phrases is the sum of these, phrase by phrase in query order (each phrase's IDF and the
 * document length do not depend on the other phrases), so lib/recall/term_stats.ts can rank an
 * OR from cached per-phrase values exactly as FTS5 would.
 */
export function ftsPhraseScores(store: Store, phrase: string): { pks: number[]; s: Float64Array } {
  const st = store.prepare(
    "SELECT rowid AS pk, bm25(memories_fts, 1.0, 0.5) AS s FROM memories_fts " +
      "WHERE memories_fts MATCH ? ORDER BY rowid",
  );
  // Rows as arrays where the runtime can: an object per posting costs about as much as bm25.
  const arrays = (st as { setReturnArrays?: (on: boolean) => void }).setReturnArrays;
  arrays?.call(st, true);
  const rows = st.all(phrase) as unknown as ([number, number] | FtsRanked)[];
  const pks = new Array<number>(rows.length);
  const s = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const [pk, v] = Array.isArray(r) ? r : [r.pk, r.s];
    pks[i] = pk;
    s[i] = v;
  }
  return { pks, s };
}

/** The pks among `pks` whose rows pass `filter` (looked up by key, never by a filter index). */
export function ftsAdmitted(store: Store, pks: number[], filter: MemoryFilter): Set<number> {
  const out = new Set<number>();
  if (pks.length === 0) return out;
  const w = whereFor(filter);
  for (let i = 0; i < pks.length; i += 500) {
    const chunk = pks.slice(i, i + 500);
    const rows = store.prepare(
      `SELECT pk FROM memories NOT INDEXED WHERE pk IN (${
        chunk.map(() => "?").join(",")
      }) AND ${w.sql}`,
    ).all(...chunk, ...w.params) as { pk: number }[];
    for (const r of rows) out.add(r.pk);
  }
  return out;
}

/** Rows that belong in the index under the store's `encryption.index` setting. */
export function ftsExpected(store: Store): number {
  const n = (sql: string) => (store.prepare(sql).get() as { n: number }).n;
  if (ftsIndexed(store.encryption, true)) return n("SELECT count(*) AS n FROM memories");
  return n("SELECT count(*) AS n FROM memories WHERE content NOT LIKE 'enc1:____________:%'");
}

/**
 * The index against the table: all rows, rows the index should hold, rows it holds, and
 * FTS5's own integrity check ("ok" or its message).
 */
export function ftsHealthOf(store: Store): {
  rows: number;
  expected: number;
  indexed: number;
  integrity: string;
  consistent: boolean;
} {
  const n = (sql: string) => (store.prepare(sql).get() as { n: number }).n;
  const rows = n("SELECT count(*) AS n FROM memories");
  const expected = ftsExpected(store);
  const indexed = n("SELECT count(*) AS n FROM memories_fts_docsize");
  let integrity = "ok";
  try {
    store.prepare("INSERT INTO memories_fts(memories_fts, rank) VALUES ('integrity-check', 1)")
      .run();
  } catch (e) {
    integrity = (e as Error).message;
  }
  // Every indexed rowid must be a row (a stray one would be a hit for a deleted memory).
  const strays = n(
    "SELECT count(*) AS n FROM memories_fts_docsize d LEFT JOIN memories m ON m.pk = d.id " +
      "WHERE m.pk IS NULL",
  );
  return {
    rows,
    expected,
    indexed,
    integrity,
    consistent: expected === indexed && strays === 0 && integrity === "ok",
  };
}

/** Empty the index and fill it again from the table; call inside a transaction. */
export function rebuildFtsIndex(store: Store): number {
  store.prepare("INSERT INTO memories_fts(memories_fts) VALUES ('delete-all')").run();
  const put = store.prepare(
    "INSERT INTO memories_fts(rowid, content, tags_text) VALUES (?, ?, ?)",
  );
  const page = store.prepare(
    "SELECT pk, id, namespace, content, tags_text, metadata FROM memories WHERE pk > ? " +
      "ORDER BY pk LIMIT 1000",
  );
  let last = 0;
  let n = 0;
  for (;;) {
    const rows = page.all(last) as unknown as MemoryRow[];
    if (rows.length === 0) return n;
    for (const row of rows) {
      last = row.pk;
      const sealed = looksSealed(row.content);
      if (!ftsIndexed(store.encryption, sealed)) continue;
      const content = sealed ? openRow(store.encryption, row).content : row.content;
      put.run(row.pk, content, row.tags_text);
      n++;
    }
  }
}
