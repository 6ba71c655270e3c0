/**
 * The LLM proxy gateway (memoryOSS §3): OpenAI chat completions and Responses, Anthropic
 * messages, JSON and SSE. Before each call it recalls, gates and injects a
 * `<memory_context>` block; after a completed answer it extracts candidate facts in the
 * background. Memory never breaks a call: when recall fails or is slow the request goes
 * upstream unchanged (`x-memory-fail-open`). See docs/proxy.md.
 *
 * @module
 */
import { Hono } from "hono";
import { Extractor } from "../extract/mod.ts";
import type { Runtime, WriteQueue } from "../memory/mod.ts";
import { writeQueue } from "../memory/mod.ts";
import { isLoopback, resolveOpenAiAuth } from "./auth.ts";
import { ANTHROPIC, CHAT, RESPONSES } from "./flavors.ts";
import { type ProxyRecall, runtimeRecall } from "./gate.ts";
import { clientHost, proxyCall, type ProxyDeps } from "./handler.ts";
import { passthrough } from "./passthrough.ts";
import { injectionRecorder } from "./bookkeeping.ts";
import { injectionLogFor } from "./injection_log.ts";
import { newProxyStats, type ProxyStats } from "./stats.ts";

export {
  type Candidate,
  type Channels,
  gate,
  type GateResult,
  type ProxyRecall,
  recallWithBudget,
} from "./gate.ts";
export { type MemoryMode, type ModeDecision, resolveMemoryMode } from "./modes.ts";
export { type SseEvent, SseParser, tapStream } from "./sse.ts";
export {
  buildMemoryContext,
  contextSize,
  injectAnthropic,
  injectChat,
  injectResponses,
  queryFromMessages,
} from "./inject.ts";
export { findMapping, isLoopback, resolveAnthropicAuth, resolveOpenAiAuth } from "./auth.ts";
export type { ProxyStats } from "./stats.ts";
export {
  type GatedOut,
  gatedOutReason,
  INJECTION_LOG_CAPACITY,
  injectionEntry,
  InjectionLog,
  type InjectionLogEntry,
  injectionLogFor,
  loggedQuery,
} from "./injection_log.ts";
export {
  evaluateFirewall,
  type FirewallResult,
  firewallVerdict,
  type PolicyDecision,
  riskyActions,
} from "./firewall.ts";

/** Options for {@link createProxyApp}. */
export interface ProxyOptions {
  /** The runtime's write queue (the server's); a new one is made when absent. */
  queue?: WriteQueue;
  /** Extraction runner; tests pass their own to `drain()` it. */
  extractor?: Extractor;
  /** Recall implementation (default: hybrid recall on `rt`); tests swap in a broken one. */
  recall?: ProxyRecall;
  log?: (level: "error" | "warn" | "info" | "debug", line: string) => void;
  /** Counters (shared with the caller when given). */
  stats?: ProxyStats;
}

/**
 * The proxy as a Hono sub-app, to be mounted at `/proxy`.
 *
 * @example
 * ```ts
 * app.route("/proxy", createProxyApp(rt, { queue }));
 * ```
 */
export function createProxyApp(rt: Runtime, opts: ProxyOptions = {}): Hono {
  const cfg = rt.config.proxy;
  const app = new Hono();
  const notFound = () =>
    Response.json({
      error: {
        message: cfg.enabled ? "no such proxy route" : "the proxy is disabled (proxy.enabled)",
        type: "invalid_request_error",
        code: null,
      },
    }, { status: 404 });
  if (!cfg.enabled) {
    app.all("*", notFound);
    return app;
  }
  const log = opts.log ?? (() => {});
  const queue = opts.queue ?? writeQueue(rt);
  const deps: ProxyDeps = {
    config: cfg,
    recall: opts.recall ?? runtimeRecall(rt),
    extractor: opts.extractor ??
      new Extractor(rt, queue, { capacity: cfg.extraction_queue_size, log }),
    recordInjection: injectionRecorder(rt, queue, log),
    injectionLog: injectionLogFor(rt),
    stats: opts.stats ?? newProxyStats(),
    log,
  };

  app.post("/v1/chat/completions", (c) => proxyCall(c, CHAT, deps));
  app.post("/v1/responses", (c) => proxyCall(c, RESPONSES, deps));
  app.post("/anthropic/v1/messages", (c) => proxyCall(c, ANTHROPIC, deps));
  // SDKs that append `/v1` to a base URL ending in `/v1`.
  app.post("/anthropic/v1/v1/messages", (c) => proxyCall(c, ANTHROPIC, deps));

  const openAiAuth = (c: Parameters<typeof clientHost>[0]) =>
    resolveOpenAiAuth(cfg, c.req.raw.headers, isLoopback(clientHost(c)));
  const unauthorized = () =>
    Response.json({
      error: {
        message: "invalid or missing proxy API key",
        type: "authentication_error",
        code: null,
      },
    }, { status: 401 });

  app.get("/v1/models", async (c) => {
    const auth = openAiAuth(c);
    if (!auth) return unauthorized();
    let up: Response;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), cfg.upstream_timeout_ms);
    try {
      up = await fetch(`${cfg.upstream_url.replace(/\/+$/, "")}/models`, {
        headers: auth.headers,
        signal: ctrl.signal,
      });
    } catch {
      clearTimeout(timer);
      deps.stats.upstream_errors++;
      return Response.json(
        { error: { message: "upstream request failed", type: "upstream_error", code: null } },
        { status: 502 },
      );
    }
    const text = await up.text().finally(() => clearTimeout(timer));
    try {
      const j = JSON.parse(text);
      // Codex reads `models`; OpenAI returns `data`.
      if (up.ok && j && Array.isArray(j.data) && j.models === undefined) j.models = j.data;
      return Response.json(j, { status: up.status });
    } catch {
      return new Response(text, { status: up.status, headers: { "content-type": "text/plain" } });
    }
  });

  app.get("/v1/debug/stats", (c) => {
    if (!openAiAuth(c)) return unauthorized();
    return Response.json({
      proxy: deps.stats,
      extraction: deps.extractor.stats(),
      memory_coprocessor: "local_heuristic",
    });
  });

  // Anything else under /v1/ goes upstream as is, without memory.
  app.all("/v1/*", (c) => passthrough(c, cfg));
  app.all("*", notFound);
  return app;
}
