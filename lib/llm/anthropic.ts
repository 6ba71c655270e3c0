/**
 * Anthropic's Messages API (`POST {base}/messages`, `x-api-key`, `anthropic-version:
 * 2023-06-01`). System messages go to the top-level `system`; the answer is the text of the
 * `content` blocks, or with `stream: true` the `text_delta`s of `content_block_delta` events
 * up to `message_stop`. An `error` event is a failure like an HTTP error.
 *
 * @module
 */
import { endpointUrl, parseEventData, postChat, redactUrl } from "./transport.ts";
import { type ChatMessage, type ChatSettings, DEFAULT_MAX_TOKENS, LlmError } from "./types.ts";

/** Default base URL (the Messages endpoint is `{base}/messages`). */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";
/** The API version the request pins. */
export const ANTHROPIC_VERSION = "2023-06-01";

/** The request body (exported for tests). */
export function anthropicBody(s: ChatSettings, messages: ChatMessage[]): Record<string, unknown> {
  const system = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
  const body: Record<string, unknown> = {
    model: s.model,
    max_tokens: s.maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature: 0,
    messages: messages.filter((m) => m.role !== "system")
      .map((m) => ({ role: m.role, content: m.content })),
    stream: s.stream === true,
  };
  if (system) body.system = system;
  return body;
}

/** One completion over the Anthropic Messages wire format; the assistant's text. */
export async function anthropicChat(s: ChatSettings, messages: ChatMessage[]): Promise<string> {
  const url = endpointUrl(s.baseUrl, "/messages");
  const where = `chat endpoint ${redactUrl(url)}`;
  const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION };
  if (s.apiKey) headers["x-api-key"] = s.apiKey;
  const answer = await postChat(s, url, headers, anthropicBody(s, messages));
  if (answer.kind === "json") {
    const content = (answer.body as { content?: { type?: unknown; text?: unknown }[] })?.content;
    if (!Array.isArray(content)) {
      throw new LlmError("shape", `${where}: no content blocks in the answer`);
    }
    return content.filter((b) => b?.type === "text" && typeof b.text === "string")
      .map((b) => b.text as string).join("");
  }
  let text = "";
  for await (const ev of answer.events) {
    const data = parseEventData(ev.data, where) as {
      type?: string;
      delta?: { type?: string; text?: unknown };
      error?: { type?: unknown; message?: unknown };
    };
    const type = data?.type ?? ev.event;
    if (type === "error") {
      const e = data?.error;
      throw new LlmError("http", `${where} failed mid-stream: ${e?.type}: ${e?.message}`);
    }
    if (type === "content_block_delta" && data.delta?.type === "text_delta") {
      if (typeof data.delta.text === "string") text += data.delta.text;
    }
    if (type === "message_stop") return text;
  }
  throw new LlmError("shape", `${where}: the stream ended before message_stop`);
}
