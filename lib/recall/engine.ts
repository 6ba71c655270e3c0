/**
 * Hybrid recall: vector, bm25 and exact-identifier channels, each restricted to the caller's
 * namespace and filters before top-k, fused with recency and status factors. For turns of
 * dialogue: episode windows (episode.ts), speakers (speaker.ts) and their conversations
 * (scope.ts), the conversation focus (focus.ts), then the entity hop and time steps
 * (converse.ts) and neighbour expansion.
 */
import type { MemoryFilter, MemoryRecord, Store } from "../store/mod.ts";
import type { TermStats } from "./term_stats.ts";
import type { QueryIntent } from "./intent.ts";
import {
  expandWithGraph,
  type ExpansionPlan,
  type GraphExpander,
  type GraphHitInfo,
} from "./graph_fusion.ts";
import type { Identifier } from "./identifiers.ts";
import type { EpisodeWeights } from "./episode.ts";
import type { VectorIndex } from "./vector_index.ts";
import { ANCHOR_WEIGHTS, type AnchorWeights } from "./anchor.ts";
import { converse } from "./converse.ts";
import { episodeFns, focusView, outside, tidyTurns } from "./engine_items.ts";
import type { RedundancyWeights } from "./redundancy.ts";
import type { BridgeWeights } from "./bridge.ts";
import { applyFocus, chooseFocus, type FocusWeights, spokenConvs } from "./focus.ts";
import { COOCCUR_WEIGHTS, type CooccurWeights } from "./cooccur.ts";
import type { SpeakerWeights } from "./speaker.ts";
import { formatWindow, type TimeWeights, type TimeWindow } from "./time.ts";
import { type ChannelScores, compareScored, diversify, type Weights } from "./fusion.ts";
import {
  planRecall,
  type RecallChannels,
  type RecallPlan,
  searchChannels,
} from "./engine_channels.ts";
import {
  admitFor,
  type Candidates,
  readCandidates,
  scoreCandidates,
  type ScoredHit,
} from "./engine_score.ts";

export { MISSING_LITERAL } from "./engine_score.ts";

/** What the engine needs to embed a query. */
export interface QueryEmbedder {
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Everything recall reads; passed in so tests can use real temp stores and a fake clock. */
export interface RecallDeps {
  store: Store;
  index: VectorIndex;
  embedder: QueryEmbedder;
  /** Term statistics for pruning very common query terms on large stores. */
  stats?: TermStats;
  now?: () => Date;
  /** The memory graph; without it (or with `graph: false`) recall is plain hybrid. */
  graph?: GraphExpander;
}

/** A recall request after validation. */
export interface RecallParams {
  query: string;
  filter: MemoryFilter;
  limit: number;
  weights: Weights;
  min_channel_score: number;
  diversity_factor: number;
  /**
   * Which channels run; bm25-only is the benchmark baseline. `context` (episode windows and
   * neighbour expansion) runs by default when both vector and bm25 do.
   */
  channels?: {
    vector?: boolean;
    fts?: boolean;
    exact?: boolean;
    context?: boolean;
    /** The time channel (time.ts); by default with vector and bm25, like `context`. */
    time?: boolean;
  };
  /** Episode channel weights (default {@link EPISODE_WEIGHTS}). */
  episode?: EpisodeWeights;
  /** Time channel weights (default {@link TIME_WEIGHTS}). */
  time?: TimeWeights;
  /** Speaker channel weights (default {@link SPEAKER_WEIGHTS}; runs with `context`). */
  speaker?: SpeakerWeights;
  /** Entity hop weights (default {@link COOCCUR_WEIGHTS}; runs with `context`). */
  cooccur?: CooccurWeights;
  /** "Before/after X" weights (default {@link ANCHOR_WEIGHTS}; runs with `time`). */
  anchor?: AnchorWeights;
  /** Conversation focus weights (default {@link FOCUS_WEIGHTS}; runs with `context`). */
  focus?: FocusWeights;
  /** Repeated turns (default `REDUNDANCY_WEIGHTS`, redundancy.ts; runs with `context`). */
  redundancy?: RedundancyWeights;
  /** Word bridges (default `BRIDGE_WEIGHTS`, bridge.ts; runs with `context`). */
  bridge?: BridgeWeights;
  query_embedding?: Float32Array;
  /** Expand along the memory graph (default true when `deps.graph` is given). */
  graph?: boolean;
}

/** One result with its explanation. */
export interface RecallHit {
  record: MemoryRecord;
  score: number;
  channels: ChannelScores;
  /** Raw channel values before normalization (cosine, bm25, exact, window bm25 and cosine). */
  raw: {
    vector: number | null;
    fts: number | null;
    exact: number | null;
    context?: number | null;
    context_vector?: number | null;
  };
  provenance: string[];
  /** Set when the graph reached or lifted this memory. */
  graph?: GraphHitInfo;
}

/** The result of {@link recallHybrid}. */
export interface RecallOutcome {
  hits: RecallHit[];
  identifiers: Identifier[];
  candidates: number;
  intent: QueryIntent;
  /** The time windows the query names (`YYYY-MM-DD..YYYY-MM-DD`; absent when none). */
  time?: { text: string; window: string }[];
  /** Speakers the query names (speaker.ts; absent when none). */
  speakers?: string[];
  /** Names of the best hits searched again (cooccur.ts; absent when none). */
  entities?: string[];
  /** What graph expansion did (absent when it did not run). */
  expansion?: { plan: ExpansionPlan; seeds: string[]; reached: number; added: string[] };
}

/**
 * Run hybrid recall: plan the request, run the channels, score the candidates they found,
 * re-rank turns of dialogue, then expand along the graph and diversify.
 */
export async function recallHybrid(deps: RecallDeps, p: RecallParams): Promise<RecallOutcome> {
  deps.stats?.begin();
  const plan = planRecall(deps, p);
  const chans = await searchChannels(deps, p, plan);
  const cands = await readCandidates(deps, p, plan, chans);
  const admit = admitFor(p, plan.allow);
  const scored = scoreCandidates(p, plan, chans, cands, admit);
  scored.sort(compareScored);
  const { ranked, anchor, entities } = rerank(deps, p, plan, chans, cands, scored, admit);
  const out = outcome(plan, cands, ranked.length, anchor, entities);
  const final = deps.graph && p.graph !== false
    ? expandWithGraph(deps, p, ranked, cands.queryIntent, plan.allow, out)
    : ranked;
  out.hits = diversify(final, p.limit, p.diversity_factor).map((s) => s.hit);
  return out;
}

/**
 * Turns of dialogue: the question's own conversation when several lead (focus.ts), the entity
 * hop, "before/after X" and "when…?" (converse.ts), then repeated turns tidied (engine_items.ts).
 */
function rerank(
  deps: RecallDeps,
  p: RecallParams,
  plan: RecallPlan,
  c: RecallChannels,
  d: Candidates,
  sorted: ScoredHit[],
  admit: (pk: number, record: MemoryRecord) => boolean,
) {
  const { ew, fw, sp, k, tw } = plan;
  let scored = sorted;
  // Several conversations in the namespace: the question's own leads (focus.ts).
  // (Candidates known to be in no conversation are read without opening their metadata.)
  const focus = ew && fw.outside < 1 && fw.seeds > 0
    ? chooseFocus(
      focusView(deps.store, scored),
      spokenConvs(d.records, c.scope, d.said),
      d.said,
      fw,
    )
    : null;
  if (focus) scored = applyFocus(scored, focus, fw, outside, compareScored);
  const admitIn = focus ? (pk: number, r: MemoryRecord) => admit(pk, r) && focus.inside(r) : admit;
  // Entity hop, "before/after X" and "when…?" for turns of dialogue (converse.ts).
  const conv = c.ep
    ? converse(scored, {
      store: deps.store,
      stats: deps.stats,
      query: p.query,
      filter: p.filter,
      k,
      limit: p.limit,
      links: c.ep.raw.links,
      speakers: sp?.names ?? [],
      timed: d.timed || p.channels?.time === false,
      ...episodeFns(admitIn),
      inside: focus?.inside,
    }, { cooccur: p.cooccur ?? COOCCUR_WEIGHTS, anchor: p.anchor ?? ANCHOR_WEIGHTS, time: tw })
    : null;
  if (conv) scored = conv.ranked;
  const anchor = conv?.anchor;
  const entities = conv?.entities ?? [];
  if (c.turns) scored = tidyTurns(deps.store, scored, ew!, p.redundancy, c.ep!.raw.links, admitIn);
  return { ranked: scored, anchor, entities };
}

/** The outcome without its hits: identifiers, speakers, entities, intent and time windows. */
function outcome(
  plan: RecallPlan,
  d: Candidates,
  candidates: number,
  anchor: TimeWindow | null | undefined,
  entities: string[],
): RecallOutcome {
  const { windows, sp } = plan;
  return {
    hits: [],
    identifiers: plan.identifiers,
    candidates,
    ...(sp ? { speakers: sp.names } : {}),
    ...(entities.length ? { entities } : {}),
    intent: d.queryIntent,
    ...(d.timed || anchor
      ? {
        time: [...windows, ...anchor ? [anchor] : []].map((w) => ({
          text: w.text,
          window: formatWindow(w),
        })),
      }
      : {}),
  };
}
