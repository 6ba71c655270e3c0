/**
 * The shared types of the chat clients: settings of one endpoint, messages, and the one
 * failure type ({@link LlmError}) every provider maps its errors to.
 *
 * @module
 */

/** Which wire format an endpoint speaks. `openrouter` is OpenAI's, plus routing and headers. */
export type LlmProvider = "openai" | "openrouter" | "anthropic";

/** The LLM providers, as `[llm] provider` and `MEMMAN_LLM_PROVIDER` spell them. */
export const LLM_PROVIDERS: readonly LlmProvider[] = ["openai", "openrouter", "anthropic"];

/** Settings of one chat endpoint. */
export interface ChatSettings {
  /** Wire format (default `openai`: OpenAI-compatible chat completions). */
  provider?: LlmProvider;
  /** Base URL such as `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /** `Authorization: Bearer …` (OpenAI, OpenRouter) or `x-api-key` (Anthropic) when non-empty. */
  apiKey?: string;
  timeoutMs: number;
  /** Ask for server-sent events instead of one JSON body (the answer is the same text). */
  stream?: boolean;
  /** Most tokens of the answer (Anthropic requires it; default 1024). */
  maxTokens?: number;
  /** OpenRouter's `provider` routing object (`only`, `data_collection`, `zdr`), sent verbatim. */
  routing?: Record<string, unknown>;
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

/** Default answer budget when the settings name none. */
export const DEFAULT_MAX_TOKENS = 1024;
