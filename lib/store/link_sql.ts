/**
 * The look-ups the memory graph's builders make over memories (lib/graph): session
 * neighbours, unranked FTS matches, ids to pks, creation times, and the memories a rebuild
 * walks, in its order. Read-only.
 */
import type { Store } from "./store.ts";

/** A memory's neighbour in its session. */
export interface SessionNeighbour {
  id: string;
  created_at: string;
}

/** The memory of the same session just before or just after `m`, by (`created_at`, `id`). */
export function sessionNeighbour(
  store: Store,
  namespace: string,
  session: string,
  m: SessionNeighbour,
  side: "before" | "after",
): SessionNeighbour | undefined {
  const [cmp, dir] = side === "before" ? ["<", "DESC"] : [">", "ASC"];
  return store.prepare(
    `SELECT id, created_at FROM memories WHERE namespace = ? AND session = ?
     AND (created_at ${cmp} ? OR (created_at = ? AND id ${cmp} ?))
     ORDER BY created_at ${dir}, id ${dir} LIMIT 1`,
  ).get(namespace, session, m.created_at, m.created_at, m.id) as SessionNeighbour | undefined;
}

/** Up to `limit` memories of a session created in [`from`, `to`], oldest first. */
export function sessionRange(
  store: Store,
  namespace: string,
  session: string,
  from: string,
  to: string,
  limit: number,
): SessionNeighbour[] {
  return store.prepare(
    // Without statistics the planner would walk the namespace's time index over the range.
    `SELECT id, created_at FROM memories INDEXED BY memories_ns_session_created
     WHERE namespace = ? AND session = ? AND created_at >= ? AND created_at <= ?
     ORDER BY created_at ASC, id ASC LIMIT ?`,
  ).all(namespace, session, from, to, limit) as unknown as SessionNeighbour[];
}

/** The revision of the newest tombstone (0 when nothing was ever deleted). */
export function lastTombstoneRev(store: Store): number {
  return (store.prepare("SELECT coalesce(max(rev), 0) AS n FROM tombstones").get() as {
    n: number;
  }).n;
}

/** The largest pk ever given to a memory still stored (0 for an empty store). */
export function maxMemoryPk(store: Store): number {
  return (store.prepare("SELECT coalesce(max(pk), 0) AS n FROM memories").get() as {
    n: number;
  }).n;
}

const isFtsSyntaxError = (e: unknown) => /fts5|syntax/i.test((e as Error).message);

/**
 * pks of up to `limit` memories (any namespace) matching an FTS expression, unranked: one
 * look-up without the join to `memories`. An expression FTS5 rejects matches nothing.
 */
export function ftsMatchPks(store: Store, match: string, limit: number): number[] {
  try {
    return (store.prepare(
      "SELECT rowid AS pk FROM memories_fts WHERE memories_fts MATCH ? LIMIT ?",
    ).all(match, limit) as { pk: number }[]).map((r) => r.pk);
  } catch (e) {
    if (!isFtsSyntaxError(e)) throw e;
    return [];
  }
}

/**
 * pks of up to `limit` memories of `namespace` matching an FTS expression, in row order
 * without ranking: FTS5 stops after `limit` hits instead of scoring the whole posting list,
 * which keeps a common name ("Priya" in 5,000 memories) as cheap as a rare one. CROSS JOIN
 * makes the index drive the loop; otherwise SQLite may walk the whole namespace and probe FTS.
 */
export function ftsFirstMatchesIn(
  store: Store,
  match: string,
  namespace: string,
  limit: number,
): number[] {
  try {
    const rows = store.prepare(
      `SELECT m.pk AS pk FROM memories_fts CROSS JOIN memories m ON m.pk = memories_fts.rowid
       WHERE memories_fts MATCH ? AND m.namespace = ? LIMIT ?`,
    ).all(match, namespace, limit) as { pk: number }[];
    return rows.map((r) => r.pk);
  } catch (e) {
    if (isFtsSyntaxError(e)) return [];
    throw e;
  }
}

/** The pks of the memories with these ids, in that order (unknown ids skipped). */
export function pksOfIds(store: Store, ids: readonly string[]): number[] {
  const pks: number[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const rows = store.prepare(
      `SELECT pk, id FROM memories WHERE id IN (${chunk.map(() => "?").join(",")})`,
    ).all(...chunk) as { pk: number; id: string }[];
    const pkOf = new Map(rows.map((r) => [r.id, r.pk]));
    for (const id of chunk) {
      const pk = pkOf.get(id);
      if (pk !== undefined) pks.push(pk);
    }
  }
  return pks;
}

/** `created_at` of each of these pks (unknown pks skipped), in no particular order. */
export function createdAtOfPks(
  store: Store,
  pks: readonly number[],
): { pk: number; created_at: string }[] {
  return store.prepare(
    `SELECT pk, created_at FROM memories WHERE pk IN (${pks.map(() => "?").join(",")})`,
  ).all(...pks) as { pk: number; created_at: string }[];
}

/** Every namespace holding a memory, sorted. */
export function memoryNamespaces(store: Store): string[] {
  return (store.prepare("SELECT DISTINCT namespace FROM memories ORDER BY namespace").all() as {
    namespace: string;
  }[]).map((r) => r.namespace);
}

/** The ids of a namespace's memories (archived too), oldest first. */
export function memoryIdsOldestFirst(store: Store, namespace: string): string[] {
  return (store.prepare(
    "SELECT id FROM memories WHERE namespace = ? ORDER BY created_at, id",
  ).all(namespace) as { id: string }[]).map((r) => r.id);
}

/** The ids of live (not archived) memories of one namespace or all, by namespace, oldest first. */
export function liveMemoryIds(store: Store, namespace?: string): string[] {
  return (store.prepare(
    `SELECT id FROM memories WHERE archived = 0 ${
      namespace === undefined ? "" : "AND namespace = ?"
    }
     ORDER BY namespace, created_at, id`,
  ).all(...(namespace === undefined ? [] : [namespace])) as { id: string }[]).map((r) => r.id);
}
