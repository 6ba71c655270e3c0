/**
 * The one entry point of a chat call: dispatch on the settings' wire format.
 *
 * @module
 */
import { anthropicChat } from "./anthropic.ts";
import { openaiChat } from "./openai.ts";
import type { ChatMessage, ChatSettings } from "./types.ts";

/**
 * Ask for one completion and return the assistant's text, over the settings' wire format
 * (`provider`, default OpenAI-compatible). JSON output is requested (temperature 0); the
 * caller validates the text with `parseJsonAnswer`.
 *
 * @example
 * ```ts
 * const text = await chatComplete(
 *   { baseUrl: "http://127.0.0.1:11434/v1", model: "qwen2.5", timeoutMs: 10_000 },
 *   [{ role: "user", content: 'Answer {"ok":true}' }],
 * );
 * ```
 */
export function chatComplete(s: ChatSettings, messages: ChatMessage[]): Promise<string> {
  return s.provider === "anthropic" ? anthropicChat(s, messages) : openaiChat(s, messages);
}
