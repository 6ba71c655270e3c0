/**
 * The graph walk's look-ups (lib/graph/expand.ts, on recall's path): the filter fields of
 * memories by id, the strongest edges of some kinds touching a set of ids, every edge touching
 * one id, and a token telling whether the database may have changed (lib/graph/walk_cache.ts
 * keeps what a walk read while it has not). Read-only; the statements are cached by the store.
 */
import type { SQLInputValue } from "node:sqlite";
import type { EdgeKind } from "./graph_sql.ts";
import type { Store } from "./store.ts";

/** The fields a walk filters on, as stored (`archived` 0 or 1). */
export interface MemoryNodeRow {
  id: string;
  pk: number;
  namespace: string;
  status: string;
  archived: number;
  created_at: string;
}

/** {@link MemoryNodeRow} of the memories with these ids (unknown ids skipped), 400 per query. */
export function memoryNodeRows(store: Store, ids: readonly string[]): MemoryNodeRow[] {
  const out: MemoryNodeRow[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const rows = store.prepare(
      `SELECT id, pk, namespace, status, archived, created_at FROM memories WHERE id IN (${
        chunk.map(() => "?").join(",")
      })`,
    ).all(...chunk) as unknown as MemoryNodeRow[];
    out.push(...rows);
  }
  return out;
}

/** An edge as a walk follows it: no detail (opening it would cost a decryption per edge). */
export interface EdgeLink {
  src: string;
  dst: string;
  kind: EdgeKind;
  weight: number;
}

/**
 * The strongest `max` edges of `kinds` touching the first 400 of `ids` (either end), in one
 * statement, strongest first.
 */
export function strongestEdgesTouching(
  store: Store,
  ids: readonly string[],
  kinds: readonly EdgeKind[],
  max: number,
): EdgeLink[] {
  const chunk = ids.slice(0, 400);
  const marks = chunk.map(() => "?").join(",");
  const kindSql = `kind IN (${kinds.map(() => "?").join(",")})`;
  const params: SQLInputValue[] = [...chunk, ...kinds, ...chunk, ...kinds, max];
  return store.prepare(
    `SELECT src, dst, kind, weight FROM memory_edges WHERE src IN (${marks}) AND ${kindSql}
     UNION SELECT src, dst, kind, weight FROM memory_edges WHERE dst IN (${marks}) AND ${kindSql}
     ORDER BY weight DESC LIMIT ?`,
  ).all(...params) as unknown as EdgeLink[];
}

/**
 * Every edge touching `id` (either end, any kind), in the order {@link strongestEdgesTouching}
 * gives a hop: weight descending, then `src`, `dst` and `kind` ascending (BINARY collation).
 * That tie order is what SQLite's UNION gives without being told (it sorts by every result
 * column to drop duplicates); here it is spelled out.
 */
export function edgesOfNode(store: Store, id: string): EdgeLink[] {
  return store.prepare(
    `SELECT src, dst, kind, weight FROM memory_edges WHERE src = ?1
     UNION SELECT src, dst, kind, weight FROM memory_edges WHERE dst = ?1
     ORDER BY weight DESC, src, dst, kind`,
  ).all(id) as unknown as EdgeLink[];
}

/**
 * A value that differs whenever the database may have changed since it was last taken: a
 * commit by any other connection (`PRAGMA data_version`) or a row written through this one
 * (`total_changes()`, which counts rolled-back writes too). Null inside a transaction, whose
 * writes may still roll back: nothing read then may be kept.
 */
export function changeToken(store: Store): string | null {
  if (store.db.isTransaction) return null;
  const v = store.prepare("PRAGMA data_version").get() as { data_version: number };
  const c = store.prepare("SELECT total_changes() AS n").get() as { n: number };
  return `${v.data_version}:${c.n}`;
}
