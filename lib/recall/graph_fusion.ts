/**
 * Intent-aware graph expansion for recall: which edge kinds each intent follows, and the
 * reciprocal rank fusion of the hybrid list with the list of memories the graph reached.
 * The graph itself (storage, beam search) lives in lib/graph; recall sees it through
 * {@link GraphExpander}, so this folder does not depend on it.
 */
import type { Status } from "../store/mod.ts";
import type { RecallDeps, RecallHit, RecallOutcome, RecallParams } from "./engine.ts";
import { type Scored, STATUS_FACTOR } from "./fusion.ts";
import type { IntentKind, QueryIntent } from "./intent.ts";

/** Edge kinds, as lib/graph names them. */
export type GraphEdgeKind = "temporal" | "entity" | "causal" | "semantic";

/** An expansion plan for one intent. */
export interface ExpansionPlan {
  kinds: Partial<Record<GraphEdgeKind, number>>;
  depth: number;
  beam: number;
  budget: number;
  direction: "backward" | "forward" | "any";
  /** Seeds taken from the top of the hybrid list. */
  seeds: number;
  /** Weight of the graph list in the rank fusion (the hybrid list weighs 1). */
  weight: number;
}

/** A memory the expander reached. */
export interface GraphReach {
  id: string;
  pk: number;
  score: number;
  seed: string;
  path: { from: string; to: string; kind: GraphEdgeKind; weight: number }[];
}

/** What the filter of a recall needs to accept a reached memory. */
export interface GraphNode {
  id: string;
  pk: number;
  namespace: string;
  status: string;
  archived: boolean;
}

/** The graph as recall uses it. */
export interface GraphExpander {
  expand(
    seeds: { id: string; score: number }[],
    plan: ExpansionPlan,
    accept: (n: GraphNode) => boolean,
  ): GraphReach[];
}

/**
 * Per intent: WHY follows causes then shared entities; WHEN the session's order in time;
 * ENTITY shared entities. GENERAL does not expand: on the eval corpus every general expansion
 * tried (semantic, entity) cost more top-5 hits than it found (docs/benchmarks.md).
 */
const PLANS: Record<IntentKind, Omit<ExpansionPlan, "direction">> = {
  why: {
    kinds: { causal: 1, entity: 0.4, temporal: 0.3 },
    depth: 2,
    beam: 6,
    budget: 24,
    seeds: 4,
    weight: 0.84,
  },
  when: {
    kinds: { temporal: 1, causal: 0.4, entity: 0.3 },
    depth: 2,
    beam: 6,
    budget: 24,
    seeds: 4,
    weight: 0.84,
  },
  entity: {
    kinds: { entity: 1, semantic: 0.3 },
    depth: 1,
    beam: 10,
    budget: 24,
    seeds: 3,
    weight: 0.84,
  },
  general: { kinds: {}, depth: 0, beam: 0, budget: 0, seeds: 0, weight: 0 },
};

/** The plan for an intent. */
export function planFor(intent: QueryIntent): ExpansionPlan {
  return { ...PLANS[intent.kind], direction: intent.direction };
}

/**
 * Rank constant of the fusion. Lower than the usual 60: with two lists, k = 60 makes any graph
 * link outweigh the whole head of the hybrid order; at 20 the hybrid rank still decides among
 * its first few and a link lifts a memory from the tail into the top 10.
 */
export const RRF_K = 20;

/** One entry of the fused list. */
export interface Fused<T> {
  item: T;
  fused: number;
  hybridRank: number | null;
  graphRank: number | null;
}

/**
 * Reciprocal rank fusion of the hybrid list (weight 1) and the graph list (`weight`). Items are
 * matched by `key`; ties keep the hybrid order. Pure, for table tests.
 *
 * @example
 * ```ts
 * rrf(["a", "b"], ["c", "b"], 0.8, (x) => x).map((f) => f.item); // ["b", "a", "c"]
 * ```
 */
export function rrf<T>(hybrid: T[], graph: T[], weight: number, key: (x: T) => string): Fused<T>[] {
  const out = new Map<string, Fused<T>>();
  hybrid.forEach((item, i) => {
    out.set(key(item), { item, fused: 1 / (RRF_K + i + 1), hybridRank: i + 1, graphRank: null });
  });
  graph.forEach((item, i) => {
    const k = key(item);
    const cur = out.get(k) ?? { item, fused: 0, hybridRank: null, graphRank: null };
    cur.fused += weight / (RRF_K + i + 1);
    cur.graphRank = i + 1;
    out.set(k, cur);
  });
  return [...out.values()].sort((a, b) =>
    b.fused - a.fused || (a.hybridRank ?? Infinity) - (b.hybridRank ?? Infinity)
  );
}

/**
 * Keep each reached memory below the seed it was reached from: a link is evidence relative to
 * the memory it starts at, never stronger than it. Stable otherwise.
 */
export function seedsFirst<T>(
  order: T[],
  id: (x: T) => string,
  seedOf: (x: T) => string | null,
): T[] {
  const out = [...order];
  for (let i = 0; i < out.length; i++) {
    const seed = seedOf(out[i]);
    if (seed === null) continue;
    const at = out.findIndex((x) => id(x) === seed);
    if (at > i) {
      const [moved] = out.splice(i, 1);
      out.splice(at, 0, moved);
      i--;
    }
  }
  return out;
}

/**
 * Scores for a fused order that stay on the hybrid scale and never increase down the list: an
 * item gets the best score of anything it now ranks above (a memory the graph lifted past
 * another is as good an answer as the one it passed).
 */
export function liftScores(scores: number[]): number[] {
  const out = [...scores];
  for (let i = out.length - 2; i >= 0; i--) out[i] = Math.max(out[i], out[i + 1]);
  return out;
}

/** The explain record of a graph-touched hit. */
export interface GraphHitInfo {
  seed: string;
  score: number;
  hybrid_rank: number | null;
  graph_rank: number | null;
  path: GraphReach["path"];
}

/** How many hybrid candidates take part in the fusion (the rest keep their order below). */
const FUSION_DEPTH = 50;

/**
 * Expand from the head of the hybrid list along the edges the query's intent favours, fuse the
 * reached memories into the hybrid list by reciprocal rank, and return the fused order with
 * scores lifted to stay monotone.
 */
export function expandWithGraph(
  deps: RecallDeps,
  p: RecallParams,
  scored: (Scored & { hit: RecallHit })[],
  intent: QueryIntent,
  allow: Set<number> | undefined,
  out: RecallOutcome,
): (Scored & { hit: RecallHit })[] {
  const plan = planFor(intent);
  if (scored.length === 0 || plan.weight <= 0) return scored;
  const seeds = scored.slice(0, plan.seeds).map((s) => ({ id: s.record.id, score: s.score }));
  const reached = deps.graph!.expand(
    seeds,
    plan,
    (n) =>
      n.namespace === p.filter.namespace && (!allow || allow.has(n.pk)) &&
      (!p.filter.statuses?.length || p.filter.statuses.includes(n.status as Status)) &&
      (p.filter.archived === "include" || (p.filter.archived === "only") === n.archived),
  );
  const byId = new Map(scored.map((s) => [s.record.id, s]));
  const fresh = deps.store.getMany(reached.filter((r) => !byId.has(r.id)).map((r) => r.pk));
  const reach = new Map(reached.map((r) => [r.id, r]));
  for (const { pk, record } of fresh) {
    const r = reach.get(record.id)!;
    const score = r.score * STATUS_FACTOR[record.status];
    const zero = { vector: 0, fts: 0, exact: 0, recency: 0 };
    byId.set(record.id, {
      pk,
      record,
      score,
      hit: {
        record,
        score,
        channels: zero,
        raw: { vector: null, fts: null, exact: null },
        provenance: [],
      },
    });
  }
  const head = scored.slice(0, FUSION_DEPTH);
  const graphList = reached.filter((r) => byId.has(r.id)).map((r) => byId.get(r.id)!);
  const fused = rrf(head, graphList, plan.weight, (s) => s.record.id);
  const order = seedsFirst(
    [
      ...fused.map((f) => f.item),
      ...scored.slice(FUSION_DEPTH).filter((s) => !reach.has(s.record.id)),
    ],
    (s) => s.record.id,
    (s) => reach.get(s.record.id)?.seed ?? null,
  );
  const lifted = liftScores(order.map((s) => s.score));
  const added: string[] = [];
  fused.forEach((f) => {
    const r = reach.get(f.item.record.id);
    if (!r) return;
    if (f.hybridRank === null) added.push(r.id);
    f.item.hit.graph = {
      seed: r.seed,
      score: Math.round(r.score * 10000) / 10000,
      hybrid_rank: f.hybridRank,
      graph_rank: f.graphRank,
      path: r.path,
    };
    f.item.hit.provenance.push(`graph:${r.path[r.path.length - 1].kind}`);
  });
  out.expansion = { plan, seeds: seeds.map((s) => s.id), reached: reached.length, added };
  return order.map((s, i) => {
    s.score = lifted[i];
    s.hit.score = lifted[i];
    return s;
  });
}
