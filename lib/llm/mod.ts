/**
 * One small client for OpenAI-compatible chat completions (`POST {base_url}/chat/completions`,
 * non-streaming JSON response), used where the engine asks a model for a decision
 * (reconciliation in `drain`). No SDK: one fetch with a timeout; every failure is a
 * {@link LlmError} with a `kind` the caller can act on (retry, fall back).
 *
 * @module
 */
import type { z } from "zod";

/** Settings of one chat endpoint. */
export interface ChatSettings {
  /** Base URL such as `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when non-empty. */
  apiKey?: string;
  timeoutMs: number;
}

/** One chat message. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Why a chat call failed. */
export type LlmErrorKind = "timeout" | "unreachable" | "http" | "shape";

/** A failed chat call; the message never contains the API key. */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  constructor(kind: LlmErrorKind, message: string) {
    super(message);
    this.name = "LlmError";
    this.kind = kind;
  }
}

/** `{base}/chat/completions`, tolerating a trailing slash or a full endpoint URL. */
export function chatUrl(baseUrl: string): string {
  const b = baseUrl.replace(/\/+$/, "");
  return b.endsWith("/chat/completions") ? b : `${b}/chat/completions`;
}

/**
 * Ask for one completion and return the assistant message text. Requests JSON output
 * (`response_format: json_object`, temperature 0); the caller validates the text.
 *
 * @example
 * ```ts
 * const text = await chatComplete(
 *   { baseUrl: "http://127.0.0.1:11434/v1", model: "qwen2.5", timeoutMs: 10_000 },
 *   [{ role: "user", content: 'Answer {"ok":true}' }],
 * );
 * ```
 */
export async function chatComplete(s: ChatSettings, messages: ChatMessage[]): Promise<string> {
  const url = chatUrl(s.baseUrl);
  const where = `chat endpoint ${redactUrl(url)}`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (s.apiKey) headers.authorization = `Bearer ${s.apiKey}`;
  const ctl = new AbortController();
  const timer = setTimeout(
    () => ctl.abort(new DOMException("timeout", "TimeoutError")),
    s.timeoutMs,
  );
  let text: string;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({
        model: s.model,
        messages,
        temperature: 0,
        stream: false,
        response_format: { type: "json_object" },
      }),
      signal: ctl.signal,
    });
    text = await res.text();
    if (!res.ok) {
      throw new LlmError("http", `${where} answered HTTP ${res.status}: ${excerpt(s, text)}`);
    }
  } catch (e) {
    if (e instanceof LlmError) throw e;
    if (ctl.signal.aborted) {
      throw new LlmError("timeout", `${where} did not answer within ${s.timeoutMs} ms`);
    }
    const why = e instanceof Error ? e.message : String(e);
    throw new LlmError("unreachable", `${where} could not be reached: ${redact(s, why)}`);
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LlmError("shape", `${where} answered non-JSON: ${excerpt(s, text)}`);
  }
  const content = (body as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]
    ?.message?.content;
  if (typeof content !== "string") {
    throw new LlmError("shape", `${where}: no choices[0].message.content in the answer`);
  }
  return content;
}

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

function excerpt(s: ChatSettings, text: string): string {
  return redact(s, text.replace(/\s+/g, " ").trim().slice(0, 200));
}

function redact(s: ChatSettings, text: string): string {
  return s.apiKey ? text.replaceAll(s.apiKey, "***") : text;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString();
  } catch {
    return url;
  }
}
