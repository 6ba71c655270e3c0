/**
 * The memory graph's edges. The `memory_edges` table is read and written in lib/store
 * (graph_sql.ts); this file keeps the graph's names for it and the walk's one helper.
 */
export {
  deleteAutoEdges,
  deleteAutoEdgesIn,
  deleteAutoTemporalEdge,
  deleteEdgesBetween,
  deleteEdgesTouching,
  type Edge,
  EDGE_KINDS,
  edgeCounts,
  type EdgeKind,
  type EdgeOrigin,
  edgesTouching,
  isEdgeKind,
  upsertEdge,
  upsertEdges,
} from "../store/mod.ts";
import type { Edge } from "../store/mod.ts";

/** The endpoint of `e` that is not `id`. */
export function otherEnd(e: Edge, id: string): string {
  return e.src === id ? e.dst : e.src;
}
