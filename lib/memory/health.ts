/**
 * Index health and namespace listing for a caller's scope. Counts never include namespaces
 * outside the scope, so a scoped caller learns nothing about other namespaces.
 */
import type { Runtime } from "./runtime.ts";
import type { NamespaceScope } from "./scoped.ts";
import { indexCounts, namespaceStats } from "../store/mod.ts";

/** One namespace with counts. */
export interface NamespaceInfo {
  namespace: string;
  total: number;
  active: number;
  archived: number;
  by_status: Record<string, number>;
  last_updated_at: string | null;
}

/**
 * The namespaces in `scope` with counts. A bound scope lists every namespace it names, even
 * empty ones; `"*"` lists the namespaces that hold memories.
 */
export function namespaceCounts(rt: Runtime, scope: NamespaceScope): NamespaceInfo[] {
  const stats = new Map(namespaceStats(rt.store).map((s) => [s.namespace, s]));
  const names = scope === "*" ? [...stats.keys()] : [...new Set(scope)];
  return names.sort().map((ns) => {
    const s = stats.get(ns);
    return {
      namespace: ns,
      total: s?.total ?? 0,
      active: s?.by_status.active ?? 0,
      archived: s?.archived ?? 0,
      by_status: s?.by_status ?? {},
      last_updated_at: s?.last_updated_at ?? null,
    };
  });
}

/**
 * Index health. For `"*"` this includes the store-wide consistency checks (FTS rows = table
 * rows, FTS integrity); for a bound scope, only that scope's counts.
 */
export function indexHealth(rt: Runtime, scope: NamespaceScope) {
  rt.syncIndex();
  const names = scope === "*" ? null : [...new Set(scope)];
  const { rows, live, missing, stale, vectorsExpected } = indexCounts(rt.store, names, {
    id: rt.embedder.id,
    dim: rt.embedder.dim,
  });
  const vectorSize = names ? names.reduce((n, ns) => n + rt.index.size(ns), 0) : rt.index.size();
  const out: Record<string, unknown> = {
    scope: names ?? "*",
    memory_rows: rows,
    live_rows: live,
    vector_index_size: vectorSize,
    vectors_expected: vectorsExpected,
    missing_embeddings: missing,
    stale_embeddings: stale,
    embedder: { id: rt.embedder.id, dim: rt.embedder.dim },
    vector_index_consistent: vectorSize === vectorsExpected,
  };
  if (!names) {
    const fts = rt.store.ftsHealth();
    out.fts_rows = fts.indexed;
    out.fts_consistent = fts.consistent && fts.rows === rows;
    out.fts_integrity = fts.integrity;
    out.rev = rt.store.currentRev();
  }
  return out;
}
