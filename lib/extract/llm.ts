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
import { chatComplete, type ChatMessage, type ChatSettings, parseJsonAnswer } from "../llm/mod.ts";
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
    .replace(/\s+/g, " ").trim();

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
    const text = stripRefs(redactSensitive(f.text));
    if (text.length < 8 || isRedacted(text) || !isSafeForInjection(text)) continue;
    const content = /[.!?]$/.test(text) ? text : `${text}.`;
    if (seen.has(content.toLowerCase())) continue;
    seen.add(content.toLowerCase());
    const category = (LLM_CATEGORIES as readonly string[]).includes(f.category)
      ? f.category as LlmFact["category"]
      : "fact";
    const importance = Math.min(
      5,
      Math.max(2, Math.round(Number.isFinite(f.importance) ? f.importance : 3)),
    );
    const entities = [...new Set(f.entities.map((e) => e.slice(0, 100)))].slice(0, 20);
    facts.push({ content, tags: ["proxy-extracted", category], category, importance, entities });
    if (facts.length >= MAX_FACTS) break;
  }
  return { decision: facts.length ? "extract" : "abstain", facts };
}
