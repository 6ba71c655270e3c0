/**
 * The graph walk's look-ups (lib/graph/expand.ts, on recall's path): the filter fields of
 * memories by id and the strongest edges of some kinds touching a set of ids. Read-only; the
 * statements are cached by the store (a walk runs them once per hop).
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
