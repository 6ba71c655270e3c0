/**
 * Counting and listing queries over `memories` for the review queue, the lifecycle overview,
 * index health and `store list`. Read-only. A namespace list of `null` means every namespace;
 * an empty list means none.
 */
import { hashForms } from "./rows.ts";
import type { Store } from "./store.ts";

/** SQL condition (and its parameters) for a namespace list; null = all, [] = none. */
export function namespacesWhere(
  namespaces: readonly string[] | null,
): { sql: string; params: string[] } {
  if (namespaces === null) return { sql: "1 = 1", params: [] };
  if (namespaces.length === 0) return { sql: "0 = 1", params: [] };
  return { sql: `namespace IN (${namespaces.map(() => "?").join(",")})`, params: [...namespaces] };
}

/** Memories of `namespace` with this content hash, other than `exceptId`. */
export function sameContentCount(
  store: Store,
  namespace: string,
  contentHash: string,
  exceptId: string,
): number {
  return (store.prepare( // cached: the review queue asks once per item
    "SELECT count(*) AS n FROM memories WHERE namespace = ? AND content_hash IN (?, ?) AND id != ?",
  ).get(namespace, ...hashForms(contentHash), exceptId) as { n: number }).n;
}

/** Counts per (status, archived) in one namespace. */
export function statusCountsIn(
  store: Store,
  namespace: string,
): { status: string; archived: number; n: number }[] {
  return store.db.prepare(
    "SELECT status, archived, count(*) AS n FROM memories WHERE namespace = ? GROUP BY status, archived",
  ).all(namespace) as { status: string; archived: number; n: number }[];
}

/** Ids of a namespace's most recently updated memories (archived ones only when asked). */
export function recentlyUpdatedIds(
  store: Store,
  namespace: string,
  o: { statuses?: readonly string[]; includeArchived?: boolean; limit: number },
): string[] {
  const statuses = o.statuses ?? [];
  return (store.db.prepare(
    `SELECT id FROM memories WHERE namespace = ?
     ${o.includeArchived ? "" : "AND archived = 0"}
     ${statuses.length ? `AND status IN (${statuses.map(() => "?").join(",")})` : ""}
     ORDER BY updated_at DESC, id DESC LIMIT ?`,
  ).all(namespace, ...statuses, o.limit) as { id: string }[]).map((r) => r.id);
}

/** Live (not archived) memories per namespace, for namespaces holding any. */
export function liveCountsByNamespace(store: Store): Map<string, number> {
  const rows = store.db.prepare(
    "SELECT namespace, count(*) AS n FROM memories WHERE archived = 0 GROUP BY namespace",
  ).all() as { namespace: string; n: number }[];
  return new Map(rows.map((r) => [r.namespace, r.n]));
}

/** Row and vector counts of index health, for these namespaces (null = all). */
export interface IndexCounts {
  rows: number;
  live: number;
  /** Rows without a vector (archived too). */
  missing: number;
  /** Rows whose vector comes from another embedder or dimension (archived too). */
  stale: number;
  /** Live rows with a vector of this embedder: what the vector index should hold. */
  vectorsExpected: number;
}

/** {@link IndexCounts} for `namespaces` against the embedder `id`/`dim`. */
export function indexCounts(
  store: Store,
  namespaces: readonly string[] | null,
  embedder: { id: string; dim: number },
): IndexCounts {
  const ns = namespacesWhere(namespaces);
  const count = (where: string, params: (string | number)[] = []) =>
    (store.db.prepare(`SELECT count(*) AS n FROM memories WHERE ${ns.sql}${where}`).get(
      ...ns.params,
      ...params,
    ) as { n: number }).n;
  const fingerprint = [embedder.id, embedder.dim];
  return {
    rows: count(""),
    live: count(" AND archived = 0"),
    missing: count(" AND embedding IS NULL"),
    stale: count(" AND embedding IS NOT NULL AND (embedder_id != ? OR dim != ?)", fingerprint),
    vectorsExpected: count(
      " AND archived = 0 AND embedding IS NOT NULL AND embedder_id = ? AND dim = ?",
      fingerprint,
    ),
  };
}
