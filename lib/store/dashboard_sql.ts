/**
 * The dashboard's numbers (lib/ui): memories per day, extraction yield by source, vectors
 * against the configured embedder, the remember queue, the memories injected last. Read-only;
 * every query is confined to a namespace list (null = all, [] = none).
 */
import type { Store } from "./store.ts";
import { namespacesWhere } from "./counts_sql.ts";

type Names = readonly string[] | null;

function count(store: Store, names: Names, where: string, params: (string | number)[] = []) {
  const w = namespacesWhere(names);
  return (store.db.prepare(`SELECT count(*) AS n FROM memories WHERE ${w.sql} AND ${where}`).get(
    ...w.params,
    ...params,
  ) as { n: number }).n;
}

function grouped(store: Store, sql: string, params: (string | number)[]) {
  return Object.fromEntries(
    (store.db.prepare(sql).all(...params) as { k: string; n: number }[]).map((r) => [r.k, r.n]),
  ) as Record<string, number>;
}

/** Live memories' vectors against the embedder `id`/`dim`: expected, missing, stale. */
export function liveVectorCounts(
  store: Store,
  names: Names,
  embedder: { id: string; dim: number },
): { expected: number; missing: number; stale: number } {
  const fp = [embedder.id, embedder.dim];
  return {
    expected: count(
      store,
      names,
      "archived = 0 AND embedding IS NOT NULL AND embedder_id = ? AND dim = ?",
      fp,
    ),
    missing: count(store, names, "archived = 0 AND embedding IS NULL"),
    stale: count(
      store,
      names,
      "archived = 0 AND embedding IS NOT NULL AND (embedder_id != ? OR dim != ?)",
      fp,
    ),
  };
}

/** Memories stored under one source key: all, archived, and live ones per status. */
export function sourceKeyCounts(
  store: Store,
  names: Names,
  sourceKey: string,
): { total: number; archived: number; by_status: Record<string, number> } {
  const w = namespacesWhere(names);
  return {
    total: count(store, names, "source_key = ?", [sourceKey]),
    by_status: grouped(
      store,
      `SELECT status AS k, count(*) AS n FROM memories
         WHERE ${w.sql} AND source_key = ? AND archived = 0 GROUP BY status`,
      [...w.params, sourceKey],
    ),
    archived: count(store, names, "source_key = ? AND archived = 1", [sourceKey]),
  };
}

/** Memories created per UTC day (`YYYY-MM-DD`) since `since`, optionally of one source key. */
export function createdPerDay(
  store: Store,
  names: Names,
  since: string,
  sourceKey?: string,
): { day: string; n: number }[] {
  const w = namespacesWhere(names);
  const extra = sourceKey === undefined ? "" : "AND source_key = ?";
  return store.db.prepare(
    `SELECT substr(created_at, 1, 10) AS day, count(*) AS n FROM memories
       WHERE ${w.sql} AND created_at >= ? ${extra} GROUP BY day`,
  ).all(...w.params, since, ...(sourceKey === undefined ? [] : [sourceKey])) as {
    day: string;
    n: number;
  }[];
}

/** The remember queue's decisions counted per action. */
export function rememberDecisionCounts(store: Store, names: Names): Record<string, number> {
  const w = namespacesWhere(names);
  return grouped(
    store,
    `SELECT action AS k, count(*) AS n FROM remember_decisions WHERE ${w.sql} GROUP BY action`,
    w.params,
  );
}

/** Items in the remember queue not drained yet. */
export function openRememberCount(store: Store, names: Names): number {
  const w = namespacesWhere(names);
  return (store.db.prepare(
    `SELECT count(*) AS n FROM remember_queue WHERE ${w.sql} AND done_at IS NULL`,
  ).get(...w.params) as { n: number }).n;
}

/** Ids of the memories the proxy injected most recently (by `last_injected_at`). */
export function recentlyInjectedIds(store: Store, names: Names, limit: number): string[] {
  const w = namespacesWhere(names);
  return (store.db.prepare(
    `SELECT id FROM memories
     WHERE ${w.sql} AND json_extract(extra, '$.last_injected_at') IS NOT NULL
     ORDER BY json_extract(extra, '$.last_injected_at') DESC LIMIT ?`,
  ).all(...w.params, limit) as { id: string }[]).map((r) => r.id);
}
