/**
 * Beam search from recall's seeds along the edge kinds an intent favours. Small fixed budgets
 * (a few dozen nodes) keep it a fraction of a recall's cost. Edges are walked as undirected;
 * a plan may prefer one direction (WHY prefers causes: edges pointing *into* the seed).
 */
import type { EdgeLink, Store } from "../store/mod.ts";
import type { GraphExpander } from "../recall/mod.ts";
import type { EdgeKind } from "../store/mod.ts";
import { type WalkReads, walkReads } from "./walk_cache.ts";

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
  /** Edges read per hop, at most (strongest first); default {@link EDGE_BUDGET}. */
  edgeBudget?: number;
  /** Stop expanding after this many milliseconds (what was reached so far is kept). */
  timeBudgetMs?: number;
}

/** Default edge budget per hop: a hub memory (a common entity) cannot make a hop expensive. */
export const EDGE_BUDGET = 600;
/**
 * Default time budget of one expansion: far above what the edge budget allows on a quiet
 * machine (about a millisecond a hop), so it only cuts a pathological walk, and a loaded
 * machine does not make results depend on timing.
 */
export const TIME_BUDGET_MS = 200;

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
export function nodeInfo(
  store: Store,
  ids: readonly string[],
  reads: WalkReads = walkReads(store),
): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  for (const r of reads.nodes(ids)) out.set(r.id, { ...r, archived: r.archived === 1 });
  return out;
}

/** The best way found so far to a memory in one hop; its path is built only if it is kept. */
interface Proposal {
  id: string;
  score: number;
  parent: { score: number; seed: string; path: PathStep[] };
  from: string;
  edge: EdgeLink;
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
  const deadline = performance.now() + (plan.timeBudgetMs ?? TIME_BUDGET_MS);
  const reads = walkReads(store);
  const best = new Map<string, Reached>();
  const seedIds = new Set(seeds.map((s) => s.id));
  let frontier: { id: string; score: number; seed: string; path: PathStep[] }[] = seeds.map((
    s,
  ) => ({ id: s.id, score: s.score, seed: s.id, path: [] }));
  for (let depth = 1; depth <= plan.depth && frontier.length > 0; depth++) {
    const byId = new Map(frontier.map((f) => [f.id, f]));
    const edges = edgeLinks(
      store,
      [...byId.keys()],
      kinds.map(([k]) => k),
      plan.edgeBudget ?? EDGE_BUDGET,
      reads,
    );
    const proposals = new Map<string, Proposal>();
    for (const e of edges) {
      for (let side = 0; side < 2; side++) {
        const [from, to, forward] = side === 0 ? [e.src, e.dst, true] : [e.dst, e.src, false];
        const parent = byId.get(from);
        if (!parent || seedIds.has(to) || parent.path.some((p) => p.from === to)) continue;
        const preferred = !plan.direction || plan.direction === "any" ||
          (plan.direction === "forward") === forward;
        const score = parent.score * kindWeight.get(e.kind)! * e.weight * HOP_DECAY ** (depth - 1) *
          (preferred ? 1 : OTHER_DIRECTION);
        const prev = proposals.get(to);
        if (!prev || score > prev.score) {
          proposals.set(to, { id: to, score, parent, from, edge: e });
        }
      }
    }
    // Only the strongest proposals can enter the beam or the budget: look up just those.
    const ranked: Reached[] = [...proposals.values()].sort(byScore)
      .slice(0, 2 * (plan.beam + plan.budget))
      .map(({ id, score, parent, from, edge }) => ({
        id,
        pk: 0,
        score,
        seed: parent.seed,
        path: [...parent.path, { from, to: id, kind: edge.kind, weight: edge.weight }],
      }));
    const info = nodeInfo(store, ranked.map((p) => p.id), reads);
    const next: Reached[] = [];
    for (const p of ranked) {
      const n = info.get(p.id);
      if (!n || !accept(n)) continue;
      p.pk = n.pk;
      const known = best.get(p.id);
      if (known && known.score >= p.score) continue;
      best.set(p.id, p);
      next.push(p);
    }
    next.sort(byScore);
    frontier = next.slice(0, plan.beam);
    if (best.size >= plan.budget || performance.now() > deadline) break;
  }
  return [...best.values()].sort(byScore).slice(0, plan.budget);
}

const byScore = (a: { id: string; score: number }, b: { id: string; score: number }) =>
  b.score - a.score || (a.id < b.id ? -1 : 1);

/**
 * The strongest `max` edges of `kinds` touching `ids`: what one SQL statement over them
 * returns, from the edges kept since the database last changed where it can (walk_cache.ts).
 */
export function edgeLinks(
  store: Store,
  ids: readonly string[],
  kinds: readonly EdgeKind[],
  max: number,
  reads: WalkReads = walkReads(store),
): EdgeLink[] {
  if (ids.length === 0 || kinds.length === 0 || max <= 0) return [];
  return reads.edges(ids, kinds, max);
}

/** The graph as recall consumes it (lib/recall's `GraphExpander`). */
export function graphExpander(store: Store): GraphExpander {
  return { expand: (seeds, plan, accept) => beamExpand(store, seeds, plan, accept) };
}
