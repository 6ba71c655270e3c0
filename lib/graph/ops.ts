/**
 * Graph operations every surface shares: show a memory's neighbourhood, link and unlink by
 * hand, rebuild a namespace's automatic edges. Callers resolve namespaces and permissions;
 * these functions check only that ids exist and share a namespace.
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  memoryIdsOldestFirst,
  memoryNamespaces,
  type Store,
  type StoredMemory,
} from "../store/mod.ts";
import {
  deleteAutoEdgesIn,
  deleteEdgesBetween,
  EDGE_KINDS,
  edgeCounts,
  type EdgeKind,
  type EdgeOrigin,
  edgesTouching,
  isEdgeKind,
  upsertEdge,
} from "../store/mod.ts";
import { otherEnd } from "./edges.ts";
import { emptyTally, linkMemories, type LinkOptions } from "./build.ts";

/** One edge as `graph show` and `GET /v1/memories/:id/graph` return it. */
export interface GraphEdgeView {
  kind: EdgeKind;
  from: string;
  to: string;
  weight: number;
  origin: EdgeOrigin;
  detail: Record<string, unknown>;
  neighbour: {
    id: string;
    content: string;
    namespace: string;
    status: string;
    category: string | null;
    created_at: string;
    archived: boolean;
  };
}

/** A memory's neighbourhood. */
export interface GraphView {
  id: string;
  edges: GraphEdgeView[];
}

/** Parse a `--kind` / `kind` value; a clear INVALID_INPUT otherwise. */
export function parseEdgeKind(kind: string, path: string[] = ["kind"]): EdgeKind {
  if (!isEdgeKind(kind)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown edge kind '${kind}': use ${EDGE_KINDS.join(", ")}`,
      path,
    );
  }
  return kind;
}

function requireIn(store: Store, id: string, namespace?: string): StoredMemory {
  const m = store.getById(id);
  if (!m || (namespace !== undefined && m.record.namespace !== namespace)) {
    throw new MemoryossError("NOT_FOUND", `no memory with id ${id}`, ["id"]);
  }
  return m;
}

/**
 * Edges around `id`, breadth first to `depth` (1–3). Archived neighbours are shown (flagged):
 * this is an inspection view; recall's expansion is what skips them.
 */
export function showGraph(
  store: Store,
  id: string,
  opts: { namespace?: string; kinds?: EdgeKind[]; depth?: number } = {},
): GraphView {
  const root = requireIn(store, id, opts.namespace);
  const depth = Math.min(Math.max(opts.depth ?? 1, 1), 3);
  const seen = new Set([root.record.id]);
  const edgeSeen = new Set<string>();
  const out: GraphEdgeView[] = [];
  let frontier = [root.record.id];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: string[] = [];
    const edges = edgesTouching(store, frontier, opts.kinds);
    const ids = edges.flatMap((e) => [e.src, e.dst]);
    const records = new Map<string, StoredMemory>();
    for (const m of ids.filter((x) => !records.has(x)).map((x) => store.getById(x))) {
      if (m) records.set(m.record.id, m);
    }
    for (const e of edges) {
      const key = `${e.src}|${e.dst}|${e.kind}`;
      if (edgeSeen.has(key)) continue;
      edgeSeen.add(key);
      const near = frontier.includes(e.src) ? e.src : e.dst;
      const far = records.get(otherEnd(e, near));
      if (!far || far.record.namespace !== root.record.namespace) continue;
      const r = far.record;
      out.push({
        kind: e.kind,
        from: e.src,
        to: e.dst,
        weight: e.weight,
        origin: e.origin,
        detail: e.detail,
        neighbour: {
          id: r.id,
          content: r.content,
          namespace: r.namespace,
          status: r.status,
          category: r.category,
          created_at: r.created_at,
          archived: r.archived,
        },
      });
      if (!seen.has(r.id)) {
        seen.add(r.id);
        next.push(r.id);
      }
    }
    frontier = next;
  }
  out.sort((a, b) => b.weight - a.weight || a.kind.localeCompare(b.kind));
  return { id: root.record.id, edges: out };
}

/** Link two memories of one namespace by hand (origin `manual`, never replaced by rebuilds). */
export function linkByHand(
  store: Store,
  input: { from: string; to: string; kind: EdgeKind; weight?: number; namespace?: string },
  now: string,
) {
  if (input.from === input.to) {
    throw new MemoryossError("INVALID_INPUT", "cannot link a memory to itself", ["to"]);
  }
  const weight = input.weight ?? 1;
  if (!(weight > 0 && weight <= 1)) {
    throw new MemoryossError("INVALID_INPUT", "weight must be in (0, 1]", ["weight"]);
  }
  return store.transaction(() => {
    const a = requireIn(store, input.from, input.namespace);
    const b = requireIn(store, input.to, input.namespace ?? a.record.namespace);
    upsertEdge(store, {
      src: a.record.id,
      dst: b.record.id,
      kind: input.kind,
      namespace: a.record.namespace,
      weight,
      origin: "manual",
      detail: {},
      created_at: now,
    });
    return {
      from: a.record.id,
      to: b.record.id,
      kind: input.kind,
      weight,
      origin: "manual" as const,
      namespace: a.record.namespace,
    };
  });
}

/** Remove the edges between two memories (one kind or all); NOT_FOUND when there were none. */
export function unlink(
  store: Store,
  input: { from: string; to: string; kind?: EdgeKind; namespace?: string },
) {
  return store.transaction(() => {
    const a = requireIn(store, input.from, input.namespace);
    const b = requireIn(store, input.to, input.namespace ?? a.record.namespace);
    const removed = deleteEdgesBetween(store, a.record.id, b.record.id, input.kind);
    if (removed === 0) {
      throw new MemoryossError(
        "NOT_FOUND",
        `no ${input.kind ?? ""}${
          input.kind ? " " : ""
        }edge between ${a.record.id} and ${b.record.id}`,
      );
    }
    return { from: a.record.id, to: b.record.id, kind: input.kind ?? null, removed };
  });
}

/** What a rebuild did (or, dry run, would do). */
export interface RebuildReport {
  dry_run: boolean;
  /** Per namespace: memories, automatic edges replaced, and the edges stored afterwards. */
  namespaces: {
    namespace: string;
    memories: number;
    removed: number;
    edges: Record<EdgeKind, number>;
  }[];
}

class DryRunRollback extends Error {}

/**
 * Recompute every automatic edge (manual ones stay) of one namespace or all, one transaction
 * per namespace, oldest memory first. Archived memories keep their edges; recall skips them.
 */
export function rebuildGraph(
  store: Store,
  opts: LinkOptions & {
    namespace?: string;
    dryRun?: boolean;
    onProgress?: (done: number, total: number) => void;
  } = {},
): RebuildReport {
  const namespaces = opts.namespace !== undefined ? [opts.namespace] : memoryNamespaces(store);
  const ids = new Map(namespaces.map((ns) => [ns, memoryIdsOldestFirst(store, ns)]));
  const total = [...ids.values()].reduce((n, l) => n + l.length, 0);
  let done = 0;
  const report: RebuildReport = { dry_run: Boolean(opts.dryRun), namespaces: [] };
  for (const ns of namespaces) {
    const list = ids.get(ns)!;
    const entry = { namespace: ns, memories: list.length, removed: 0, edges: emptyTally() };
    try {
      store.transaction(() => {
        entry.removed = deleteAutoEdgesIn(store, ns);
        for (let i = 0; i < list.length; i += 50) {
          linkMemories(store, list.slice(i, i + 50), { ...opts, fresh: true });
          done += Math.min(50, list.length - i);
          opts.onProgress?.(done, total);
        }
        // Count stored edges, not upserts: both ends of a pair propose the same edge.
        entry.edges = edgeCounts(store, ns);
        if (opts.dryRun) throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
    report.namespaces.push(entry);
  }
  return report;
}
