/**
 * The `memory_edges` table (schema v4): typed, weighted links between memories of one
 * namespace. Endpoints are memory ids (stable across export and portable formats). Edges are
 * stored once per pair; traversal treats them as undirected, and only causal edges carry a
 * meaningful direction (cause → effect). An edge's `detail` is sealed like a memory's content.
 */
import type { SQLInputValue } from "node:sqlite";
import type { Store } from "./store.ts";
import { edgeDetailRef } from "./sealed.ts";

/** The four edge kinds. */
export const EDGE_KINDS = ["temporal", "entity", "causal", "semantic"] as const;
export type EdgeKind = typeof EDGE_KINDS[number];

/** Who made an edge: the builders (`auto`, recomputed freely) or a person (`manual`, kept). */
export type EdgeOrigin = "auto" | "manual";

/** One stored edge. */
export interface Edge {
  src: string;
  dst: string;
  kind: EdgeKind;
  namespace: string;
  weight: number;
  origin: EdgeOrigin;
  /** Why the edge exists: the shared entity, the causal cue, the cosine, the gap in hours. */
  detail: Record<string, unknown>;
  created_at: string;
}

/** An edge row as stored (`detail` possibly sealed). */
export interface EdgeRow {
  src: string;
  dst: string;
  kind: string;
  namespace: string;
  weight: number;
  origin: string;
  detail: string;
  created_at: string;
}

/** Edge columns, in the table's order. */
export const EDGE_COLS = "src, dst, kind, namespace, weight, origin, detail, created_at";

const UPSERT_TAIL = `ON CONFLICT (src, dst, kind) DO UPDATE SET weight = excluded.weight,
       detail = excluded.detail, origin = excluded.origin
       WHERE memory_edges.origin = 'auto' OR excluded.origin = 'manual'`;

function toEdge(store: Store, r: EdgeRow): Edge {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(store.openValue(edgeDetailRef(r), r.detail));
  } catch { /* a damaged or unreadable detail is only lost context */ }
  return {
    src: r.src,
    dst: r.dst,
    kind: r.kind as EdgeKind,
    namespace: r.namespace,
    weight: r.weight,
    origin: r.origin as EdgeOrigin,
    detail,
    created_at: r.created_at,
  };
}

function edgeParams(store: Store, e: Edge): SQLInputValue[] {
  return [
    e.src,
    e.dst,
    e.kind,
    e.namespace,
    Math.round(e.weight * 10000) / 10000,
    e.origin,
    store.sealValue(edgeDetailRef(e), JSON.stringify(e.detail)),
    e.created_at,
  ];
}

/** True for a known edge kind. */
export function isEdgeKind(k: string): k is EdgeKind {
  return (EDGE_KINDS as readonly string[]).includes(k);
}

/**
 * Insert or refresh an edge. An automatic edge never overwrites a manual one: what a person
 * linked stays exactly as they set it.
 */
export function upsertEdge(store: Store, e: Edge): void {
  if (e.src === e.dst) return;
  store.prepare(
    `INSERT INTO memory_edges (${EDGE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ${UPSERT_TAIL}`,
  ).run(...edgeParams(store, e));
}

/**
 * {@link upsertEdge} for many edges, in that order, as multi-row statements (same result as
 * one upsert after the other; the write path of an import batch writes hundreds).
 */
export function upsertEdges(store: Store, edges: readonly Edge[]): void {
  const rows = edges.filter((e) => e.src !== e.dst);
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50);
    const values = chunk.flatMap((e) => edgeParams(store, e));
    store.prepare(
      `INSERT INTO memory_edges (${EDGE_COLS}) VALUES ${
        chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")
      }
       ${UPSERT_TAIL}`,
    ).run(...values);
  }
}

/** Remove the automatic edges touching `id` (optionally only some kinds); manual ones stay. */
export function deleteAutoEdges(store: Store, id: string, kinds?: readonly EdgeKind[]): number {
  const kindSql = kinds ? ` AND kind IN (${kinds.map(() => "?").join(",")})` : "";
  const res = store.prepare(
    `DELETE FROM memory_edges WHERE origin = 'auto' AND (src = ? OR dst = ?)${kindSql}`,
  ).run(id, id, ...(kinds ?? []));
  return Number(res.changes);
}

/** Remove the automatic temporal edge stored from `src` to `dst` (a chain being split). */
export function deleteAutoTemporalEdge(store: Store, src: string, dst: string): void {
  store.prepare(
    "DELETE FROM memory_edges WHERE src = ? AND dst = ? AND kind = 'temporal' AND origin = 'auto'",
  ).run(src, dst);
}

/** Remove every edge touching these ids (forget: the memories are gone). */
export function deleteEdgesTouching(store: Store, ids: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const marks = chunk.map(() => "?").join(",");
    const res = store.prepare(
      `DELETE FROM memory_edges WHERE src IN (${marks}) OR dst IN (${marks})`,
    ).run(...chunk, ...chunk);
    n += Number(res.changes);
  }
  return n;
}

/** Remove the edges between `a` and `b` in either direction (one kind or all). */
export function deleteEdgesBetween(store: Store, a: string, b: string, kind?: EdgeKind): number {
  const res = store.prepare(
    `DELETE FROM memory_edges WHERE ((src = ? AND dst = ?) OR (src = ? AND dst = ?))
     ${kind ? "AND kind = ?" : ""}`,
  ).run(a, b, b, a, ...(kind ? [kind] : []));
  return Number(res.changes);
}

/** Remove every automatic edge of a namespace (before a rebuild). */
export function deleteAutoEdgesIn(store: Store, namespace: string): number {
  const res = store.prepare("DELETE FROM memory_edges WHERE namespace = ? AND origin = 'auto'")
    .run(namespace);
  return Number(res.changes);
}

/** Edges touching any of `ids`, restricted to `kinds` when given. */
export function edgesTouching(
  store: Store,
  ids: readonly string[],
  kinds?: readonly EdgeKind[],
): Edge[] {
  if (ids.length === 0) return [];
  const out: Edge[] = [];
  const kindSql = kinds ? ` AND kind IN (${kinds.map(() => "?").join(",")})` : "";
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const marks = chunk.map(() => "?").join(",");
    const params: SQLInputValue[] = [...chunk, ...(kinds ?? []), ...chunk, ...(kinds ?? [])];
    const rows = store.prepare(
      `SELECT ${EDGE_COLS} FROM memory_edges WHERE src IN (${marks})${kindSql}
       UNION SELECT ${EDGE_COLS} FROM memory_edges WHERE dst IN (${marks})${kindSql}`,
    ).all(...params) as unknown as EdgeRow[];
    out.push(...rows.map((r) => toEdge(store, r)));
  }
  return out;
}

/** Edge counts per kind, for one namespace or all. */
export function edgeCounts(store: Store, namespace?: string): Record<EdgeKind, number> {
  const rows = store.prepare(
    `SELECT kind, count(*) AS n FROM memory_edges ${
      namespace === undefined ? "" : "WHERE namespace = ?"
    } GROUP BY kind`,
  ).all(...(namespace === undefined ? [] : [namespace])) as { kind: string; n: number }[];
  const out: Record<EdgeKind, number> = { temporal: 0, entity: 0, causal: 0, semantic: 0 };
  for (const r of rows) if (isEdgeKind(r.kind)) out[r.kind] = r.n;
  return out;
}
