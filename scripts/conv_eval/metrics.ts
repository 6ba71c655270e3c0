/**
 * Ranking metrics for the conversational eval. For a question with evidence E and a ranked
 * list L (top 10): recall@k = |E ∩ L[:k]| / |E|; MRR = 1 / rank of the first evidence in L
 * (0 when none); nDCG@10 with binary gains = Σ_{i: L[i] ∈ E} 1/log2(i+2) over the ideal
 * Σ_{i < min(|E|, 10)} 1/log2(i+2). Adversarial questions have no evidence: what counts is
 * that their best score stays below the answerable questions' (separation AUC).
 */

/** Scores of one answerable question. */
export interface QuestionScore {
  r1: number;
  r5: number;
  r10: number;
  rr: number;
  ndcg: number;
}

/** Averages over a group of answerable questions. */
export interface GroupScores {
  n: number;
  recall_at_1: number;
  recall_at_5: number;
  recall_at_10: number;
  mrr: number;
  ndcg_at_10: number;
}

/** Score one ranked list against its evidence (memory ids). */
export function scoreRanking(ranked: string[], evidence: string[]): QuestionScore {
  const want = new Set(evidence);
  const top = ranked.slice(0, 10);
  const at = (k: number) => top.slice(0, k).filter((id) => want.has(id)).length / want.size;
  const first = top.findIndex((id) => want.has(id));
  let dcg = 0;
  top.forEach((id, i) => {
    if (want.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(want.size, 10); i++) ideal += 1 / Math.log2(i + 2);
  return {
    r1: at(1),
    r5: at(5),
    r10: at(10),
    rr: first >= 0 ? 1 / (first + 1) : 0,
    ndcg: dcg / ideal,
  };
}

/** Average a group of question scores. */
export function average(scores: QuestionScore[]): GroupScores {
  const n = scores.length;
  const mean = (f: (s: QuestionScore) => number) =>
    n === 0 ? 0 : round(scores.reduce((a, s) => a + f(s), 0) / n);
  return {
    n,
    recall_at_1: mean((s) => s.r1),
    recall_at_5: mean((s) => s.r5),
    recall_at_10: mean((s) => s.r10),
    mrr: mean((s) => s.rr),
    ndcg_at_10: mean((s) => s.ndcg),
  };
}

/**
 * Probability that an answerable question's best score beats an adversarial one's (ties count
 * half): 1 = the scores alone tell them apart, 0.5 = they do not. Empty results score 0.
 */
export function separationAuc(answerable: number[], adversarial: number[]): number {
  if (answerable.length === 0 || adversarial.length === 0) return 0;
  let wins = 0;
  for (const a of answerable) {
    for (const b of adversarial) wins += a > b ? 1 : a === b ? 0.5 : 0;
  }
  return round(wins / (answerable.length * adversarial.length));
}

export const round = (x: number) => Math.round(x * 1000) / 1000;
