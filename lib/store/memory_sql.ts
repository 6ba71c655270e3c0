/**
 * Single-purpose look-ups over `memories` by pk: the total count (`/health`), the embedding
 * fingerprint of one memory (`inspect`), and the pk ranges import defers graph links for.
 * Read-only.
 */
import type { Store } from "./store.ts";

/** Every memory stored (archived too, all namespaces). */
export function memoryCount(store: Store): number {
  return (store.db.prepare("SELECT count(*) AS n FROM memories").get() as { n: number }).n;
}

/** Which embedder and dimension made the vector of memory `pk` (nulls without a vector). */
export function embeddingFingerprint(
  store: Store,
  pk: number,
): { embedder_id: string | null; dim: number | null } {
  return store.db.prepare("SELECT embedder_id, dim FROM memories WHERE pk = ?").get(pk) as {
    embedder_id: string | null;
    dim: number | null;
  };
}

/** Memories whose pk lies in [`lo`, `hi`]. */
export function memoryCountInPkRange(store: Store, lo: number, hi: number): number {
  return (store.prepare("SELECT count(*) AS n FROM memories WHERE pk BETWEEN ? AND ?")
    .get(lo, hi) as { n: number }).n;
}

/** pk and id of up to `limit` memories whose pk lies in [`lo`, `hi`], by pk. */
export function memoryIdsInPkRange(
  store: Store,
  lo: number,
  hi: number,
  limit: number,
): { pk: number; id: string }[] {
  return store.prepare(
    "SELECT pk, id FROM memories WHERE pk BETWEEN ? AND ? ORDER BY pk LIMIT ?",
  ).all(lo, hi, limit) as { pk: number; id: string }[];
}
