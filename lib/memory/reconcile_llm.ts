/**
 * Reconciliation by a chat model (`[llm]` config): the neighbours are listed under numeric ids
 * (`[0] …`, `[1] …`) so the model cannot invent memory ids; the answer must be strict JSON
 * `{decision, target_id?, reason}` (zod-validated, target among the listed ids). An invalid
 * answer or a timeout is retried once, then the deterministic rules decide (`fallback`).
 */
import { z } from "zod";
import type { Config } from "../config/mod.ts";
import {
  askParsed,
  type ChatMessage,
  type ChatSettings,
  LlmError,
  numberedPrompt,
  parseJsonAnswer,
  resolveLlmSettings,
} from "../llm/mod.ts";
import {
  decide,
  type Decision,
  type Neighbour,
  RECONCILE_ACTIONS,
  type ReconcileOptions,
} from "./reconcile.ts";

/** Where a recorded decision came from. */
export type DecisionSource = "llm" | "rules" | "fallback";

/** A decision with its source, as `drain` records it. */
export interface SourcedDecision extends Decision {
  source: DecisionSource;
}

/** Tries of one LLM decision: the first call and one retry. */
export const LLM_TRIES = 2;

/** The model's answer, before its target is mapped back to a memory id. */
export const LlmDecisionSchema = z.object({
  decision: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.enum(RECONCILE_ACTIONS),
  ),
  target_id: z.union([z.string(), z.number()]).nullish(),
  reason: z.string().trim().min(1).max(2000),
});

/**
 * Chat settings of the `slow_canonical` role (null when no model is configured): `[llm]`,
 * overridden by memman's `MEMMAN_LLM_*` variables (lib/llm/settings.ts).
 */
export function llmSettings(
  config: Config,
  env: (k: string) => string | undefined = (k) => Deno.env.get(k),
): ChatSettings | null {
  return resolveLlmSettings(config, "slow_canonical", env);
}

const SYSTEM = [
  "You reconcile a NEW fact with EXISTING memories of a long-term memory store.",
  "Answer with one JSON object only, no prose:",
  '{"decision": "ADD" | "UPDATE" | "DELETE" | "NONE", "target_id": "<id>", "reason": "<one sentence>"}',
  "ADD: the fact is new information (omit target_id).",
  "UPDATE: the fact changes a value of the same subject as memory target_id; it replaces it.",
  "DELETE: the fact contradicts memory target_id; that memory is retired and the fact kept.",
  "NONE: memory target_id already says the same thing; nothing new is stored.",
  "Prefer UPDATE over DELETE. target_id must be one of the listed ids.",
].join("\n");

/** The chat messages for one fact (exported for tests). */
export function reconcilePrompt(content: string, neighbours: Neighbour[]): ChatMessage[] {
  return numberedPrompt(SYSTEM, "EXISTING memories", neighbours, "NEW fact", content);
}

/** Validate one answer and map its numeric target back; throws LlmError("shape"). */
export function parseLlmDecision(text: string, neighbours: Neighbour[]): Decision {
  const answer = parseJsonAnswer(LlmDecisionSchema, text, "decision");
  const { decision, target_id, reason } = answer;
  if (decision === "ADD") return { action: "ADD", reason };
  if (target_id === undefined || target_id === null || target_id === "") {
    throw new LlmError("shape", `${decision} needs a target_id`);
  }
  const ref = String(target_id).trim().replace(/^\[(.*)\]$/, "$1");
  const byIndex = /^\d+$/.test(ref) ? neighbours[Number(ref)] : undefined;
  const target = byIndex ?? neighbours.find((n) => n.id === ref);
  if (!target) throw new LlmError("shape", `unknown target_id ${JSON.stringify(target_id)}`);
  return {
    action: decision,
    target_id: target.id,
    similarity: Math.round(target.similarity * 10000) / 10000,
    reason,
  };
}

/**
 * Decide with the model when one is configured, else (or after {@link LLM_TRIES} failed
 * tries) with the rules. An identical stored text and an empty neighbourhood are decided by the
 * rules without a call.
 *
 * @example
 * ```ts
 * const d = await reconcileDecision(fact, hash, neighbours, { duplicateThreshold: 0.95 }, settings);
 * d.source; // "llm" | "rules" | "fallback"
 * ```
 */
export async function reconcileDecision(
  content: string,
  hash: string,
  neighbours: Neighbour[],
  opts: ReconcileOptions,
  llm: ChatSettings | null,
): Promise<SourcedDecision> {
  const rules = decide(content, hash, neighbours, opts);
  if (!llm || neighbours.length === 0 || neighbours.some((n) => n.content_hash === hash)) {
    return { ...rules, source: "rules" };
  }
  const r = await askParsed(
    llm,
    reconcilePrompt(content, neighbours),
    LLM_TRIES,
    (text) => parseLlmDecision(text, neighbours),
  );
  if ("value" in r) return { ...r.value, source: "llm" };
  return {
    ...rules,
    source: "fallback",
    reason: `${rules.reason} (LLM failed ${LLM_TRIES}×: ${r.error.slice(0, 300)})`,
  };
}
