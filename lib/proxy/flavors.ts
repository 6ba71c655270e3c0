/**
 * What differs between the three upstream APIs: where the request goes, how it
 * authenticates, where the query comes from, where memory is placed, how the answer text is
 * read from JSON or SSE, and what an error body looks like.
 */
import type { Config } from "../config/mod.ts";
import type { Turn } from "../extract/mod.ts";
import { resolveAnthropicAuth, resolveOpenAiAuth, type UpstreamAuth } from "./auth.ts";
import {
  injectAnthropic,
  injectChat,
  injectResponses,
  type JsonObject,
  queryFromMessages,
  queryFromResponsesInput,
  textOf,
} from "./inject.ts";
import type { SseEvent } from "./sse.ts";

/** Streaming accumulator: the answer text so far and whether the stream completed. */
export interface Accumulator {
  text: string;
  completed: boolean;
}

/** One upstream API. */
export interface Flavor {
  name: "chat" | "responses" | "anthropic";
  url(cfg: Config["proxy"]): string;
  auth(cfg: Config["proxy"], headers: Headers, loopback: boolean): UpstreamAuth | null;
  /** An error message when the body is unusable. */
  invalid(body: JsonObject): string | null;
  query(body: JsonObject): string;
  inject(body: JsonObject, text: string): void;
  /** The conversation as turns (for extraction), before injection. */
  turns(body: JsonObject): Turn[];
  onEvent(ev: SseEvent, acc: Accumulator): void;
  /** The answer text of a JSON response. */
  answer(res: JsonObject): string;
  error(message: string, type: string): JsonObject;
}

const ACC_MAX = 512_000;

function append(acc: Accumulator, s: unknown): void {
  if (typeof s === "string" && acc.text.length < ACC_MAX) {
    acc.text = (acc.text + s).slice(0, ACC_MAX);
  }
}

function parse(data: string): JsonObject | null {
  try {
    const v = JSON.parse(data);
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

function messageTurns(messages: unknown): Turn[] {
  if (!Array.isArray(messages)) return [];
  return messages.flatMap((m) =>
    m && typeof m === "object" && typeof (m as JsonObject).role === "string"
      ? [{ role: (m as JsonObject).role as string, content: textOf((m as JsonObject).content) }]
      : []
  );
}

/** A body whose conversation is `messages` (chat completions and Anthropic messages alike). */
const MESSAGES_BODY: Pick<Flavor, "invalid" | "query" | "turns"> = {
  invalid: (b) => Array.isArray(b.messages) ? null : "messages must be an array",
  query: (b) => queryFromMessages(b.messages as unknown[]),
  turns: (b) => messageTurns(b.messages),
};

const openAiError = (message: string, type: string) => ({ error: { message, type, code: null } });

/** OpenAI `POST /v1/chat/completions`. */
export const CHAT: Flavor = {
  name: "chat",
  url: (cfg) => `${cfg.upstream_url.replace(/\/+$/, "")}/chat/completions`,
  auth: resolveOpenAiAuth,
  ...MESSAGES_BODY,
  inject: injectChat,
  onEvent(ev, acc) {
    if (ev.data.trim() === "[DONE]") {
      acc.completed = true;
      return;
    }
    const j = parse(ev.data);
    const choice = (j?.choices as JsonObject[] | undefined)?.[0];
    append(acc, (choice?.delta as JsonObject | undefined)?.content);
  },
  answer(res) {
    const choice = (res.choices as JsonObject[] | undefined)?.[0];
    return textOf((choice?.message as JsonObject | undefined)?.content);
  },
  error: openAiError,
};

/** OpenAI `POST /v1/responses`. */
export const RESPONSES: Flavor = {
  name: "responses",
  url: (cfg) => `${cfg.upstream_url.replace(/\/+$/, "")}/responses`,
  auth: resolveOpenAiAuth,
  invalid: (b) =>
    typeof b.input === "string" || Array.isArray(b.input)
      ? null
      : "input must be a string or array",
  query: (b) => queryFromResponsesInput(b.input),
  inject: injectResponses,
  turns: (b) =>
    typeof b.input === "string" ? [{ role: "user", content: b.input }] : messageTurns(b.input),
  onEvent(ev, acc) {
    const j = parse(ev.data);
    const type = j?.type ?? ev.event;
    if (type === "response.output_text.delta") append(acc, j?.delta);
    if (type === "response.completed") acc.completed = true;
  },
  answer(res) {
    if (typeof res.output_text === "string") return res.output_text;
    const out = Array.isArray(res.output) ? res.output as JsonObject[] : [];
    return out.map((o) => textOf(o.content)).filter(Boolean).join("\n");
  },
  error: openAiError,
};

/** Anthropic `POST /v1/messages`. */
export const ANTHROPIC: Flavor = {
  name: "anthropic",
  url: (cfg) => cfg.anthropic_upstream_url,
  auth: resolveAnthropicAuth,
  ...MESSAGES_BODY,
  inject: injectAnthropic,
  onEvent(ev, acc) {
    const j = parse(ev.data);
    const type = j?.type ?? ev.event;
    if (type === "content_block_delta") {
      const d = j?.delta as JsonObject | undefined;
      if (d?.type === "text_delta") append(acc, d.text);
    }
    if (type === "message_stop") acc.completed = true;
  },
  answer: (res) => textOf(res.content),
  error: (message, type) => ({ type: "error", error: { type, message } }),
};
