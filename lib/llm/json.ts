/**
 * Reading a model's answer as JSON: the first object in its text, checked by a zod schema;
 * and the numbered list models answer by number instead of by id, with the prompt around it.
 *
 * @module
 */
import type { z } from "zod";
import { type ChatMessage, LlmError } from "./types.ts";

/**
 * The first JSON object in a model's text: the whole text, or a fenced ```json block, or the
 * span from the first `{` to the last `}`. Throws `LlmError("shape")` when none parses.
 */
export function extractJson(text: string): unknown {
  const tries = [text.trim()];
  const fence = text.match(/```(?:json)?\s*([\s\S]*?)```/);
  if (fence) tries.push(fence[1].trim());
  const a = text.indexOf("{"), b = text.lastIndexOf("}");
  if (a >= 0 && b > a) tries.push(text.slice(a, b + 1));
  for (const t of tries) {
    try {
      return JSON.parse(t);
    } catch { /* next */ }
  }
  throw new LlmError("shape", `the model did not answer JSON: ${text.slice(0, 120)}`);
}

/**
 * The model's answer checked against `schema`: JSON found by {@link extractJson}, then zod.
 * Throws `LlmError("shape")` naming the first failing path, so callers retry or fall back.
 */
export function parseJsonAnswer<T>(schema: z.ZodType<T>, text: string, what: string): T {
  const parsed = schema.safeParse(extractJson(text));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new LlmError("shape", `invalid ${what}: ${issue.path.join(".")} ${issue.message}`);
}

/** Items shown to a model as `[0] …`, `[1] …` (one line each): it answers by number, not id. */
export function numberedList(items: readonly { content: string }[]): string {
  return items.map((c, i) => `[${i}] ${c.content.replace(/\s+/g, " ")}`).join("\n");
}

/**
 * The chat messages of a question about `subject` given numbered `items`: the `system` text,
 * then one user message `<itemsHead>:\n[0] …\n\n<subjectHead>:\n<subject>`.
 *
 * @example
 * ```ts
 * numberedPrompt(SYSTEM, "NEIGHBOURS", neighbours, "MEMORY", content);
 * ```
 */
export function numberedPrompt(
  system: string,
  itemsHead: string,
  items: readonly { content: string }[],
  subjectHead: string,
  subject: string,
): ChatMessage[] {
  return [
    { role: "system", content: system },
    {
      role: "user",
      content: `${itemsHead}:\n${numberedList(items)}\n\n${subjectHead}:\n${subject}`,
    },
  ];
}
