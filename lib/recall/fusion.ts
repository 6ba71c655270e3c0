/**
 * Channel normalization and score fusion (memoryOSS §4.3, with our own FTS normalization
 * because FTS5's bm25 scale differs from tantivy's). Pure functions: table-driven tests.
 */
import type { MemoryRecord, Status } from "../store/mod.ts";

/** Channel weights; each 0..1. */
export interface Weights {
  vector: number;
  fts: number;
  exact: number;
  recency: number;
  /** Share of the bm25 channel given to episode-window bm25 (episode.ts); 0 when absent. */
  context?: number;
  /** Share of the vector channel given to the episode-window vector; 0 when absent. */
  context_vector?: number;
  /** Time channel (time.ts): memories inside the query's time window; 0 when absent. */
  time?: number;
  /** Speaker channel (speaker.ts): turns said by a person the query names; 0 when absent. */
  speaker?: number;
  /** Word-bridge channel (bridge.ts): bm25 of words near the query's; 0 when absent. */
  bridge?: number;
}

/** Normalized per-channel scores of one candidate, 0..1 each. */
export interface ChannelScores {
  vector: number;
  fts: number;
  exact: number;
  recency: number;
  /** Episode-window bm25 (absent when the episode channels did not run). */
  context?: number;
  /** Episode-window vector. */
  context_vector?: number;
  /** Event time inside the query's time window (absent when the query names none). */
  time?: number;
  /** Said by a speaker the query names (absent when it names none). */
  speaker?: number;
  /** bm25 of the query's word bridges, relative to the best (bridge.ts; absent when none). */
  bridge?: number;
  /** Window bm25 of the names in the best hits (cooccur.ts; added after fusion). */
  entity?: number;
}

export const MIN_CHANNEL_RESULTS = 3;
export const VEC_ABS_FLOOR = 0.25;

export const STATUS_FACTOR: Record<Status, number> = {
  candidate: 0.75,
  active: 1.0,
  contested: 0.55,
  stale: 0.7,
};

/**
 * Vector normalization: above a floor, scaled to the best hit; with fewer than three hits
 * (cold start) the raw cosine is used so a lone weak hit is not inflated to 1.
 */
export function normalizeVector(raw: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  const vmax = maxOf(raw);
  if (raw.size < MIN_CHANNEL_RESULTS) {
    for (const [pk, s] of raw) out.set(pk, clamp01(s));
  } else if (vmax > VEC_ABS_FLOOR) {
    const span = Math.max(vmax - VEC_ABS_FLOOR, 0.01);
    for (const [pk, s] of raw) out.set(pk, clamp01((s - VEC_ABS_FLOOR) / span));
  } else {
    for (const pk of raw.keys()) out.set(pk, 0);
  }
  return out;
}

/** bm25 normalization relative to the best hit in this query. */
export function normalizeRelative(raw: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  const max = maxOf(raw);
  for (const [pk, s] of raw) out.set(pk, max > 0 ? clamp01(s / max) : 0);
  return out;
}

/**
 * The fused score of one candidate before diversity selection. Episode channels blend into
 * the channel they refine: bm25 = (1 − a)·fts + a·context, vector likewise; recency, time and
 * speaker are added (the entity hop and anchors of converse.ts act after fusion).
 */
export function fuse(c: ChannelScores, w: Weights, record: MemoryRecord): number {
  const a = c.context === undefined ? 0 : w.context ?? 0;
  const b = c.context_vector === undefined ? 0 : w.context_vector ?? 0;
  const fts = (1 - a) * c.fts + a * (c.context ?? 0);
  const vector = (1 - b) * c.vector + b * (c.context_vector ?? 0);
  const base = vector * w.vector + fts * w.fts + c.exact * w.exact;
  const extra = (c.time ?? 0) * (w.time ?? 0) + (c.speaker ?? 0) * (w.speaker ?? 0) +
    (c.bridge ?? 0) * (w.bridge ?? 0);
  return (base + c.recency * w.recency + extra) * STATUS_FACTOR[record.status];
}

/** A candidate ready for ordering. */
export interface Scored {
  pk: number;
  record: MemoryRecord;
  score: number;
}

/**
 * Deterministic order: score descending, then id descending (UUIDv7: newer first).
 */
export function compareScored(a: Scored, b: Scored): number {
  if (b.score !== a.score) return b.score - a.score;
  return a.record.id < b.record.id ? 1 : a.record.id > b.record.id ? -1 : 0;
}

/**
 * Greedy MMR-like selection (memoryOSS §4.3): penalize picks from an agent already well
 * represented and picks sharing tags with earlier ones.
 */
export function diversify<T extends Scored>(sorted: T[], limit: number, factor: number): T[] {
  if (factor <= 0 || sorted.length <= limit) return sorted.slice(0, limit);
  const picked: T[] = [];
  const rest = [...sorted];
  while (picked.length < limit && rest.length > 0) {
    let best = 0;
    let bestScore = -Infinity;
    for (let i = 0; i < rest.length; i++) {
      const r = rest[i].record;
      let sameAgent = 0;
      for (const p of picked) if (p.record.agent === r.agent) sameAgent++;
      let penalty = sameAgent >= 3 ? 1.0 : 0.1 * sameAgent;
      for (const p of picked) if (sharesTag(p.record.tags, r.tags)) penalty += 0.05;
      const s = rest[i].score - penalty * factor;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    picked.push(rest.splice(best, 1)[0]);
  }
  return picked;
}

/** `Math.max(0, ...raw.values())` without spreading the values into arguments. */
function maxOf(raw: Map<number, number>): number {
  let max = 0;
  for (const s of raw.values()) max = Math.max(max, s);
  return max;
}

/** Whether the two tag lists have a tag in common (no closure per pair). */
function sharesTag(a: string[], b: string[]): boolean {
  for (const t of a) if (b.includes(t)) return true;
  return false;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
