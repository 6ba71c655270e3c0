/**
 * The memory graph's one edge helper. The `memory_edges` table is read and written in
 * lib/store (graph_sql.ts, exported by lib/store/mod.ts); the graph imports those functions
 * from there.
 */
import type { Edge } from "../store/mod.ts";

/** The endpoint of `e` that is not `id`. */
export function otherEnd(e: Edge, id: string): string {
  return e.src === id ? e.dst : e.src;
}
