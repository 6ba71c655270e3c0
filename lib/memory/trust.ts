/**
 * Trust score (memoryOSS §4.5), computed from the record alone: recency on the lifecycle
 * anchor, outcome signal and access count. Source reputation and embedding coherence use
 * memoryOSS's neutral values (prior Beta(2,1) mean and 0.5) because no per-source state is
 * kept yet, so two records differ only by what is known about them.
 */
import type { MemoryRecord } from "../store/mod.ts";

/** Below this a memory is `low_trust` (memoryOSS `trust.threshold`). */
export const LOW_TRUST_THRESHOLD = 0.3;

const SOURCE_REPUTATION_PRIOR = 2 / 3;
const COHERENCE_UNKNOWN = 0.5;

/** The trust signals and their weighted sum. */
export interface TrustScore {
  score: number;
  low_trust: boolean;
  signals: {
    recency: number;
    source_reputation: number;
    embedding_coherence: number;
    access_frequency: number;
    outcome_learning: number;
  };
}

/** The latest moment anything happened to the memory. */
export function lifecycleAnchor(r: MemoryRecord): number {
  let t = 0;
  for (
    const s of [
      r.updated_at,
      r.created_at,
      r.last_verified_at,
      r.last_injected_at,
      r.last_reused_at,
      r.last_outcome_at,
    ]
  ) {
    if (s) t = Math.max(t, Date.parse(s));
  }
  return t;
}

/** `(P+1)/(P+N+2)`: positive vs negative outcomes with a uniform prior. */
export function outcomeSignal(r: MemoryRecord): number {
  const p = r.reuse_count + 1.5 * r.confirm_count + Math.max(0, r.evidence_count - 1);
  const n = 2 * r.reject_count + 1.5 * r.supersede_count;
  return (p + 1) / (p + n + 2);
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Score a record at `now`.
 *
 * @example
 * ```ts
 * trustScore(record, new Date()).score; // ≈ 0.6 for a fresh manual memory
 * ```
 */
export function trustScore(r: MemoryRecord, now: Date): TrustScore {
  const ageH = Math.max(0, (now.getTime() - lifecycleAnchor(r)) / 3_600_000);
  const recency = Math.exp((-0.693 * ageH) / 168);
  const access = Math.min(1, Math.log(1 + r.evidence_count + r.injection_count) / Math.log(101));
  const outcome = outcomeSignal(r);
  const score = Math.min(
    1,
    Math.max(
      0,
      0.22 * recency + 0.22 * SOURCE_REPUTATION_PRIOR + 0.18 * COHERENCE_UNKNOWN +
        0.13 * access + 0.25 * outcome,
    ),
  );
  return {
    score: round(score),
    low_trust: score < LOW_TRUST_THRESHOLD,
    signals: {
      recency: round(recency),
      source_reputation: round(SOURCE_REPUTATION_PRIOR),
      embedding_coherence: COHERENCE_UNKNOWN,
      access_frequency: round(access),
      outcome_learning: round(outcome),
    },
  };
}
