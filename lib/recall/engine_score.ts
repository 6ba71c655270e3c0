/**
 * recallHybrid's middle steps (engine.ts): read the candidates the channels found and score
 * each ({@link readCandidates}, {@link scoreCandidates}): exact identifiers, recency, time and
 * speaker channels, the weights the query's intent asks for, then fusion with its provenance.
 */
import { type MemoryRecord, openSealedAsync, type StoredMemory } from "../store/mod.ts";
import { scoreExact } from "./exact.ts";
import { recencyScores } from "./temporal.ts";
import { classifyIntent, type QueryIntent } from "./intent.ts";
import { shareOf } from "./episode.ts";
import { speakerScores, speakerShares } from "./speaker.ts";
import { BRIDGE_WEIGHTS } from "./bridge.ts";
import { timeScores } from "./time.ts";
import {
  type ChannelScores,
  fuse,
  normalizeRelative,
  type Scored,
  type Weights,
} from "./fusion.ts";
import type { RecallDeps, RecallHit, RecallParams } from "./engine.ts";
import type { RecallChannels, RecallPlan } from "./engine_channels.ts";

/** Recency weight used when the query states a temporal intent. */
const TEMPORAL_RECENCY_WEIGHT = 0.3;
/**
 * memoryOSS `missing_literal` (§4.3): when some memory holds an identifier of the query
 * literally, a memory holding none is scaled by this, so words shared around an identifier
 * ("1.24.1" next to "1.24.0") do not outrank the memory that names it.
 */
export const MISSING_LITERAL = 0.78;

/** A scored candidate with the hit it becomes. */
export type ScoredHit = Scored & { hit: RecallHit };

/** The candidates' records and the channels read from them. */
export interface Candidates {
  records: StoredMemory[];
  exactRaw: Map<number, number>;
  exactWhy: Map<number, string>;
  /** The candidates holding an identifier of the query literally. */
  literals: Set<number>;
  exact: Map<number, number>;
  queryIntent: QueryIntent;
  recency: Map<number, number>;
  /** Whether the query names a time (the time channel counts). */
  timed: boolean;
  time: Map<number, number>;
  said: Map<number, number> | null;
  /** The word bridges' bm25, relative to the best (bridge.ts; null: none). */
  bridge: Map<number, number> | null;
  weights: Weights;
}

/** Read every channel's candidates and score the channels that need their records. */
export async function readCandidates(
  deps: RecallDeps,
  p: RecallParams,
  plan: RecallPlan,
  c: RecallChannels,
): Promise<Candidates> {
  const { windows, tw, sp, sw, now } = plan;
  const pks = [
    ...new Set([
      ...c.vec.keys(),
      ...c.fts.keys(),
      ...c.exactPks,
      ...c.ep?.candidates ?? [],
      ...c.bridge?.keys() ?? [],
    ]),
  ];
  const records = deps.store.getMany(pks);
  // A one-shot recall opens what ranking reads of them in one WebCrypto batch, so it loads no
  // Node crypto; elsewhere this does nothing (lib/store sealed.ts). Content: the exact, time
  // and turn channels; metadata: the conversation focus, of memories without a session (those
  // with a plain session are known to be in no conversation without it: engine_items.ts).
  await Promise.all([
    openSealedAsync(records.map((m) => m.record), ["content"]),
    openSealedAsync(
      records.filter((m) => m.record.session === null).map((m) => m.record),
      ["metadata"],
    ),
  ]);
  const byPk = new Map(records.map((m) => [m.pk, m.record]));
  const { raw: exactRaw, why: exactWhy, literals } = scoreExact(c.found, (pk) => byPk.get(pk));
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
  const said = sp
    ? speakerShares(
      speakerScores(deps.store, records.map((m) => m.pk), sp.names),
      records,
      sw,
      deps.stats,
    )
    : null;
  // A query that asks about time gets a recency weight that can actually reorder candidates.
  const weights = {
    ...p.weights,
    ...(timed ? { time: tw.weight } : {}),
    ...(said ? { speaker: sw.weight } : {}),
    ...(c.bridge ? { bridge: (p.bridge ?? BRIDGE_WEIGHTS).weight } : {}),
    ...(intent.kind === "none"
      ? {}
      : { recency: Math.max(p.weights.recency, TEMPORAL_RECENCY_WEIGHT) }),
  };
  return {
    records,
    exactRaw,
    exactWhy,
    literals,
    exact,
    queryIntent,
    recency,
    timed,
    time,
    said,
    bridge: c.bridge ? normalizeRelative(c.bridge) : null,
    weights,
  };
}

/** Defence in depth: channels already filtered, but the store is shared by processes. */
export function admitFor(p: RecallParams, allow: Set<number> | undefined) {
  return (pk: number, record: MemoryRecord) =>
    record.namespace === p.filter.namespace && (!allow || allow.has(pk)) &&
    (!p.filter.statuses?.length || p.filter.statuses.includes(record.status)) &&
    !(record.archived && (p.filter.archived ?? "exclude") === "exclude");
}

/** Why a candidate is in the result: the channels that found it and what shaped its score. */
function provenanceOf(pk: number, c: RecallChannels, d: Candidates): string[] {
  const intent = d.queryIntent.temporal;
  const provenance: string[] = [];
  if (c.vecRaw.has(pk)) provenance.push("vector");
  if (c.ftsRaw.has(pk)) provenance.push("fts");
  if (c.ep?.raw.fts.has(pk)) provenance.push("context");
  if (c.ep?.raw.vector.has(pk)) provenance.push("context_vector");
  if (d.exactRaw.has(pk)) provenance.push("exact", d.exactWhy.get(pk)!);
  if (intent.kind !== "none") provenance.push(`temporal:${intent.kind}`);
  if (d.timed) provenance.push("time");
  if (d.said?.get(pk)) provenance.push("speaker");
  if (d.bridge?.has(pk)) provenance.push("bridge");
  return provenance;
}

/**
 * Fuse each admitted candidate's channels into its score (unsorted); a candidate no channel
 * relates to the query is left out.
 */
export function scoreCandidates(
  p: RecallParams,
  plan: RecallPlan,
  c: RecallChannels,
  d: Candidates,
  admit: (pk: number, record: MemoryRecord) => boolean,
): ScoredHit[] {
  const { ew } = plan;
  const { ep, epi } = c;
  const scored: ScoredHit[] = [];
  for (const { pk, record } of d.records) {
    if (!admit(pk, record)) continue;
    // Episode windows count for turns of dialogue (lib/recall/episode.ts).
    const share = ep && ew ? shareOf(ep.raw.links, pk, ew) : 0;
    const ch: ChannelScores = {
      vector: c.vec.get(pk) ?? 0,
      fts: c.fts.get(pk) ?? 0,
      exact: d.exact.get(pk) ?? 0,
      recency: d.recency.get(pk) ?? 0,
      ...(d.timed ? { time: d.time.get(pk) ?? 0 } : {}),
      ...(d.said ? { speaker: d.said.get(pk) ?? 0 } : {}),
      ...(d.bridge ? { bridge: d.bridge.get(pk) ?? 0 } : {}),
      ...(epi && share > 0
        ? { context: epi.fts.get(pk) ?? 0, context_vector: epi.vector.get(pk) ?? 0 }
        : {}),
    };
    const w = share > 0
      ? { ...d.weights, context: ew!.context * share, context_vector: ew!.context_vector * share }
      : d.weights;
    // Recency alone is no reason to return a memory: some channel must relate it to the query.
    // A word bridge (bridge.ts) relates it too, even where its weight in fusion is 0.
    const best = Math.max(
      ch.vector,
      ch.fts,
      ch.exact,
      ch.context ?? 0,
      ch.context_vector ?? 0,
      ch.bridge ?? 0,
    );
    if (best <= 0 || best < p.min_channel_score) continue;
    const provenance = provenanceOf(pk, c, d);
    const missing = d.literals.size > 0 && !d.literals.has(pk);
    if (missing) provenance.push("missing_literal");
    const score = fuse(ch, w, record) * (missing ? MISSING_LITERAL : 1);
    const raw = {
      vector: c.vecRaw.get(pk) ?? null,
      fts: c.ftsRaw.get(pk) ?? null,
      exact: d.exactRaw.get(pk) ?? null,
      ...(share > 0
        ? { context: ep!.raw.fts.get(pk) ?? null, context_vector: ep!.raw.vector.get(pk) ?? null }
        : {}),
    };
    scored.push({ pk, record, score, hit: { record, score, channels: ch, raw, provenance } });
  }
  return scored;
}
