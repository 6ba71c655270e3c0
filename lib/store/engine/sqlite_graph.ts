/**
 * Graph edges on SQLite: `memory_edges` as the synchronous store writes it (lib/store/
 * graph_sql.ts does the upsert), every call bound to a namespace.
 *
 * @module
 */
import type { SQLInputValue } from "node:sqlite";
import {
  type Edge,
  edgeCounts,
  type EdgeKind,
  type EdgeOrigin,
  upsertEdges,
} from "../graph_sql.ts";
import type { Store } from "../store.ts";
import { needNamespace } from "./shared.ts";
import {
  checkedEdges,
  EDGE_COLS,
  edgeConds,
  edgeFromRow,
  type EdgeRow,
  edgeWhere,
  endpoints,
  inList,
  limitOf,
  needEndpoints,
  type Ph,
} from "./side_shared.ts";
import type { EdgeSelector, GraphEngine } from "./side_types.ts";

/** Parameters and their `?` placeholder maker. */
function placeholders(): { params: SQLInputValue[]; ph: Ph } {
  const params: SQLInputValue[] = [];
  return { params, ph: (v) => (params.push(v), "?") };
}

/** A synchronous call as a promise (its throw becomes a rejection). */
export function run<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** {@link GraphEngine} over a SQLite store. */
export class SqliteGraph implements GraphEngine {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  add(namespace: string, edges: readonly Edge[]): Promise<void> {
    return run(() => {
      const rows = checkedEdges(namespace, edges);
      if (rows.length === 0) return;
      this.#store.transaction(() => {
        const ids = endpoints(rows);
        const { params, ph } = placeholders();
        const found = this.#store.prepare(
          `SELECT id FROM memories WHERE namespace = ${ph(namespace)} AND id IN (${
            inList(ids, ph, "ids")
          })`,
        ).all(...params) as { id: string }[];
        needEndpoints(namespace, ids, new Set(found.map((r) => r.id)));
        upsertEdges(this.#store, rows);
      });
    });
  }

  #edges(where: string, params: SQLInputValue[], order: string, limit: number | null): Edge[] {
    const rows = this.#store.prepare(
      `SELECT ${EDGE_COLS} FROM memory_edges WHERE ${where} ORDER BY ${order}` +
        (limit === null ? "" : ` LIMIT ${limit}`),
    ).all(...params) as unknown as EdgeRow[];
    return rows.map((r) => edgeFromRow(r, (ref, v) => this.#store.openValue(ref, v)));
  }

  list(
    namespace: string,
    o: { kinds?: readonly EdgeKind[]; origin?: EdgeOrigin; limit?: number } = {},
  ): Promise<Edge[]> {
    return run(() => {
      const { params, ph } = placeholders();
      const w = edgeConds(namespace, { kinds: o.kinds, origin: o.origin }, ph);
      return this.#edges(w, params, "src, dst, kind", limitOf(o.limit));
    });
  }

  neighbours(
    namespace: string,
    ids: readonly string[],
    o: { kinds?: readonly EdgeKind[]; limit?: number } = {},
  ): Promise<Edge[]> {
    return run(() => {
      if (ids.length === 0) return [];
      const { params, ph } = placeholders();
      const w = edgeConds(namespace, { touching: ids, kinds: o.kinds }, ph);
      return this.#edges(w, params, "weight DESC, src, dst, kind", limitOf(o.limit));
    });
  }

  delete(namespace: string, sel: EdgeSelector): Promise<number> {
    return run(() => {
      const { params, ph } = placeholders();
      const w = edgeWhere(namespace, sel, ph);
      return this.#store.transaction(() =>
        Number(this.#store.prepare(`DELETE FROM memory_edges WHERE ${w}`).run(...params).changes)
      );
    });
  }

  counts(namespace: string): Promise<Record<EdgeKind, number>> {
    return run(() => edgeCounts(this.#store, needNamespace(namespace)));
  }
}
