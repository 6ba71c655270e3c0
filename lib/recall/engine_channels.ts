/**
 * recallHybrid's first steps (engine.ts): what the query asks for ({@link planRecall}), then
 * the raw channels, each restricted to the namespace and filters before top-k: vector, bm25,
 * both again inside named times and speakers' conversations, exact identifiers and episode
 * windows ({@link searchChannels}).
 */
import { type MemoryFilter, needsRowLookup, statusBit } from "../store/mod.ts";
import { ftsOr, queryTerms } from "./text.ts";
import { type ExactMatches, exactMatches, matchedPks } from "./exact.ts";
import { extractIdentifiers, type Identifier } from "./identifiers.ts";
import { collectEpisodes, EPISODE_WEIGHTS, episodeScores, type EpisodeWeights } from "./episode.ts";
import { addScoped, speakerScope } from "./scope.ts";
import { BRIDGE_WEIGHTS, searchBridges } from "./bridge.ts";
import { FOCUS_WEIGHTS, type FocusWeights } from "./focus.ts";
import {
  type QuerySpeakers,
  querySpeakers,
  SPEAKER_WEIGHTS,
  speakerMatch,
  type SpeakerWeights,
  termsWithout,
} from "./speaker.ts";
import {
  TIME_WEIGHTS,
  type TimeWeights,
  type TimeWindow,
  timeWindows,
  windowFilter,
} from "./time.ts";
import { normalizeRelative, normalizeVector } from "./fusion.ts";
import type { RecallDeps, RecallParams } from "./engine.ts";

/** What a query asks for, resolved once before any channel runs. */
export interface RecallPlan {
  now: Date;
  ch: NonNullable<RecallParams["channels"]> & { vector: boolean; fts: boolean; exact: boolean };
  /** How many hits each channel keeps. */
  k: number;
  /** The rows other filters than status admit (undefined: all). */
  allow: Set<number> | undefined;
  statusMask: number | undefined;
  identifiers: Identifier[];
  /** Episode weights when the context channels run, else null. */
  ew: EpisodeWeights | null;
  tw: TimeWeights;
  /** The time windows the query names. */
  windows: TimeWindow[];
  /** The filter narrowed to those windows (null: none named). */
  within: MemoryFilter | null;
  /** The rows inside those windows. */
  inside: number[];
  sw: SpeakerWeights;
  /** Speakers the query names (null: none, or the speaker channel is off). */
  sp: QuerySpeakers | null;
  fw: FocusWeights;
}

/** Resolve channels, weights, filters, time windows and speakers of a request. */
export function planRecall(deps: RecallDeps, p: RecallParams): RecallPlan {
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
  const fw = p.focus ?? FOCUS_WEIGHTS;
  return {
    now,
    ch,
    k,
    allow,
    statusMask,
    identifiers,
    ew,
    tw,
    windows,
    within,
    inside,
    sw,
    sp,
    fw,
  };
}

/** The vector channel: the query's embedding and its cosines (also inside named times). */
async function vectorChannel(deps: RecallDeps, p: RecallParams, plan: RecallPlan) {
  const { k, allow, statusMask, inside, sp } = plan;
  const vecRaw = new Map<number, number>();
  let q: Float32Array | null = null;
  if (plan.ch.vector && (!allow || allow.size > 0)) {
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
  return { q, vecRaw };
}

/** The bm25 channel: the query's terms (speakers left out), its match, its hits. */
function ftsChannel(deps: RecallDeps, p: RecallParams, plan: RecallPlan) {
  const { k, within, sp } = plan;
  const ftsRaw = new Map<number, number>();
  let match: string | null = null;
  let terms: string[] = [];
  if (plan.ch.fts) {
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
  return { ftsRaw, match, terms };
}

/** Every channel's raw and normalized values before the candidates are read. */
export interface RecallChannels {
  q: Float32Array | null;
  vecRaw: Map<number, number>;
  ftsRaw: Map<number, number>;
  match: string | null;
  terms: string[];
  scope: ReturnType<typeof speakerScope> | null;
  found: ExactMatches;
  exactPks: number[];
  vec: Map<number, number>;
  fts: Map<number, number>;
  /** Whether the episode channels run (turns of dialogue). */
  turns: boolean;
  ep: ReturnType<typeof collectEpisodes> | null;
  epi: ReturnType<typeof episodeScores> | null;
  /** Raw bm25 of the query's word bridges, turns of dialogue only (bridge.ts; null: off). */
  bridge: Map<number, number> | null;
}

/** Run the vector, bm25, scoped, exact and episode channels of a planned request. */
export async function searchChannels(
  deps: RecallDeps,
  p: RecallParams,
  plan: RecallPlan,
): Promise<RecallChannels> {
  const { k, allow, statusMask, sp, ew, fw } = plan;
  const { q, vecRaw } = await vectorChannel(deps, p, plan);
  const { ftsRaw, match, terms } = ftsChannel(deps, p, plan);
  // The query names speakers: the channels also run inside their conversations (scope.ts).
  const scope = sp && ew && fw.outside < 1 ? speakerScope(deps.store, sp.names, p.filter) : null;
  const sq = { vector: q, match, namespace: p.filter.namespace, k };
  if (scope) addScoped(deps, scope, sq, allow, statusMask, { vector: vecRaw, fts: ftsRaw });
  // Turns of dialogue: words near the query's in the builtin word table (bridge.ts).
  const bw = p.bridge ?? BRIDGE_WEIGHTS;
  const want = { depth: k * bw.depth, n: bw.take, scope };
  const bridged = ew && plan.ch.fts ? await searchBridges(deps, terms, p.filter, bw, want) : null;
  const bridge = bridged?.raw.size ? bridged.raw : null;
  // Identifiers as phrases; whether a hit holds one literally is read from the records later.
  const found = exactMatches(deps.store, plan.identifiers, p.filter, k, deps.stats);
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
      { vector: vecRaw, others: [...ftsRaw.keys(), ...exactPks, ...bridge?.keys() ?? []] },
      ew!,
      plan.within,
    )
    : null;
  const epi = ep ? episodeScores(ep.raw) : null;
  return {
    q,
    vecRaw,
    ftsRaw,
    match,
    terms,
    scope,
    found,
    exactPks,
    vec,
    fts,
    turns,
    ep,
    epi,
    bridge,
  };
}
