/**
 * Extraction by a chat model (`[llm]` or memman's `MEMMAN_LLM_*`, role `slow_canonical`),
 * with memman's extraction rules: skip non-durable input (status updates, receipts,
 * in-progress notes, metrics, greetings) with `{"facts": [], "skip_reason"}`, otherwise
 * rewrite into canonical, self-contained prose (no "currently"/"as of", past decisions as
 * present rules, names and numbers verbatim) as `{text, category, importance 2–5, entities}`.
 * Secrets are redacted before the turns leave the machine, and every fact passes the same
 * safety filter as the heuristic's. Callers fall back to the heuristic on any error.
 *
 * @module
 */
import { z } from "zod";
import {
  chatComplete,
  type ChatMessage,
  type ChatSettings,
  LlmError,
  parseJsonAnswer,
} from "../llm/mod.ts";
import type { ExtractedFact, Extraction, Turn } from "./heuristic.ts";
import { isRedacted, redactSensitive } from "./redact.ts";
import { isSafeForInjection } from "./safety.ts";

const MAX_FACTS = 5;
const LLM_CATEGORIES = ["preference", "decision", "fact", "insight", "context"] as const;

/** One extracted fact, after clamping (exported for tests). */
export interface LlmFact extends ExtractedFact {
  category: (typeof LLM_CATEGORIES)[number];
  /** 2–5, memman's clamp. */
  importance: number;
  entities: string[];
}

/** The model's answer (exported for tests). */
export const ExtractionAnswerSchema = z.object({
  facts: z.array(z.object({
    text: z.string().trim().min(1).max(8000),
    category: z.string().trim().toLowerCase().catch("fact"),
    importance: z.coerce.number().catch(3),
    entities: z.array(z.string().trim().min(1)).catch([]).default([]),
  })).default([]),
  skip_reason: z.string().nullish(),
});

const SYSTEM = [
  "You extract durable memories for a coding agent from one exchange between a user and an",
  "assistant. Answer with one JSON object only, no prose:",
  '{"facts": [{"text": "...", "category": "preference|decision|fact|insight|context",',
  ' "importance": 2-5, "entities": ["..."]}], "skip_reason": null}',
  "Rules:",
  "- Only what the USER stated or decided; never the assistant's suggestions.",
  "- Skip non-durable input (status updates, receipts, in-progress notes, metrics, greetings):",
  '  answer {"facts": [], "skip_reason": "<why>"}.',
  '- Rewrite each fact as canonical, self-contained prose: drop headers, "currently", "as of"',
  "  and filler; resolve pronouns; turn past decisions into present rules; keep names and",
  "  numbers verbatim; no line numbers or file:line references.",
  "- Importance: 3 by default, 4 for a decision or strong preference, 5 for a rare",
  "  cross-codebase invariant.",
  `- At most ${MAX_FACTS} facts, one idea each.`,
].join("\n");

/** The chat messages for one exchange, secrets redacted (exported for tests). */
export function extractionPrompt(turns: Turn[]): ChatMessage[] {
  const body = turns.map((t) => `${t.role.toUpperCase()}: ${redactSensitive(t.content)}`)
    .join("\n\n");
  return [{ role: "system", content: SYSTEM }, { role: "user", content: body }];
}

const stripRefs = (s: string) =>
  s.replace(/\b(on |at )?line \d+\b/gi, "").replace(/\b[\w./-]+\.\w{1,5}:\d+\b/g, "")
    .replace(/\(\s*\)|\[\s*\]/g, "").replace(/\s+/g, " ").replace(/ ([.,;:!?])/g, "$1").trim();

/**
 * Ask the model for the exchange's durable facts. Throws `LlmError` on a provider error or an
 * invalid answer (the caller falls back to the heuristic).
 *
 * @example
 * ```ts
 * const { facts } = await llmExtract(settings, [{ role: "user", content: "We ship on Fridays." }]);
 * ```
 */
export async function llmExtract(s: ChatSettings, turns: Turn[]): Promise<Extraction> {
  const answer = parseJsonAnswer(
    ExtractionAnswerSchema,
    await chatComplete(s, extractionPrompt(turns)),
    "extraction answer",
  );
  const facts: LlmFact[] = [];
  const seen = new Set<string>();
  for (const f of answer.facts) {
    const fact = cleanFact(f);
    if (!fact || seen.has(fact.content.toLowerCase())) continue;
    seen.add(fact.content.toLowerCase());
    facts.push(fact);
    if (facts.length >= MAX_FACTS) break;
  }
  return { decision: facts.length ? "extract" : "abstain", facts };
}

type AnswerFact = z.infer<typeof ExtractionAnswerSchema>["facts"][number];

/** memman's post-processing: redact, strip `line N` / `file.ext:N`, clamp; null if unusable. */
function cleanFact(f: AnswerFact): LlmFact | null {
  const text = stripRefs(redactSensitive(f.text));
  if (text.length < 8 || isRedacted(text) || !isSafeForInjection(text)) return null;
  const content = /[.!?]$/.test(text) ? text : `${text}.`;
  const category = (LLM_CATEGORIES as readonly string[]).includes(f.category)
    ? f.category as LlmFact["category"]
    : "fact";
  const importance = Math.min(
    5,
    Math.max(2, Math.round(Number.isFinite(f.importance) ? f.importance : 3)),
  );
  const entities = [...new Set(f.entities.map((e) => e.slice(0, 100)))].slice(0, 20);
  return { content, tags: ["proxy-extracted", category], category, importance, entities };
}

const CANONICAL_SYSTEM = [
  "You rewrite one note a coding agent asked to remember into its canonical form. Answer with",
  "one JSON object only, no prose:",
  '{"facts": [{"text": "...", "category": "preference|decision|fact|insight|context",',
  ' "importance": 2-5, "entities": ["..."]}], "skip_reason": null}',
  "Rules:",
  "- Skip non-durable input (status updates, receipts, in-progress notes, metrics, greetings):",
  '  answer {"facts": [], "skip_reason": "<why>"}.',
  "- Otherwise return EXACTLY ONE fact, a one-to-one rewrite into canonical prose: drop SHOUTY",
  '  headers, "memory [N]", anaphoric openers, "currently", "as of" and filler; turn past',
  "  decisions into present rules; keep names and numbers verbatim; no line numbers or",
  "  file:line references.",
  "- Importance: 3 by default, 4 for a decision or strong preference, 5 for a rare",
  "  cross-codebase invariant.",
].join("\n");

/** What {@link llmCanonical} decided: the rewritten fact, or the model's reason to skip. */
export type CanonicalAnswer = { fact: LlmFact } | { skip: string };

/**
 * memman's drain-time rewrite (role `slow_canonical`): one remembered note becomes exactly one
 * canonical fact, or is skipped as non-durable (`{"facts": [], "skip_reason"}`). Throws
 * `LlmError` on a provider error, an invalid answer, or a fact that fails the filters (the
 * caller keeps the text as written).
 *
 * @example
 * ```ts
 * const a = await llmCanonical(settings, "currently we deploy on Fridays");
 * ```
 */
export async function llmCanonical(s: ChatSettings, text: string): Promise<CanonicalAnswer> {
  const answer = parseJsonAnswer(
    ExtractionAnswerSchema,
    await chatComplete(s, [
      { role: "system", content: CANONICAL_SYSTEM },
      { role: "user", content: redactSensitive(text) },
    ]),
    "canonical rewrite",
  );
  const skip = answer.skip_reason?.trim();
  if (answer.facts.length === 0 && skip) return { skip };
  const fact = answer.facts.length ? cleanFact(answer.facts[0]) : null;
  if (!fact) {
    throw new LlmError("shape", "canonical rewrite: no usable fact and no skip_reason");
  }
  return { fact: { ...fact, tags: [fact.category] } };
}
