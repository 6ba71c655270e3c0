/**
 * Recall for the proxy and the retrieval confidence gate (memoryOSS §3.4 step 3–4, §4.6).
 * Recall runs under a time budget; an error or timeout is reported, never thrown, so the
 * request can go upstream unchanged (fail open).
 */
import { isSafeForInjection } from "../extract/mod.ts";
import { recall, type Runtime, toScored } from "../memory/mod.ts";

/** Per-channel scores of one recalled memory (normalized, 0–1). */
export interface Channels {
  vector: number;
  fts: number;
  exact: number;
  recency: number;
}

/** One recalled memory as the gate sees it. */
export interface Candidate {
  id: string;
  content: string;
  tags: string[];
  score: number;
  status: string;
  archived: boolean;
  low_trust: boolean;
  created_at: string;
  provenance: string[];
  confidence: number | null;
  evidence_count: number;
  confirm_count: number;
  /** The channel breakdown recall computed (kept for the injection log). */
  channels?: Channels;
}

/** A recall function (swappable in tests). */
export type ProxyRecall = (namespace: string, query: string) => Promise<Candidate[]>;

/** The gate's verdict. */
export interface GateResult {
  decision: "inject" | "abstain" | "need_more_evidence";
  reasons: string[];
  memories: Candidate[];
}

/**
 * The default recall: hybrid recall as configured (`[recall]` weights and limit), with the
 * proxy's own channel floor and diversity (`[proxy] min_channel_score`, `diversity_factor`).
 */
export function runtimeRecall(rt: Runtime): ProxyRecall {
  return async (namespace, query) => {
    const cfg = rt.loaded.config;
    const res = toScored(
      rt,
      await recall(rt, {
        query,
        namespace,
        limit: cfg.recall.default_limit,
        min_channel_score: cfg.proxy.min_channel_score,
        diversity_factor: cfg.proxy.diversity_factor,
        explain: true, // the channel breakdown, for the injection log
      }),
    );
    return res.memories.map((m) => ({
      id: m.memory.id,
      content: m.memory.content,
      tags: m.memory.tags,
      score: m.score,
      status: m.memory.status,
      archived: m.memory.archived,
      low_trust: m.low_trust,
      created_at: m.memory.created_at,
      provenance: m.provenance,
      confidence: m.memory.confidence,
      evidence_count: m.memory.evidence_count,
      confirm_count: m.memory.confirm_count,
      ...(m.explain ? { channels: m.explain.channels } : {}),
    }));
  };
}

/** Outcome of a recall under a time budget. */
export type BudgetedRecall =
  | { ok: true; memories: Candidate[]; ms: number }
  | { ok: false; reason: "recall_error" | "recall_timeout"; error?: unknown; ms: number };

/**
 * Run `fn` but give up after `timeoutMs`.
 *
 * @example
 * ```ts
 * const r = await recallWithBudget(() => recallFn("default", "q"), 250);
 * if (!r.ok) console.log(r.reason);
 * ```
 */
export async function recallWithBudget(
  fn: () => Promise<Candidate[]>,
  timeoutMs: number,
): Promise<BudgetedRecall> {
  const t0 = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((r) => {
    timer = setTimeout(() => r("timeout"), timeoutMs);
  });
  try {
    const work = fn();
    work.catch(() => {}); // a late failure after the timeout must not go unhandled
    const out = await Promise.race([work, timeout]);
    const ms = performance.now() - t0;
    if (out === "timeout") return { ok: false, reason: "recall_timeout", ms };
    return { ok: true, memories: out, ms };
  } catch (error) {
    return { ok: false, reason: "recall_error", error, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

const NON_MEMORY =
  /\b(how are you|tell me a joke|joke|poem|story|coffee|be back|good morning|thank you|thanks)\b/i;

/** Gate settings. */
export interface GateOptions {
  minScore: number;
  enabled: boolean;
  /** Drop candidates created before this (mode `after`). */
  after?: Date | null;
}

/**
 * Decide what may be injected. Qualified = score ≥ min, safe, active, not archived, not low
 * trust. With the gate on, weak evidence (near the threshold without identifier support, or
 * a low-confidence unconfirmed top) gives `need_more_evidence` and nothing is injected.
 *
 * @example
 * ```ts
 * gate("how do we deploy?", candidates, { minScore: 0.4, enabled: true }).decision;
 * ```
 */
export function gate(query: string, all: Candidate[], opts: GateOptions): GateResult {
  const cands = opts.after
    ? all.filter((c) => Date.parse(c.created_at) >= opts.after!.getTime())
    : all;
  if (cands.length === 0) return { decision: "abstain", reasons: ["no_candidates"], memories: [] };
  if (opts.enabled && NON_MEMORY.test(query)) {
    return { decision: "abstain", reasons: ["non_memory_query"], memories: [] };
  }
  const qualified = cands.filter((c) =>
    c.score >= opts.minScore && c.status === "active" && !c.archived && !c.low_trust &&
    isSafeForInjection(c.content)
  );
  if (qualified.length === 0) {
    const top = cands[0];
    const reason = !isSafeForInjection(top.content)
      ? "top_candidate_unsafe"
      : top.status !== "active" || top.archived
      ? "top_candidate_ineligible"
      : top.low_trust
      ? "top_candidate_low_trust"
      : top.score >= opts.minScore - 0.03
      ? "top_candidate_below_threshold"
      : "no_plausible_candidate";
    const plausible = opts.enabled && top.score >= opts.minScore - 0.03 &&
      reason === "top_candidate_below_threshold";
    return {
      decision: plausible ? "need_more_evidence" : "abstain",
      reasons: [reason],
      memories: [],
    };
  }
  const top = qualified[0];
  const identifier = top.provenance.includes("exact");
  const reasons: string[] = [];
  if (top.score < opts.minScore + 0.08 && !identifier) reasons.push("top_candidate_near_threshold");
  if ((top.confidence ?? 1) < 0.55 && top.confirm_count === 0 && top.evidence_count === 0) {
    reasons.push("top_candidate_low_confidence");
  }
  if (reasons.length === 0) {
    return { decision: "inject", reasons: ["strong_top_candidate"], memories: qualified };
  }
  if (opts.enabled) return { decision: "need_more_evidence", reasons, memories: [] };
  return {
    decision: "inject",
    reasons: ["confidence_gate_disabled", ...reasons],
    memories: qualified,
  };
}
