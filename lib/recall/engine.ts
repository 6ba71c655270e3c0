/**
 * Hybrid recall: vector, bm25 and exact-identifier channels, each restricted to the caller's
 * namespace and filters before top-k, fused with recency and status factors. For turns of
 * dialogue: episode windows (episode.ts), speakers (speaker.ts) and their conversations
 * (scope.ts), the conversation focus (focus.ts), then the entity hop and time steps
 * (converse.ts) and neighbour expansion.
 */
import {
  type MemoryFilter,
  type MemoryRecord,
  needsRowLookup,
  statusBit,
  type Store,
} from "../store/mod.ts";
import { ftsOr, queryTerms } from "./text.ts";
import { exactMatches, matchedPks, scoreExact } from "./exact.ts";
import type { TermStats } from "./term_stats.ts";
import { recencyScores } from "./temporal.ts";
import { classifyIntent, type QueryIntent } from "./intent.ts";
import {
  expandWithGraph,
  type ExpansionPlan,
  type GraphExpander,
  type GraphHitInfo,
} from "./graph_fusion.ts";

/** Recency weight used when the query states a temporal intent. */
const TEMPORAL_RECENCY_WEIGHT = 0.3;
/**
 * memoryOSS `missing_literal` (§4.3): when some memory holds an identifier of the query
 * literally, a memory holding none is scaled by this, so words shared around an identifier
 * ("1.24.1" next to "1.24.0") do not outrank the memory that names it.
 */
export const MISSING_LITERAL = 0.78;
import { extractIdentifiers, type Identifier } from "./identifiers.ts";
import {
  collectEpisodes,
  EPISODE_WEIGHTS,
  episodeScores,
  type EpisodeWeights,
  shareOf,
} from "./episode.ts";
import type { VectorIndex } from "./vector_index.ts";
import { ANCHOR_WEIGHTS, type AnchorWeights } from "./anchor.ts";
import { converse } from "./converse.ts";
import { episodeFns, outside, tidyTurns } from "./engine_items.ts";
import type { RedundancyWeights } from "./redundancy.ts";
import { addScoped, speakerScope } from "./scope.ts";
import { applyFocus, chooseFocus, FOCUS_WEIGHTS, type FocusWeights, spokenConvs } from "./focus.ts";
import { COOCCUR_WEIGHTS, type CooccurWeights } from "./cooccur.ts";
import {
  querySpeakers,
  SPEAKER_WEIGHTS,
  speakerMatch,
  speakerScores,
  type SpeakerWeights,
  termsWithout,
} from "./speaker.ts";
import {
  formatWindow,
  TIME_WEIGHTS,
  timeScores,
  type TimeWeights,
  timeWindows,
  windowFilter,
} from "./time.ts";
import {
  type ChannelScores,
  compareScored,
  diversify,
  fuse,
  normalizeRelative,
  normalizeVector,
  type Scored,
  type Weights,
} from "./fusion.ts";

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

/** Run hybrid recall. */
export async function recallHybrid(deps: RecallDeps, p: RecallParams): Promise<RecallOutcome> {
  deps.stats?.begin();
  const now = deps.now?.() ?? new Date();
  const ch = { vector: true, fts: true, exact: true, ...p.channels };
  const k = Math.max(p.limit * 5, 50);
  // Status lives in the vector index; other filters resolve the matching rows once.
  const allow = needsRowLookup(p.filter) ? new Set(deps.store.pks(p.filter)) : undefined;
  const statusMask = p.filter.statuses?.length
    ? p.filter.statuses.reduce((m, s) => m | statusBit(s), 0)
    : undefined;
  const identifiers = ch.exact ? extractIdentifiers(p.query) : [];
  const ew = (p.channels?.context ?? (ch.vector && ch.fts)) ? p.episode ?? EPISODE_WEIGHTS : null;
  const tw = p.time ?? TIME_WEIGHTS;
  const windows = (p.channels?.time ?? (ch.vector && ch.fts)) && tw.weight > 0
    ? timeWindows(p.query, now)
    : [];
  // The query names a time: the channels also run inside it (time.ts, windowFilter).
  const within = windows.length > 0 ? windowFilter(p.filter, windows) : null;
  const inside = within ? deps.store.pks(within).filter((pk) => !allow || allow.has(pk)) : [];
  // Speakers the query names (speaker.ts): matched in who said a turn, not in its words.
  const sw = p.speaker ?? SPEAKER_WEIGHTS;
  const sp = ew && ch.fts && sw.weight > 0 ? querySpeakers(deps.store, p.query, p.filter) : null;

  const vecRaw = new Map<number, number>();
  let q: Float32Array | null = null;
  if (ch.vector && (!allow || allow.size > 0)) {
    q = p.query_embedding ?? (await deps.embedder.embed([sp?.stripped || p.query]))[0];
    for (const h of deps.index.search(p.filter.namespace, q, k, allow, statusMask)) {
      if (h.score > 0) vecRaw.set(h.pk, h.score);
    }
    if (inside.length > 0) {
      const set = new Set(inside);
      for (const h of deps.index.search(p.filter.namespace, q, k, set, statusMask)) {
        if (h.score > 0 && !vecRaw.has(h.pk)) vecRaw.set(h.pk, h.score);
      }
    }
  }
  const ftsRaw = new Map<number, number>();
  let match: string | null = null;
  let terms: string[] = [];
  if (ch.fts) {
    terms = sp ? termsWithout(p.query, sp.names) : queryTerms(p.query);
    terms = deps.stats
      ? deps.stats.selectTerms(terms, { max: 24, maxPostings: 30_000 })
      : terms.slice(0, 24);
    match = ftsOr(terms);
    for (const f of match ? (within ? [p.filter, within] : [p.filter]) : []) {
      // The same hits either way; the term statistics reuse per-term values (term_stats.ts).
      const hits = deps.stats ? deps.stats.search(terms, f, k) : deps.store.fts(match!, f, k);
      for (const h of hits) {
        if (!ftsRaw.has(h.pk)) ftsRaw.set(h.pk, h.score);
      }
    }
  }
  // The query names speakers: the channels also run inside their conversations (scope.ts).
  const fw = p.focus ?? FOCUS_WEIGHTS;
  const scope = sp && ew && fw.outside < 1 ? speakerScope(deps.store, sp.names, p.filter) : null;
  const sq = { vector: q, match, namespace: p.filter.namespace, k };
  if (scope) addScoped(deps, scope, sq, allow, statusMask, { vector: vecRaw, fts: ftsRaw });
  // Identifiers as phrases; whether a hit holds one literally is read from the records below.
  const found = exactMatches(deps.store, identifiers, p.filter, k, deps.stats);
  const exactPks = matchedPks(found);
  const vec = normalizeVector(vecRaw);
  const fts = normalizeRelative(ftsRaw);
  // Episode channels count for turns only (default): a namespace without turns skips them.
  const turns = !!ew &&
    (ew.standalone > 0 || !deps.stats || deps.stats.hasTurns(p.filter.namespace));
  const ep = turns
    ? collectEpisodes(
      deps.store,
      deps.index,
      q,
      sp ? speakerMatch(sp.names, terms) : match,
      p.filter,
      k,
      {
        vector: vecRaw,
        others: [...ftsRaw.keys(), ...exactPks],
      },
      ew!,
      within,
    )
    : null;
  const epi = ep ? episodeScores(ep.raw) : null;
  const pks = [
    ...new Set([...vec.keys(), ...fts.keys(), ...exactPks, ...ep?.candidates ?? []]),
  ];
  const records = deps.store.getMany(pks);
  const byPk = new Map(records.map((m) => [m.pk, m.record]));
  const { raw: exactRaw, why: exactWhy, literals } = scoreExact(found, (pk) => byPk.get(pk));
  const exact = normalizeRelative(exactRaw);
  const queryIntent = classifyIntent(p.query);
  const intent = queryIntent.temporal;
  const recency = recencyScores(
    new Map(records.map((m) => [m.pk, m.record.created_at])),
    intent,
    now,
  );
  const timed = windows.length > 0;
  // Only a timed query reads content here (a spread would decrypt every candidate).
  const time = timed
    ? timeScores(
      records.map((m) => ({
        pk: m.pk,
        created_at: m.record.created_at,
        content: m.record.content,
      })),
      windows,
      tw,
    )
    : new Map<number, number>();
  const said = sp ? speakerScores(deps.store, records.map((m) => m.pk), sp.names) : null;
  // A query that asks about time gets a recency weight that can actually reorder candidates.
  const weights = {
    ...p.weights,
    ...(timed ? { time: tw.weight } : {}),
    ...(said ? { speaker: sw.weight } : {}),
    ...(intent.kind === "none"
      ? {}
      : { recency: Math.max(p.weights.recency, TEMPORAL_RECENCY_WEIGHT) }),
  };
  // Defence in depth: channels already filtered, but the store is shared by processes.
  const admit = (pk: number, record: MemoryRecord) =>
    record.namespace === p.filter.namespace && (!allow || allow.has(pk)) &&
    (!p.filter.statuses?.length || p.filter.statuses.includes(record.status)) &&
    !(record.archived && (p.filter.archived ?? "exclude") === "exclude");

  let scored: (Scored & { hit: RecallHit })[] = [];
  for (const { pk, record } of records) {
    if (!admit(pk, record)) continue;
    // Episode windows count for turns of dialogue (lib/recall/episode.ts).
    const share = ep && ew ? shareOf(ep.raw.links, pk, ew) : 0;
    const c: ChannelScores = {
      vector: vec.get(pk) ?? 0,
      fts: fts.get(pk) ?? 0,
      exact: exact.get(pk) ?? 0,
      recency: recency.get(pk) ?? 0,
      ...(timed ? { time: time.get(pk) ?? 0 } : {}),
      ...(said ? { speaker: said.get(pk) ?? 0 } : {}),
      ...(epi && share > 0
        ? { context: epi.fts.get(pk) ?? 0, context_vector: epi.vector.get(pk) ?? 0 }
        : {}),
    };
    const w = share > 0
      ? { ...weights, context: ew!.context * share, context_vector: ew!.context_vector * share }
      : weights;
    // Recency alone is no reason to return a memory: some channel must relate it to the query.
    const best = Math.max(c.vector, c.fts, c.exact, c.context ?? 0, c.context_vector ?? 0);
    if (best <= 0 || best < p.min_channel_score) continue;
    const provenance: string[] = [];
    if (vecRaw.has(pk)) provenance.push("vector");
    if (ftsRaw.has(pk)) provenance.push("fts");
    if (ep?.raw.fts.has(pk)) provenance.push("context");
    if (ep?.raw.vector.has(pk)) provenance.push("context_vector");
    if (exactRaw.has(pk)) provenance.push("exact", exactWhy.get(pk)!);
    if (intent.kind !== "none") provenance.push(`temporal:${intent.kind}`);
    if (timed) provenance.push("time");
    if (said?.get(pk)) provenance.push("speaker");
    const missing = literals.size > 0 && !literals.has(pk);
    if (missing) provenance.push("missing_literal");
    const score = fuse(c, w, record) * (missing ? MISSING_LITERAL : 1);
    scored.push({
      pk,
      record,
      score,
      hit: {
        record,
        score,
        channels: c,
        raw: {
          vector: vecRaw.get(pk) ?? null,
          fts: ftsRaw.get(pk) ?? null,
          exact: exactRaw.get(pk) ?? null,
          ...(share > 0
            ? {
              context: ep!.raw.fts.get(pk) ?? null,
              context_vector: ep!.raw.vector.get(pk) ?? null,
            }
            : {}),
        },
        provenance,
      },
    });
  }
  scored.sort(compareScored);
  // Several conversations in the namespace: the question's own leads (focus.ts).
  const focus = ew ? chooseFocus(scored, spokenConvs(records, scope, said), said, fw) : null;
  if (focus) scored = applyFocus(scored, focus, fw, outside, compareScored);
  const admitIn = focus ? (pk: number, r: MemoryRecord) => admit(pk, r) && focus.inside(r) : admit;
  // Entity hop, "before/after X" and "when…?" for turns of dialogue (converse.ts).
  const conv = ep
    ? converse(scored, {
      store: deps.store,
      stats: deps.stats,
      query: p.query,
      filter: p.filter,
      k,
      limit: p.limit,
      links: ep.raw.links,
      speakers: sp?.names ?? [],
      timed: timed || p.channels?.time === false,
      ...episodeFns(admitIn),
      inside: focus?.inside,
    }, { cooccur: p.cooccur ?? COOCCUR_WEIGHTS, anchor: p.anchor ?? ANCHOR_WEIGHTS, time: tw })
    : null;
  if (conv) scored = conv.ranked;
  const anchor = conv?.anchor;
  const entities = conv?.entities ?? [];
  if (turns) scored = tidyTurns(deps.store, scored, ew!, p.redundancy, ep!.raw.links, admitIn);
  const out: RecallOutcome = {
    hits: [],
    identifiers,
    candidates: scored.length,
    ...(sp ? { speakers: sp.names } : {}),
    ...(entities.length ? { entities } : {}),
    intent: queryIntent,
    ...(timed || anchor
      ? {
        time: [...windows, ...anchor ? [anchor] : []].map((w) => ({
          text: w.text,
          window: formatWindow(w),
        })),
      }
      : {}),
  };
  const ranked = deps.graph && p.graph !== false
    ? expandWithGraph(deps, p, scored, queryIntent, allow, out)
    : scored;
  out.hits = diversify(ranked, p.limit, p.diversity_factor).map((s) => s.hit);
  return out;
}
