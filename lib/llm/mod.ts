/**
 * The chat clients behind every model decision (drain reconciliation, causal links, proxy
 * extraction, `recall --expand`): one client per wire format, OpenAI-compatible chat
 * completions (OpenAI, OpenRouter, Ollama, vLLM, …) and Anthropic Messages, each reading a
 * JSON answer or server-sent events. No SDK: one fetch with a timeout; every failure is an
 * {@link LlmError} with a `kind` the caller can act on (retry, fall back to the local path).
 *
 * @module
 */
export {
  type ChatMessage,
  type ChatSettings,
  DEFAULT_MAX_TOKENS,
  LLM_PROVIDERS,
  LlmError,
  type LlmErrorKind,
  type LlmProvider,
} from "./types.ts";
export { chatUrl, OPENAI_BASE_URL, OPENROUTER_BASE_URL } from "./openai.ts";
export { ANTHROPIC_BASE_URL, ANTHROPIC_VERSION } from "./anthropic.ts";
export { extractJson, numberedPrompt, parseJsonAnswer } from "./json.ts";
export { DEFAULT_MODELS, isOpenRouterUrl, type LlmRole, resolveLlmSettings } from "./settings.ts";
export {
  expandForRecall,
  type ExpandOptions,
  expandQuery,
  type Expansion,
  type ExpansionFields,
} from "./expand.ts";

export { askParsed, chatComplete } from "./chat.ts";
export { ENV_FILE, envFilePath, homeEnv, readEnvFile, writeEnvFile } from "./env_file.ts";
