/**
 * The LLM proxy gateway (memoryOSS §3): OpenAI chat completions and Responses, Anthropic
 * messages, JSON and SSE. Before each call it recalls, gates and injects a
 * `<memory_context>` block; after a completed answer it extracts candidate facts in the
 * background. Memory never breaks a call: when recall fails or is slow the request goes
 * upstream unchanged (`x-memory-fail-open`). See docs/proxy.md.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { Config } from "../config/mod.ts";
import { Extractor } from "../extract/mod.ts";
import type { Runtime, WriteQueue } from "../memory/mod.ts";
import { writeQueue } from "../memory/mod.ts";
import { isLoopback, resolveOpenAiAuth } from "./auth.ts";
import { ANTHROPIC, CHAT, RESPONSES } from "./flavors.ts";
import { type ProxyRecall, runtimeRecall } from "./gate.ts";
import { clientHost, type ProxyEnv } from "./env.ts";
import { proxyCall, type ProxyDeps } from "./handler.ts";
import { passthrough } from "./passthrough.ts";
import { injectionRecorder } from "./bookkeeping.ts";
import { injectionLogFor } from "./injection_log.ts";
import { newProxyStats, type ProxyStats } from "./stats.ts";

export { type Candidate, gate, type ProxyRecall } from "./gate.ts";
export { resolveMemoryMode } from "./modes.ts";
export { SseParser, tapStream } from "./sse.ts";
export {
  buildMemoryContext,
  contextSize,
  injectAnthropic,
  injectChat,
  injectResponses,
  queryFromMessages,
} from "./inject.ts";
export { exactValueQuery, runtimeContractQuery } from "./exact_facts.ts";
export { compileTaskState, detectTaskContext, renderTaskStateXml } from "./task_state.ts";
export { findMapping, isLoopback, resolveAnthropicAuth, resolveOpenAiAuth } from "./auth.ts";
export type { ProxyStats } from "./stats.ts";
export {
  gatedOutReason,
  InjectionLog,
  type InjectionLogEntry,
  injectionLogFor,
  loggedQuery,
} from "./injection_log.ts";
export { evaluateFirewall, riskyActions } from "./firewall.ts";

/** Options for {@link createProxyApp}. */
interface ProxyOptions {
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

/** The proxy's two faces, sharing one set of counters, extractor and injection log. */
interface ProxyGateway {
  /** Whether `[proxy] enabled` is on. */
  enabled: boolean;
  /** The routes relative to `/proxy` (`/v1/chat/completions`, `/anthropic/v1/messages`, …). */
  app: Hono<ProxyEnv>;
  /**
   * memoryOSS's drop-in paths at the server's root, to be mounted before the memory API's
   * `/v1` guard: POST `/v1/chat/completions`, `/v1/responses`, `/v1/messages` (and
   * `/v1/v1/messages`, for SDKs that append `/v1` to a base URL ending in `/v1`), GET
   * `/v1/models`. A 404 saying the proxy is off while it is.
   */
  dropIn: Hono<ProxyEnv>;
  /** The paths {@link dropIn} answers (the server's own routes must not claim them). */
  dropInPaths: readonly string[];
  /** The generic `/v1/*` passthrough, for paths the server does not serve itself. */
  passthrough: <E extends ProxyEnv>(c: Context<E>) => Promise<Response>;
}

const DROP_IN_PATHS = [
  "/v1/chat/completions",
  "/v1/responses",
  "/v1/models",
  "/v1/messages",
  "/v1/v1/messages",
];

/**
 * The proxy as a Hono sub-app, to be mounted at `/proxy`.
 *
 * @example
 * ```ts
 * app.route("/proxy", createProxyApp(rt, { queue }));
 * ```
 */
export function createProxyApp(rt: Runtime, opts: ProxyOptions = {}): Hono<ProxyEnv> {
  return createProxyGateway(rt, opts).app;
}

function disabled(cfg: Config["proxy"]): () => Response {
  return () =>
    Response.json({
      error: {
        message: cfg.enabled ? "no such proxy route" : "the proxy is disabled (proxy.enabled)",
        type: "invalid_request_error",
        code: null,
      },
    }, { status: 404 });
}

/**
 * Both mounts of the proxy over one runtime (the server mounts `app` at `/proxy` and
 * `dropIn` at the root).
 *
 * @example
 * ```ts
 * const gw = createProxyGateway(rt, { queue });
 * app.route("/", gw.dropIn);
 * app.route("/proxy", gw.app);
 * ```
 */
export function createProxyGateway(rt: Runtime, opts: ProxyOptions = {}): ProxyGateway {
  const cfg = rt.config.proxy;
  const app = new Hono<ProxyEnv>();
  const dropIn = new Hono<ProxyEnv>();
  const notFound = disabled(cfg);
  const gateway = {
    enabled: cfg.enabled,
    app,
    dropIn,
    dropInPaths: DROP_IN_PATHS,
    passthrough: <E extends ProxyEnv>(c: Context<E>) => passthrough(c, cfg),
  };
  if (!cfg.enabled) {
    app.all("*", notFound);
    for (const p of DROP_IN_PATHS) dropIn.all(p, notFound);
    return gateway;
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
  const routes = proxyRoutes(deps);
  for (const r of [app, dropIn]) {
    r.post("/v1/chat/completions", routes.chat);
    r.post("/v1/responses", routes.responses);
    r.get("/v1/models", routes.models);
  }
  app.post("/anthropic/v1/messages", routes.messages);
  // SDKs that append `/v1` to a base URL ending in `/v1`.
  app.post("/anthropic/v1/v1/messages", routes.messages);
  dropIn.post("/v1/messages", routes.messages);
  dropIn.post("/v1/v1/messages", routes.messages);
  app.get("/v1/debug/stats", routes.stats);
  // Anything else under /v1/ goes upstream as is, without memory.
  app.all("/v1/*", (c) => passthrough(c, cfg));
  app.all("*", notFound);
  return gateway;
}

/** The handlers both mounts share. */
function proxyRoutes(deps: ProxyDeps) {
  const cfg = deps.config;
  const openAiAuth = (c: Context<ProxyEnv>) =>
    resolveOpenAiAuth(cfg, c.req.raw.headers, isLoopback(clientHost(c)));
  const unauthorized = () =>
    Response.json({
      error: {
        message: "invalid or missing proxy API key",
        type: "authentication_error",
        code: null,
      },
    }, { status: 401 });
  return {
    chat: (c: Context<ProxyEnv>) => proxyCall(c, CHAT, deps),
    responses: (c: Context<ProxyEnv>) => proxyCall(c, RESPONSES, deps),
    messages: (c: Context<ProxyEnv>) => proxyCall(c, ANTHROPIC, deps),
    models: (c: Context<ProxyEnv>) => {
      const auth = openAiAuth(c);
      return auth ? listModels(cfg, auth.headers, deps.stats) : unauthorized();
    },
    stats: (c: Context<ProxyEnv>) => {
      if (!openAiAuth(c)) return unauthorized();
      return Response.json({
        proxy: deps.stats,
        extraction: deps.extractor.stats(),
        memory_coprocessor: "local_heuristic",
      });
    },
  };
}

/** GET upstream `/models`; the answer also gets `models` = `data` (Codex reads `models`). */
async function listModels(
  cfg: Config["proxy"],
  headers: Record<string, string>,
  stats: ProxyStats,
): Promise<Response> {
  let up: Response;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), cfg.upstream_timeout_ms);
  try {
    up = await fetch(`${cfg.upstream_url.replace(/\/+$/, "")}/models`, {
      headers,
      signal: ctrl.signal,
    });
  } catch {
    clearTimeout(timer);
    stats.upstream_errors++;
    return Response.json(
      { error: { message: "upstream request failed", type: "upstream_error", code: null } },
      { status: 502 },
    );
  }
  const text = await up.text().finally(() => clearTimeout(timer));
  try {
    const j = JSON.parse(text);
    if (up.ok && j && Array.isArray(j.data) && j.models === undefined) j.models = j.data;
    return Response.json(j, { status: up.status });
  } catch {
    return new Response(text, { status: up.status, headers: { "content-type": "text/plain" } });
  }
}
