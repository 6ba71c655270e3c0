/**
 * Beam search from recall's seeds along the edge kinds an intent favours. Small fixed budgets
 * (a few dozen nodes) keep it a fraction of a recall's cost. Edges are walked as undirected;
 * a plan may prefer one direction (WHY prefers causes: edges pointing *into* the seed).
 */
import type { Store } from "../store/mod.ts";
import type { GraphExpander } from "../recall/mod.ts";
import { type EdgeKind, edgesTouching } from "./edges.ts";

/** How to expand. */
export interface BeamPlan {
  /** Multiplier per edge kind; kinds absent or 0 are not followed. */
  kinds: Partial<Record<EdgeKind, number>>;
  depth: number;
  /** Nodes kept per depth. */
  beam: number;
  /** Nodes reached in total, at most. */
  budget: number;
  /**
   * "backward": prefer walking from an edge's dst to its src (to causes, to earlier memories);
   * "forward" the opposite; the other direction is still walked, at half weight.
   */
  direction?: "backward" | "forward" | "any";
}

/** One hop taken. */
export interface PathStep {
  from: string;
  to: string;
  kind: EdgeKind;
  weight: number;
}

/** A memory reached from a seed. */
export interface Reached {
  id: string;
  pk: number;
  score: number;
  seed: string;
  path: PathStep[];
}

/** The fields expansion filters on. */
export interface NodeInfo {
  id: string;
  pk: number;
  namespace: string;
  status: string;
  archived: boolean;
  created_at: string;
}

/** Per-hop decay: two hops away is weaker evidence than one. */
const HOP_DECAY = 0.7;
const OTHER_DIRECTION = 0.5;

/** Look up the filter fields of memories by id. */
export function nodeInfo(store: Store, ids: readonly string[]): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const rows = store.prepare(
      `SELECT id, pk, namespace, status, archived, created_at FROM memories WHERE id IN (${
        chunk.map(() => "?").join(",")
      })`,
    ).all(...chunk) as {
      id: string;
      pk: number;
      namespace: string;
      status: string;
      archived: number;
      created_at: string;
    }[];
    for (const r of rows) out.set(r.id, { ...r, archived: r.archived === 1 });
  }
  return out;
}

/**
 * Expand from `seeds` (score 0..1 each). `accept` decides which memories may be reached
 * (namespace, status and archive filters of the recall); refused ones are not walked through
 * either, so an archived memory never bridges two live ones.
 *
 * @example
 * ```ts
 * const reached = beamExpand(store, [{ id, score: 1 }], {
 *   kinds: { causal: 1, entity: 0.4 }, depth: 2, beam: 6, budget: 30, direction: "backward",
 * }, (n) => !n.archived);
 * ```
 */
export function beamExpand(
  store: Store,
  seeds: readonly { id: string; score: number }[],
  plan: BeamPlan,
  accept: (n: NodeInfo) => boolean,
): Reached[] {
  const kinds = (Object.entries(plan.kinds) as [EdgeKind, number][]).filter(([, w]) => w > 0);
  if (kinds.length === 0 || seeds.length === 0) return [];
  const kindWeight = new Map(kinds);
  const best = new Map<string, Reached>();
  const seedIds = new Set(seeds.map((s) => s.id));
  let frontier: { id: string; score: number; seed: string; path: PathStep[] }[] = seeds.map((
    s,
  ) => ({ id: s.id, score: s.score, seed: s.id, path: [] }));
  for (let depth = 1; depth <= plan.depth && frontier.length > 0; depth++) {
    const byId = new Map(frontier.map((f) => [f.id, f]));
    const edges = edgesTouching(store, [...byId.keys()], kinds.map(([k]) => k));
    const proposals = new Map<string, Reached>();
    for (const e of edges) {
      for (const [from, to, forward] of [[e.src, e.dst, true], [e.dst, e.src, false]] as const) {
        const parent = byId.get(from);
        if (!parent || seedIds.has(to) || parent.path.some((p) => p.from === to)) continue;
        const preferred = !plan.direction || plan.direction === "any" ||
          (plan.direction === "forward") === forward;
        const score = parent.score * kindWeight.get(e.kind)! * e.weight * HOP_DECAY ** (depth - 1) *
          (preferred ? 1 : OTHER_DIRECTION);
        const prev = proposals.get(to);
        if (!prev || score > prev.score) {
          proposals.set(to, {
            id: to,
            pk: 0,
            score,
            seed: parent.seed,
            path: [...parent.path, { from, to, kind: e.kind, weight: e.weight }],
          });
        }
      }
    }
    const info = nodeInfo(store, [...proposals.keys()]);
    const next: Reached[] = [];
    for (const p of proposals.values()) {
      const n = info.get(p.id);
      if (!n || !accept(n)) continue;
      p.pk = n.pk;
      const known = best.get(p.id);
      if (known && known.score >= p.score) continue;
      best.set(p.id, p);
      next.push(p);
    }
    next.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    frontier = next.slice(0, plan.beam);
    if (best.size >= plan.budget) break;
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, plan.budget);
}

/** The graph as recall consumes it (lib/recall's `GraphExpander`). */
export function graphExpander(store: Store): GraphExpander {
  return { expand: (seeds, plan, accept) => beamExpand(store, seeds, plan, accept) };
}
