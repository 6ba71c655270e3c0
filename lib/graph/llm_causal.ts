/**
 * Causal edges the rules cannot see, from a chat model (`[llm] enabled = true`), and the
 * re-resolution of rule edges that pointed at a memory whose content changed.
 *
 * The model gets a memory and its nearest neighbours listed under numeric ids (`[0] …`), so it
 * cannot invent memory ids, and answers strict JSON
 * `{"links": [{"index", "direction": "cause" | "effect", "confidence"}]}` (zod-validated, every
 * index among the listed ones). An invalid answer, an unknown index or a timeout is retried
 * once; after that only the rule edges stand (`fallback`). Model edges are `origin: "auto"`,
 * kind `causal`, weight = confidence, detail `{source: "llm", confidence}`. They add to the
 * rule edges and never replace one: a pair the rules (or a person) already linked causally is
 * left as it is.
 *
 * @module
 */
import { z } from "zod";
import {
  askParsed,
  type ChatMessage,
  type ChatSettings,
  LlmError,
  numberedPrompt,
  parseJsonAnswer,
} from "../llm/mod.ts";
import type { Store } from "../store/mod.ts";
import { edgesTouching, upsertEdge } from "../store/mod.ts";
import { otherEnd } from "./edges.ts";

/** Tries of one question: the first call and one retry. */
export const LLM_CAUSAL_TRIES = 2;
/** Neighbours listed to the model (the nearest first). */
export const LLM_CAUSAL_NEIGHBOURS = 8;
/** Links the model is less sure of than this are dropped. */
export const LLM_CAUSAL_MIN_CONFIDENCE = 0.5;

/** A neighbour the model may link: a memory id and its text. */
export interface CausalCandidate {
  id: string;
  content: string;
}

/** One link the model found: neighbour `id` is the memory's cause or effect. */
export interface LlmCausalLink {
  id: string;
  direction: "cause" | "effect";
  confidence: number;
}

/** The outcome of asking: links from the model, or none (not asked, or it failed twice). */
export interface LlmCausalResult {
  /** `llm`: a valid answer; `fallback`: it failed {@link LLM_CAUSAL_TRIES}×; `none`: not asked. */
  source: "llm" | "fallback" | "none";
  links: LlmCausalLink[];
  /** The last failure, for `fallback`. */
  error?: string;
}

const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v);
const indexLike = (v: unknown) =>
  typeof v === "string" && /^\s*\[?\s*\d+\s*\]?\s*$/.test(v) ? Number(v.replace(/\D/g, "")) : v;

/** The model's answer, before indices are mapped back to memory ids. */
export const LlmCausalAnswerSchema = z.object({
  links: z.array(z.object({
    index: z.preprocess(indexLike, z.number().int().min(0)),
    direction: z.preprocess(lower, z.enum(["cause", "effect"])),
    confidence: z.number().min(0).max(1),
  })).max(64),
});

const SYSTEM = [
  "You find cause-and-effect relations between a MEMORY and its NEIGHBOURS in a long-term",
  "memory store. Answer with one JSON object only, no prose:",
  '{"links": [{"index": <neighbour number>, "direction": "cause" | "effect", "confidence": <0..1>}]}',
  '"cause": the neighbour states a cause of what the MEMORY states (it explains why).',
  '"effect": the neighbour states a consequence of what the MEMORY states.',
  "List only clear causal relations, never mere topical similarity; answer",
  '{"links": []} when there are none. index must be one of the listed numbers.',
].join("\n");

/** The chat messages for one memory (exported for tests). */
export function causalPrompt(content: string, candidates: CausalCandidate[]): ChatMessage[] {
  return numberedPrompt(SYSTEM, "NEIGHBOURS", candidates, "MEMORY", content);
}

/**
 * Validate one answer and map its indices back to ids; throws `LlmError("shape")` on invalid
 * JSON, a wrong shape or an index that was not listed. Links below
 * {@link LLM_CAUSAL_MIN_CONFIDENCE} are dropped; a neighbour named twice keeps its surest link.
 */
export function parseCausalAnswer(text: string, candidates: CausalCandidate[]): LlmCausalLink[] {
  const answer = parseJsonAnswer(LlmCausalAnswerSchema, text, "causal links");
  const best = new Map<string, LlmCausalLink>();
  for (const l of answer.links) {
    const c = candidates[l.index];
    if (!c) throw new LlmError("shape", `unknown index ${l.index} (${candidates.length} listed)`);
    if (l.confidence < LLM_CAUSAL_MIN_CONFIDENCE) continue;
    const cur = best.get(c.id);
    if (!cur || l.confidence > cur.confidence) {
      best.set(c.id, { id: c.id, direction: l.direction, confidence: l.confidence });
    }
  }
  return [...best.values()];
}

/**
 * Ask the model which of `candidates` (at most {@link LLM_CAUSAL_NEIGHBOURS} are listed) are
 * causes or effects of `content`. Never throws: without settings or candidates nothing is
 * asked (`none`); after two failed tries the result is an empty `fallback`. Call it outside
 * any transaction, then write the links with {@link writeLlmCausalEdges}.
 *
 * @example
 * ```ts
 * const r = await askCausalLinks(settings, fact, neighbours);
 * store.transaction(() => writeLlmCausalEdges(store, id, namespace, r.links, now));
 * ```
 */
export async function askCausalLinks(
  llm: ChatSettings | null,
  content: string,
  candidates: CausalCandidate[],
): Promise<LlmCausalResult> {
  const listed = candidates.slice(0, LLM_CAUSAL_NEIGHBOURS);
  if (!llm || listed.length === 0) return { source: "none", links: [] };
  const r = await askParsed(
    llm,
    causalPrompt(content, listed),
    LLM_CAUSAL_TRIES,
    (text) => parseCausalAnswer(text, listed),
  );
  if ("value" in r) return { source: "llm", links: r.value };
  return { source: "fallback", links: [], error: r.error.slice(0, 300) };
}

/**
 * Store the model's links of memory `id` as automatic causal edges (cause → effect). A pair
 * that already has a causal edge in either direction (rules or manual) is skipped, and so is a
 * neighbour that is gone or in another namespace. Returns the number of edges written. Call
 * inside the transaction that wrote (or re-linked) the memory.
 */
export function writeLlmCausalEdges(
  store: Store,
  id: string,
  namespace: string,
  links: readonly LlmCausalLink[],
  now: string,
): number {
  if (links.length === 0) return 0;
  const linked = new Set(edgesTouching(store, [id], ["causal"]).map((e) => otherEnd(e, id)));
  let n = 0;
  for (const l of links) {
    if (l.id === id || linked.has(l.id)) continue;
    const other = store.getById(l.id);
    if (!other || other.record.namespace !== namespace) continue;
    const [src, dst] = l.direction === "cause" ? [l.id, id] : [id, l.id];
    upsertEdge(store, {
      src,
      dst,
      kind: "causal",
      namespace,
      weight: l.confidence,
      origin: "auto",
      detail: { source: "llm", confidence: l.confidence },
      created_at: now,
    });
    linked.add(l.id);
    n++;
  }
  return n;
}
