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

/** What {@link askParsed} got: the parsed answer, or the last try's error message. */
export type ParsedAnswer<T> = { value: T } | { error: string };

/**
 * Ask up to `tries` times until `parse` accepts the answer (it throws on an invalid one, e.g.
 * through `parseJsonAnswer`). Never throws: a provider error or a refused answer is retried,
 * and after the last try its message is returned, for the caller's fallback.
 *
 * @example
 * ```ts
 * const r = await askParsed(settings, messages, 2, (text) => parseAnswer(text));
 * if ("error" in r) useRules(r.error);
 * ```
 */
export async function askParsed<T>(
  s: ChatSettings,
  messages: ChatMessage[],
  tries: number,
  parse: (text: string) => T,
): Promise<ParsedAnswer<T>> {
  let error = "";
  for (let i = 0; i < tries; i++) {
    try {
      return { value: parse(await chatComplete(s, messages)) };
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  }
  return { error };
}
