/**
 * Reporting queries over the whole store: namespaces with counts per status, embedders in use,
 * and rows whose vector needs (re)computing. Read-only; `status`, doctor, metrics and `embed
 * reembed` use them.
 */
import type { Store } from "./store.ts";
import { type MemoryFilter, whereFor } from "./filter.ts";
import { WRONG_VECTOR_LENGTH } from "./rows.ts";

/** One namespace with its counts per status (archived counted apart). */
export interface NamespaceStats {
  namespace: string;
  total: number;
  archived: number;
  by_status: Record<string, number>;
  last_updated_at: string | null;
}

/** Every namespace with counts per status (archived counted apart). */
export function namespaceStats(store: Store): NamespaceStats[] {
  const rows = store.prepare(
    `SELECT namespace, status, archived, count(*) AS n, max(updated_at) AS last
     FROM memories GROUP BY namespace, status, archived ORDER BY namespace`,
  ).all() as { namespace: string; status: string; archived: number; n: number; last: string }[];
  const out = new Map<string, NamespaceStats>();
  for (const r of rows) {
    let s = out.get(r.namespace);
    if (!s) {
      s = { namespace: r.namespace, total: 0, archived: 0, by_status: {}, last_updated_at: null };
      out.set(r.namespace, s);
    }
    s.total += r.n;
    if (r.archived) s.archived += r.n;
    else s.by_status[r.status] = (s.by_status[r.status] ?? 0) + r.n;
    if (!s.last_updated_at || r.last > s.last_updated_at) s.last_updated_at = r.last;
  }
  return [...out.values()];
}

/** Embedder ids in use with their row counts (fingerprint drift shows up here). */
export function embedderStats(
  store: Store,
): { embedder_id: string | null; dim: number | null; n: number }[] {
  return store.prepare(
    "SELECT embedder_id, dim, count(*) AS n FROM memories GROUP BY embedder_id, dim",
  ).all() as { embedder_id: string | null; dim: number | null; n: number }[];
}

/** pks in `filter` whose vector is missing or from another embedder. */
export function pksNeedingEmbedding(store: Store, f: MemoryFilter, embedderId: string): number[] {
  const w = whereFor({ ...f, archived: "include" });
  const rows = store.prepare(
    `SELECT pk FROM memories WHERE ${w.sql} AND (embedding IS NULL OR embedder_id IS NULL OR embedder_id != ? OR dim IS NULL OR ${WRONG_VECTOR_LENGTH})`,
  ).all(...w.params, embedderId) as { pk: number }[];
  return rows.map((r) => r.pk);
}
