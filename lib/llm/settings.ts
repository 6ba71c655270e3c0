/**
 * Which model answers, for each of memman's three roles: `[llm]` in memoryoss.toml, overridden
 * by memman's environment variables (the environment wins, as everywhere in memoryoss):
 *
 * - `MEMMAN_LLM_PROVIDER` (`openrouter` | `anthropic` | `openai`), `MEMMAN_LLM_ENDPOINT`
 *   (an OpenAI-compatible base URL; an openrouter.ai URL means OpenRouter),
 *   `MEMMAN_OPENROUTER_ENDPOINT`;
 * - keys: `MEMMAN_LLM_API_KEY`, then the vendor's own (`OPENROUTER_API_KEY`,
 *   `MEMMAN_OPENROUTER_API_KEY`, `ANTHROPIC_API_KEY`), then `[llm] api_key_env`, then the proxy's
 *   upstream key;
 * - models: `MEMMAN_LLM_MODEL_FAST` / `_SLOW_CANONICAL` / `_SLOW_METADATA`, then
 *   `MEMMAN_LLM_MODEL`, then `[llm] model`, then the provider's default;
 * - OpenRouter routing: `MEMMAN_LLM_PROVIDER_ONLY` (comma list), `MEMMAN_LLM_DATA_COLLECTION`,
 *   `MEMMAN_LLM_ZDR`.
 *
 * With neither `[llm] enabled = true` nor a `MEMMAN_LLM_PROVIDER`/`MEMMAN_LLM_ENDPOINT`, there
 * is no model (null) and every caller uses its deterministic local path.
 *
 * @module
 */
import type { Config } from "../config/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { ANTHROPIC_BASE_URL } from "./anthropic.ts";
import { OPENROUTER_BASE_URL } from "./openai.ts";
import { type ChatSettings, LLM_PROVIDERS, type LlmProvider } from "./types.ts";

/** memman's model roles: recall's query expansion, extraction/reconciliation, enrichment. */
export type LlmRole = "fast" | "slow_canonical" | "slow_metadata";

/** The model used when nothing names one. */
export const DEFAULT_MODELS: Record<LlmProvider, string> = {
  openai: "gpt-4o-mini",
  openrouter: "anthropic/claude-haiku-4.5",
  anthropic: "claude-haiku-4-5-20251001",
};

type Env = (k: string) => string | undefined;
const TRUTHY = new Set(["1", "true", "yes", "on"]);

/** True for openrouter.ai and its subdomains. */
export function isOpenRouterUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/^www\./, "");
    return host === "openrouter.ai" || host.endsWith(".openrouter.ai");
  } catch {
    return false;
  }
}

/**
 * The chat settings for `role`, or null when no model is configured.
 *
 * @example
 * ```ts
 * const s = resolveLlmSettings(config, "fast"); // null unless [llm] or MEMMAN_LLM_* say so
 * ```
 */
export function resolveLlmSettings(
  config: Config,
  role: LlmRole = "slow_canonical",
  env: Env = (k) => Deno.env.get(k),
): ChatSettings | null {
  const get = (k: string) => env(k)?.trim() || undefined;
  const l = config.llm;
  const endpoint = get("MEMMAN_LLM_ENDPOINT");
  const named = get("MEMMAN_LLM_PROVIDER")?.toLowerCase();
  if (!l.enabled && !endpoint && !named) return null;
  if (named && !(LLM_PROVIDERS as readonly string[]).includes(named)) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      `MEMMAN_LLM_PROVIDER: expected ${LLM_PROVIDERS.join(", ")}, got '${named}'`,
      ["MEMMAN_LLM_PROVIDER"],
    );
  }
  const provider = (named ??
    (endpoint ? (isOpenRouterUrl(endpoint) ? "openrouter" : "openai") : l.provider)) as LlmProvider;
  const sameAsConfig = provider === l.provider;
  const defaults: Record<LlmProvider, string> = {
    openai: config.proxy.upstream_url,
    openrouter: OPENROUTER_BASE_URL,
    anthropic: ANTHROPIC_BASE_URL,
  };
  const baseUrl = endpoint ??
    (provider === "openrouter" ? get("MEMMAN_OPENROUTER_ENDPOINT") : undefined) ??
    ((sameAsConfig && l.base_url) || defaults[provider]);
  const native: Record<LlmProvider, string[]> = {
    openai: [],
    openrouter: ["OPENROUTER_API_KEY", "MEMMAN_OPENROUTER_API_KEY"],
    anthropic: ["ANTHROPIC_API_KEY"],
  };
  const proxyKey = provider === "anthropic"
    ? config.proxy.anthropic_api_key
    : provider === "openai"
    ? config.proxy.upstream_api_key
    : "";
  const apiKey = ["MEMMAN_LLM_API_KEY", ...native[provider], l.api_key_env]
    .map((k) => (k ? get(k) : undefined)).find(Boolean) ?? (proxyKey || undefined);
  const model = get(`MEMMAN_LLM_MODEL_${role.toUpperCase()}`) ?? get("MEMMAN_LLM_MODEL") ??
    ((sameAsConfig && l.model) || DEFAULT_MODELS[provider]);
  const s: ChatSettings = { provider, baseUrl, model, apiKey, timeoutMs: l.timeout_ms };
  if (l.stream) s.stream = true;
  if (provider === "openrouter") s.routing = openRouterRouting(get);
  return s;
}

function openRouterRouting(get: (k: string) => string | undefined): Record<string, unknown> {
  const routing: Record<string, unknown> = {};
  const only = (get("MEMMAN_LLM_PROVIDER_ONLY") ?? "").split(",").map((x) => x.trim())
    .filter(Boolean);
  if (only.length) routing.only = only;
  const collection = get("MEMMAN_LLM_DATA_COLLECTION");
  if (collection) routing.data_collection = collection.toLowerCase();
  if (TRUTHY.has((get("MEMMAN_LLM_ZDR") ?? "").toLowerCase())) routing.zdr = true;
  return routing;
}
