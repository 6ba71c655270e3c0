/**
 * The FTS5 bm25 index is contentless (schema v5): it keeps tokens, not text, and the store
 * writes it from plaintext because `content` may be ciphertext. Health and rebuild live here.
 */
import type { Store } from "./store.ts";
import { ftsIndexed, looksSealed, openRow } from "./sealed.ts";
import type { MemoryRow } from "./rows.ts";

/** A bm25 hit: higher `score` is better (the negated FTS5 bm25 value). */
export interface FtsHit {
  pk: number;
  score: number;
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
