/**
 * memman's `recall --expand`: the `fast` model rewrites a query as
 * `{expanded_query (< 50 words), keywords, entities, intent}`; the recall then runs on the
 * expanded query with the keywords and entities it did not already name appended. Answers
 * are cached for 300 s per (model, query). Any provider error or invalid answer returns the
 * query as typed (`source: "fallback"`), so recall never fails because of the model.
 *
 * @module
 */
import { z } from "zod";
import { chatComplete } from "./chat.ts";
import { parseJsonAnswer } from "./json.ts";
import type { ChatMessage, ChatSettings } from "./types.ts";
import type { Config } from "../config/mod.ts";
import { homeEnv } from "./env_file.ts";
import { resolveLlmSettings } from "./settings.ts";

/** How long an expansion is reused (memman: 300 s). */
export const EXPANSION_TTL_MS = 300_000;

/** The model's answer (exported for tests). */
export const ExpansionSchema = z.object({
  expanded_query: z.string().trim().min(1).max(1000),
  keywords: z.array(z.string().trim().min(1)).max(20).default([]),
  entities: z.array(z.string().trim().min(1)).max(20).default([]),
  intent: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.enum(["WHY", "WHEN", "ENTITY", "GENERAL"]),
  ).catch("GENERAL"),
});

/** What `--expand` did: the query recall ran, and where it came from. */
export interface Expansion {
  /** `llm`: the model's expansion; `cache`: the same, reused; `fallback`: the provider failed; `off`: no model. */
  source: "llm" | "cache" | "fallback" | "off";
  original: string;
  /** The query recall runs (the original on `fallback` and `off`). */
  query: string;
  keywords: string[];
  entities: string[];
  intent: "WHY" | "WHEN" | "ENTITY" | "GENERAL" | null;
  /** Why the model was not used (fallback, off). */
  error?: string;
}

/** Options of {@link expandQuery}. */
export interface ExpandOptions {
  /** Clock for the cache (tests). */
  now?: () => number;
}

const SYSTEM = [
  "You expand search queries for a long-term memory store of a coding agent.",
  "Answer with one JSON object only, no prose:",
  '{"expanded_query": "<the query rewritten with synonyms and related terms, under 50 words>",',
  ' "keywords": ["<distinctive search terms>"], "entities": ["<names of people, projects, tools>"],',
  ' "intent": "WHY" | "WHEN" | "ENTITY" | "GENERAL"}',
  "WHY: asks for reasons or causes. WHEN: asks about time or order. ENTITY: asks what or who",
  "something is. GENERAL: anything else. Keep names and numbers verbatim.",
].join("\n");

const cache = new Map<string, { at: number; value: z.infer<typeof ExpansionSchema> }>();

/** The chat messages for one query (exported for tests). */
export function expansionPrompt(query: string): ChatMessage[] {
  return [{ role: "system", content: SYSTEM }, { role: "user", content: `Query: ${query}` }];
}

/**
 * Expand `query` with the `fast` model; never throws.
 *
 * @example
 * ```ts
 * const x = await expandQuery(resolveLlmSettings(config, "fast"), "why postgres?");
 * recall(rt, { query: x.query });
 * ```
 */
export async function expandQuery(
  s: ChatSettings | null,
  query: string,
  opts: ExpandOptions = {},
): Promise<Expansion> {
  const base = { original: query, query, keywords: [], entities: [], intent: null };
  if (!s) {
    return { ...base, source: "off", error: "no model configured ([llm] or MEMMAN_LLM_*)" };
  }
  const now = (opts.now ?? Date.now)();
  const key = `${s.provider ?? "openai"}\u0000${s.baseUrl}\u0000${s.model}\u0000${query}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < EXPANSION_TTL_MS) return expansion(query, hit.value, "cache");
  try {
    const value = parseJsonAnswer(
      ExpansionSchema,
      await chatComplete(s, expansionPrompt(query)),
      "query expansion",
    );
    cache.set(key, { at: now, value });
    return expansion(query, value, "llm");
  } catch (e) {
    return { ...base, source: "fallback", error: e instanceof Error ? e.message : String(e) };
  }
}

function expansion(
  original: string,
  v: z.infer<typeof ExpansionSchema>,
  source: "llm" | "cache",
): Expansion {
  const seen = v.expanded_query.toLowerCase();
  const extra = [...v.keywords, ...v.entities].filter((t, i, all) =>
    !seen.includes(t.toLowerCase()) && all.indexOf(t) === i
  );
  const query = [v.expanded_query, ...extra].join(" ");
  return { source, original, query, keywords: v.keywords, entities: v.entities, intent: v.intent };
}

/** What a recall answer carries when expansion was asked for (CLI `--json`, HTTP, MCP). */
export interface ExpansionFields {
  query_expansion: Expansion;
  /** Present when the model was not used: the query ran as typed. */
  warning?: string;
}

/**
 * The one path every recall surface takes for `expand`: the `fast` model from `[llm]`,
 * `MEMMAN_LLM_*` and `<home>/env`, then {@link expandQuery}. Never throws for a provider
 * error (a warning instead); an invalid `MEMMAN_LLM_PROVIDER` is a config error (exit 3 / 400).
 *
 * @example
 * ```ts
 * const x = await expandForRecall(rt.config, rt.loaded.home, "why postgres?");
 * const res = await recall(rt, { query: x.query_expansion.query });
 * return { ...res, ...x };
 * ```
 */
export async function expandForRecall(
  config: Config,
  home: string,
  query: string,
  opts: ExpandOptions = {},
): Promise<ExpansionFields> {
  const x = await expandQuery(resolveLlmSettings(config, "fast", homeEnv(home)), query, opts);
  return x.error
    ? { query_expansion: x, warning: `query expansion: ${x.error}; query used as typed` }
    : { query_expansion: x };
}
