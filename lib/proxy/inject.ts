/**
 * The query taken from a request, the `<memory_context>` block (memoryOSS §3.5: the
 * `<task_state>` form for deploy/bugfix/review/style queries, else summary and evidence) within
 * the token budget, and its placement per provider: OpenAI chat system message (string or
 * content-part array), Responses `instructions`, Anthropic `system` (string or block array).
 */
import { compileTaskState, detectTaskContext, renderTaskStateXml } from "./task_state.ts";
import {
  EXACT_VALUE_HINT,
  exactFacts,
  exactFactXml,
  runtimeContractBlock,
  runtimeContractQuery,
} from "./exact_facts.ts";

/** A memory chosen for injection (tags, status and score feed the `<task_state>` form). */
export interface InjectableMemory {
  id: string;
  content: string;
  tags?: string[];
  status?: string;
  score?: number;
}

/** Loosely typed JSON object. */
export type JsonObject = Record<string, unknown>;

const QUERY_MAX_BYTES = 512;

/** Truncate to at most `max` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, max: number): string {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= max) return s;
  let end = max;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/** Text of a message `content`: a string, or the text of its text parts joined by newlines. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.flatMap((p) =>
    p && typeof p === "object" && typeof (p as JsonObject).text === "string" &&
      ["text", "input_text", "output_text"].includes(String((p as JsonObject).type))
      ? [(p as JsonObject).text as string]
      : []
  ).join("\n");
}

/**
 * The recall query: the last user message's text, at most 512 bytes.
 *
 * @example
 * ```ts
 * queryFromMessages([{ role: "user", content: "how do we deploy?" }]); // "how do we deploy?"
 * ```
 */
export function queryFromMessages(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as JsonObject | null;
    if (m && typeof m === "object" && m.role === "user") {
      return truncateUtf8(textOf(m.content).trim(), QUERY_MAX_BYTES);
    }
  }
  return "";
}

/** The recall query of a Responses request (`input` string or item list). */
export function queryFromResponsesInput(input: unknown): string {
  if (typeof input === "string") return truncateUtf8(input.trim(), QUERY_MAX_BYTES);
  return Array.isArray(input) ? queryFromMessages(input) : "";
}

const CONTEXT_SIZES: [RegExp, number][] = [
  [/^gpt-4\.1/, 1_047_576],
  [/^gpt-5/, 400_000],
  [/^(o1|o3|o4)/, 200_000],
  [/^gpt-4o|^gpt-4-turbo/, 128_000],
  [/^gpt-4/, 8_192],
  [/^gpt-3\.5/, 16_385],
  [/^claude/, 200_000],
];
const DEFAULT_CONTEXT = 32_768;

/** Context window of `model` (config overrides first, then the built-in table). */
export function contextSize(model: unknown, overrides: Record<string, number>): number {
  const name = typeof model === "string" ? model : "";
  if (overrides[name]) return overrides[name];
  return CONTEXT_SIZES.find(([re]) => re.test(name))?.[1] ?? DEFAULT_CONTEXT;
}

/** Token estimate used for the budget: UTF-8 bytes / 4. */
export function estimateTokens(s: string): number {
  return Math.ceil(new TextEncoder().encode(s).length / 4);
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function firstSentence(s: string): string {
  const t = s.trim().replace(/\s+/g, " ");
  const m = t.match(/^.{1,240}?[.!?](?=\s|$)/);
  return m ? m[0] : truncateUtf8(t, 240);
}

/** What {@link buildMemoryContext} made. */
export interface MemoryContext {
  /** The block ("" when nothing fits). */
  text: string;
  /** Ids of the memories that made it in (exact facts first, then the body's). */
  ids: string[];
  /** Memories the `<task_state>` left out for its bucket caps (not the budget). */
  notSelected: string[];
}

/**
 * The exact-value head of the block (memoryOSS §3.5): the hint when the query asks for an
 * exact value or the runtime contract, the runtime contract block, up to three exact facts;
 * each only when it still fits `fits`.
 */
function exactHead(
  memories: InjectableMemory[],
  query: string,
  fits: (s: string) => boolean,
): { text: string; ids: string[] } {
  const contract = runtimeContractQuery(query);
  const facts = exactFacts(memories, query);
  let text = "";
  const ids: string[] = [];
  if ((contract || facts.length) && fits(EXACT_VALUE_HINT)) text += EXACT_VALUE_HINT;
  if (contract && fits(text + runtimeContractBlock())) text += runtimeContractBlock();
  for (const f of facts) {
    if (!fits(text + exactFactXml(f))) break;
    text += exactFactXml(f);
    if (!ids.includes(f.memory_id)) ids.push(f.memory_id);
  }
  return { text, ids };
}

/**
 * Build the `<memory_context>` block for `memories` (best first) within `budgetTokens`.
 * Returns the text ("" when no memory made it in) and the ids that made it in. For a query
 * asking for an exact value, the block opens with `<exact_value_hint>`, `<runtime_contract>`
 * and `<exact_fact>` lines; when `query` is about a task (deploy, bugfix, review, style) and
 * the compiled `<task_state>` fits, that is the body; otherwise one summary (and evidence) per
 * memory.
 *
 * @example
 * ```ts
 * buildMemoryContext([{ id: "1", content: "Deploys run on Fridays." }], 1000).text;
 * // "\n\n<memory_context>\n<summary>Deploys run on Fridays.</summary>\n</memory_context>\n"
 * ```
 */
export function buildMemoryContext(
  memories: InjectableMemory[],
  budgetTokens: number,
  query = "",
): MemoryContext {
  const head = "\n\n<memory_context>\n";
  const tail = "</memory_context>\n";
  const within = (s: string) => estimateTokens(head + s + tail) <= budgetTokens;
  const exact = query ? exactHead(memories, query, within) : { text: "", ids: [] };
  const merge = (ids: string[]) => [...new Set([...exact.ids, ...ids])];
  const ctx = query ? detectTaskContext(query) : null;
  const state = ctx ? compileTaskState(memories, ctx) : null;
  if (state) {
    const body = exact.text + renderTaskStateXml(state);
    if (within(body)) {
      const ids = merge(state.inputs.selected_memory_ids);
      return {
        text: head + body + tail,
        ids,
        notSelected: state.inputs.omitted_memory_ids.filter((id) => !ids.includes(id)),
      };
    }
  }
  const s = summaries(memories, exact.text, within);
  const ids = merge(s.ids);
  if (ids.length === 0) return { text: "", ids, notSelected: [] };
  return { text: head + s.body + tail, ids, notSelected: [] };
}

/** The summary form of the body after `prefix`: one summary (and evidence) per memory. */
function summaries(
  memories: InjectableMemory[],
  prefix: string,
  within: (s: string) => boolean,
): { body: string; ids: string[] } {
  let body = prefix;
  const ids: string[] = [];
  let omittedEvidence = 0;
  for (const [i, m] of memories.entries()) {
    const summary = firstSentence(m.content);
    const item = `<summary>${esc(summary)}</summary>\n`;
    const preview = truncateUtf8(m.content.trim().replace(/\s+/g, " "), 400);
    const evidence = preview !== summary ? `<evidence>${esc(preview)}</evidence>\n` : "";
    if (within(body + item + evidence)) {
      body += item + evidence;
    } else if (within(body + item)) {
      body += item;
      if (evidence) omittedEvidence++;
    } else {
      const rest = memories.length - i;
      body += `<!-- ${rest} more memory summaries omitted for context budget -->\n`;
      break;
    }
    ids.push(m.id);
  }
  if (omittedEvidence) {
    body += `<!-- ${omittedEvidence} evidence previews omitted for context budget -->\n`;
  }
  return { body, ids };
}

/** Add `text` to a content value: appended to a string, pushed as a part to an array. */
function appendContent(content: unknown, text: string, partType: string): unknown {
  if (typeof content === "string") return content + text;
  if (Array.isArray(content)) return [...content, { type: partType, text: text.trimStart() }];
  return text.trimStart();
}

/**
 * Place the block in an OpenAI chat request: appended to the first system (or developer)
 * message, string or content-part array; otherwise a new system message at index 0.
 */
export function injectChat(body: JsonObject, text: string): void {
  const messages = body.messages as JsonObject[];
  const idx = messages.findIndex((m) => m?.role === "system" || m?.role === "developer");
  if (idx < 0) {
    messages.unshift({ role: "system", content: text.trimStart() });
    return;
  }
  const m = messages[idx];
  messages[idx] = { ...m, content: appendContent(m.content, text, "text") };
}

/** Place the block in a Responses request: appended to `instructions` (created if absent). */
export function injectResponses(body: JsonObject, text: string): void {
  body.instructions = typeof body.instructions === "string" && body.instructions
    ? body.instructions + text
    : text.trimStart();
}

/** Place the block in an Anthropic request: `system` string, block array, or a new string. */
export function injectAnthropic(body: JsonObject, text: string): void {
  body.system = appendContent(body.system, text, "text");
}
