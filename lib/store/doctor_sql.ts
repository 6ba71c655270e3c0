/**
 * What `doctor` asks of the database file itself: SQLite's integrity check, rows whose vector
 * is missing or unreadable, and the repair that marks those for re-embedding.
 */
import { WRONG_VECTOR_LENGTH } from "./rows.ts";
import type { Store } from "./store.ts";

/** The messages of `PRAGMA integrity_check` (exactly `["ok"]` for a sound file). */
export function integrityCheck(store: Store): string[] {
  const rows = store.db.prepare("PRAGMA integrity_check").all() as Record<string, string>[];
  return rows.map((r) => Object.values(r)[0]);
}

const count = (store: Store, sql: string): number =>
  (store.db.prepare(sql).get() as { n: number }).n;

/** Rows without a vector, and rows whose vector has the wrong byte length for its dimension. */
export function brokenVectorCounts(store: Store): { missing: number; corrupt: number } {
  return {
    missing: count(store, "SELECT count(*) AS n FROM memories WHERE embedding IS NULL"),
    corrupt: count(
      store,
      "SELECT count(*) AS n FROM memories WHERE embedding IS NOT NULL AND " +
        `(dim IS NULL OR ${WRONG_VECTOR_LENGTH})`,
    ),
  };
}

/**
 * Drop the missing or unreadable vectors with their embedder id and dimension, so re-embedding
 * (which picks rows by embedder id) redoes them. One transaction.
 */
export function clearBrokenVectors(store: Store): void {
  store.transaction(() => {
    store.db.prepare(
      "UPDATE memories SET embedding = NULL, embedder_id = NULL, dim = NULL WHERE " +
        `embedding IS NULL OR dim IS NULL OR ${WRONG_VECTOR_LENGTH}`,
    ).run();
  });
}
