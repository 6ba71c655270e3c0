/**
 * What graph expansion reads, kept while the database does not change (issue 21): the edges
 * touching each memory a walk went through (strongest first) and the filter fields of each
 * memory it reached. A "why" question whose walk passes a hub (the cause of a thousand others)
 * read all of the hub's edges and sorted them on every recall; now the first walk through it
 * does, and later ones merge the kept lists. A hop answers exactly what one SQL statement over
 * the frontier answered ({@link strongestEdgesTouching}: the same edges in the same order, ties
 * included), so recall's output does not change.
 *
 * Every process may write the store, and edge writes do not bump `meta.rev`: the cache is
 * keyed by {@link changeToken} (another connection's commit, or any row written through this
 * one), checked once per walk; inside a transaction nothing is read from or kept in it.
 */
import {
  changeToken,
  type EdgeKind,
  type EdgeLink,
  edgesOfNode,
  type MemoryNodeRow,
  memoryNodeRows,
  type Store,
  strongestEdgesTouching,
} from "../store/mod.ts";

/** Edges kept at most, over all memories (about 50 bytes each), then everything is dropped. */
const MAX_EDGES = 100_000;
/** Memories whose filter fields are kept at most (about 150 bytes each). */
const MAX_NODES = 20_000;

/** What one store's walks have read at one state of the database. */
interface Kept {
  token: string;
  edges: Map<string, EdgeLink[]>;
  edgeCount: number;
  /** One copy of each id the kept edges name (a hub's id is in all of its edges). */
  ids: Map<string, string>;
  nodes: Map<string, MemoryNodeRow | null>;
}

const kept = new WeakMap<Store, Kept>();

/** The look-ups of one walk (lib/graph/expand.ts). */
export interface WalkReads {
  /** The strongest `max` edges of `kinds` touching the first 400 of `ids`, strongest first. */
  edges(ids: readonly string[], kinds: readonly EdgeKind[], max: number): EdgeLink[];
  /** The filter fields of the memories with these ids (unknown ids absent). */
  nodes(ids: readonly string[]): MemoryNodeRow[];
}

/**
 * The reads of one walk on `store`: from what was kept when the database has not changed
 * since, else from SQL (and kept for the next walk). Inside a transaction: SQL only.
 */
export function walkReads(store: Store): WalkReads {
  const token = changeToken(store);
  if (token === null) {
    return {
      edges: (ids, kinds, max) => strongestEdgesTouching(store, ids, kinds, max),
      nodes: (ids) => memoryNodeRows(store, ids),
    };
  }
  let k = kept.get(store);
  if (!k || k.token !== token) {
    k = { token, edges: new Map(), edgeCount: 0, ids: new Map(), nodes: new Map() };
    kept.set(store, k);
  }
  const state = k;
  return {
    edges: (ids, kinds, max) =>
      mergeStrongest(ids.slice(0, 400).map((id) => edgesOf(store, state, id)), kinds, max),
    nodes: (ids) => nodesOf(store, state, ids),
  };
}

function edgesOf(store: Store, k: Kept, id: string): EdgeLink[] {
  let list = k.edges.get(id);
  if (list) return list;
  const one = (s: string) => {
    let v = k.ids.get(s);
    if (v === undefined) k.ids.set(s, v = s);
    return v;
  };
  // Plain objects with shared id strings: a fraction of the rows' size, and quicker to read.
  list = edgesOfNode(store, id).map((e) => ({
    src: one(e.src),
    dst: one(e.dst),
    kind: e.kind,
    weight: e.weight,
  }));
  if (k.edgeCount + list.length > MAX_EDGES) {
    k.edges.clear();
    k.ids.clear();
    k.edgeCount = 0;
  }
  k.edges.set(id, list);
  k.edgeCount += list.length;
  return list;
}

function nodesOf(store: Store, k: Kept, ids: readonly string[]): MemoryNodeRow[] {
  const missing = ids.filter((id) => !k.nodes.has(id));
  if (missing.length > 0) {
    if (k.nodes.size + missing.length > MAX_NODES) k.nodes.clear();
    for (const id of missing) k.nodes.set(id, null);
    for (const r of memoryNodeRows(store, missing)) k.nodes.set(r.id, { ...r });
  }
  const out: MemoryNodeRow[] = [];
  for (const id of new Set(ids)) {
    const r = k.nodes.get(id);
    if (r) out.push(r);
  }
  return out;
}

/**
 * SQLite's BINARY order of two strings (their UTF-8 bytes), which is code point order: UTF-16
 * code units agree with it except that a surrogate (a code point past U+FFFF) sorts after
 * U+E000..U+FFFF.
 */
export function binaryCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 || y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x >= 0xd800 ? x + 0x2000 : x;
      y = y >= 0xe000 ? y - 0x800 : y >= 0xd800 ? y + 0x2000 : y;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** A hop's order: weight descending, then `src`, `dst`, `kind` ({@link edgesOfNode}). */
export function edgeOrder(a: EdgeLink, b: EdgeLink): number {
  return b.weight - a.weight || binaryCompare(a.src, b.src) || binaryCompare(a.dst, b.dst) ||
    binaryCompare(a.kind, b.kind);
}

/**
 * The first `max` edges of `kinds` in {@link edgeOrder} over lists each already in that order,
 * an edge in several lists (both its ends in the frontier) once: what the UNION of
 * {@link strongestEdgesTouching} returns.
 */
export function mergeStrongest(
  lists: readonly EdgeLink[][],
  kinds: readonly EdgeKind[],
  max: number,
): EdgeLink[] {
  const want = new Set<string>(kinds);
  const ls = lists.filter((l) => l.length > 0);
  const at = ls.map(() => 0);
  const head = (i: number): EdgeLink | undefined => {
    const l = ls[i];
    while (at[i] < l.length && !want.has(l[at[i]].kind)) at[i]++;
    return l[at[i]];
  };
  const out: EdgeLink[] = [];
  while (out.length < max) {
    let best: EdgeLink | undefined;
    for (let i = 0; i < ls.length; i++) {
      const e = head(i);
      if (e && (!best || edgeOrder(e, best) < 0)) best = e;
    }
    if (!best) break;
    out.push(best);
    // The same edge heads every other list it is in: step past it there too.
    for (let i = 0; i < ls.length; i++) {
      const e = head(i);
      if (e && edgeOrder(e, best) === 0) at[i]++;
    }
  }
  return out;
}
