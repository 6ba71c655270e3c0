/**
 * OpenAI-compatible chat completions (`POST {base}/chat/completions`): OpenAI, OpenRouter,
 * Ollama's /v1, vLLM, llama-server, LiteLLM. The answer is `choices[0].message.content`, or
 * with `stream: true` the `choices[0].delta.content` pieces of the events up to `data: [DONE]`.
 * OpenRouter gets its `provider` routing object and an `X-Title` header.
 *
 * @module
 */
import { endpointUrl, parseEventData, postChat, redactUrl } from "./transport.ts";
import { type ChatMessage, type ChatSettings, LlmError } from "./types.ts";

/** Default base URLs per provider of this wire format. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";
export const OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";

/** `{base}/chat/completions`, tolerating a trailing slash or a full endpoint URL. */
export function chatUrl(baseUrl: string): string {
  return endpointUrl(baseUrl, "/chat/completions");
}

/** The request body (exported for tests). */
export function openaiBody(s: ChatSettings, messages: ChatMessage[]): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: s.model,
    messages,
    temperature: 0,
    stream: s.stream === true,
    response_format: { type: "json_object" },
  };
  // Only when asked: newer OpenAI models refuse `max_tokens` (they want max_completion_tokens).
  if (s.maxTokens) body.max_tokens = s.maxTokens;
  if (s.provider === "openrouter" && s.routing && Object.keys(s.routing).length > 0) {
    body.provider = s.routing;
  }
  return body;
}

/** One completion over the OpenAI wire format; the assistant's text. */
export async function openaiChat(s: ChatSettings, messages: ChatMessage[]): Promise<string> {
  const url = chatUrl(s.baseUrl);
  const where = `chat endpoint ${redactUrl(url)}`;
  const headers: Record<string, string> = {};
  if (s.apiKey) headers.authorization = `Bearer ${s.apiKey}`;
  if (s.provider === "openrouter") headers["x-title"] = "memoryoss";
  const answer = await postChat(s, url, headers, openaiBody(s, messages));
  if (answer.kind === "json") {
    const content = (answer.body as { choices?: { message?: { content?: unknown } }[] })
      ?.choices?.[0]?.message?.content;
    if (typeof content !== "string") {
      throw new LlmError("shape", `${where}: no choices[0].message.content in the answer`);
    }
    return content;
  }
  let text = "";
  let done = false;
  for await (const ev of answer.events) {
    if (ev.data.trim() === "[DONE]") {
      done = true;
      break;
    }
    const chunk = parseEventData(ev.data, where) as {
      error?: { message?: unknown };
      choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[];
    };
    if (chunk?.error) {
      throw new LlmError("http", `${where} failed mid-stream: ${String(chunk.error.message)}`);
    }
    const piece = chunk?.choices?.[0]?.delta?.content;
    if (typeof piece === "string") text += piece;
    if (chunk?.choices?.[0]?.finish_reason) done = true;
  }
  if (!done) throw new LlmError("shape", `${where}: the stream ended before [DONE]`);
  return text;
}
