/**
 * The Hono app: request basics and limits as middleware, feature routes as sub-apps.
 *
 *   observe (request id, access log), secureHeaders
 *   /health                      no auth
 *   /v1/auth/token               per-address rate limit → body → token exchange
 *   /v1/source                   per-address rate limit → the source offer (no auth)
 *   /v1/chat/completions, /v1/responses, /v1/models, /v1/messages
 *                                LLM proxy drop-in paths (lib/proxy), its own key mapping
 *   /v1/*, /metrics              authenticate → per-key rate limit → body → routes
 *   /proxy/*                     LLM proxy gateway (lib/proxy), its own key mapping
 *   /v1/<other>/…                with the proxy on: passthrough upstream, for any first
 *                                segment no memory route uses
 *   /ui, /ui/assets/*            dashboard assets (lib/ui), no auth, strict CSP
 */
import { Hono, type MiddlewareHandler } from "hono";
import { every, except } from "hono/combine";
import { Authenticator, loadJwtSecret, touchApiKey } from "../auth/mod.ts";
import { type Runtime, writeQueue } from "../memory/mod.ts";
import { SharingRegistry } from "../sharing/mod.ts";
import type { AppEnv, LogLevel, ServerOptions, ServerState } from "./context.ts";
import { errorResponse } from "./errors.ts";
import { Metrics } from "./metrics.ts";
import { RateLimiter } from "./rate_limit.ts";
import { observe, securityHeaders } from "./middleware/request.ts";
import { followEmbedSwap } from "./middleware/embed_follow.ts";
import { authenticate } from "./middleware/auth.ts";
import { jsonBody, rateLimitByAddress, rateLimitByKey } from "./middleware/limits.ts";
import { memoryRoutes } from "./routes/memory.ts";
import { graphRoutes } from "./routes/graph.ts";
import { adminRoutes } from "./routes/admin.ts";
import { mcpRoute } from "./routes/mcp.ts";
import { portableRoutes } from "./routes/portable.ts";
import { adapterRoutes } from "./routes/adapters.ts";
import { trustRoutes } from "./routes/trust.ts";
import { connectorRoutes } from "./routes/connectors.ts";
import { adminStatsRoutes } from "./routes/admin_stats.ts";
import { sharingAdminRoutes, sharingRoutes } from "./routes/sharing.ts";
import { healthRoute, infoRoutes, metricsRoute, sourceRoute, tokenRoute } from "./routes/meta.ts";
import { proxyMount } from "./proxy_mount.ts";
import { uiHeaders, uiRoutes } from "../ui/mod.ts";
import { uiSupportRoutes } from "./routes/ui_support.ts";

/** `/v1` paths that answer without credentials (their own per-address limit applies). */
const PUBLIC = new Set(["/v1/auth/token", "/v1/source"]);

const LEVELS: LogLevel[] = ["error", "warn", "info", "debug"];

/**
 * A stderr logger that drops lines below the configured level; `json` (`[logging] json`)
 * writes one `{"ts","level","msg"}` object per line.
 */
export function stderrLogger(level: LogLevel, json = false): (l: LogLevel, line: string) => void {
  const max = LEVELS.indexOf(level);
  const enc = new TextEncoder();
  return (l, line) => {
    if (LEVELS.indexOf(l) > max) return;
    const ts = new Date().toISOString();
    const text = json ? JSON.stringify({ ts, level: l, msg: line }) : `${ts} ${l} ${line}`;
    try {
      Deno.stderr.writeSync(enc.encode(`${text}\n`));
    } catch { /* stderr closed */ }
  };
}

/** Shared state for one app over `rt`. */
export function createState(rt: Runtime, opts: ServerOptions = {}): ServerState {
  const queue = writeQueue(rt, opts.writeQueue);
  const log = opts.log ?? stderrLogger(rt.config.logging.level, rt.config.logging.json);
  const rate = opts.rateLimitPerSec ?? rt.config.limits.rate_limit_per_sec;
  const { auth: authCfg } = rt.config;
  const auth = (async () => {
    const secret = opts.jwtSecret ??
      (await loadJwtSecret(rt.loaded.keyPath, undefined, authCfg.jwt_secret)).secret;
    return await Authenticator.create(rt.store, secret, {
      now: rt.now,
      tokenTtlSecs: opts.tokenTtlSecs ?? authCfg.jwt_expiry_secs,
      staticKeys: authCfg.api_keys,
      onKeyUsed: (keyId) => {
        // Best effort bookkeeping: never fails or delays the request.
        try {
          queue.run(() => touchApiKey(rt.store, keyId, rt.now())).catch(() => {});
        } catch { /* queue closed or full */ }
      },
    });
  })();
  auth.catch(() => {}); // surfaced per request by the auth middleware
  const sharing = SharingRegistry.open(rt.loaded.home);
  sharing.catch(() => {}); // surfaced per request by the auth middleware
  return {
    sharing,
    allowPrivateWebhooks: opts.allowPrivateWebhooks === true,
    sharingEnabled: opts.sharingEnabled !== false,
    devAuth: opts.devAuth === true,
    rt,
    queue,
    auth,
    limiter: new RateLimiter(rate, opts.rateLimitBurst ?? rate),
    ipLimiter: new RateLimiter(rate, opts.rateLimitBurst ?? rate),
    metrics: new Metrics(),
    maxBodyBytes: opts.maxBodyBytes ?? rt.config.server.max_body_bytes,
    log,
    ...(opts.defaultNamespace ? { defaultNamespace: opts.defaultNamespace } : {}),
  };
}

/** Build the app over existing state. */
export function buildApp(state: ServerState): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Before `observe`, so the dashboard's CSP replaces the API default on the way out.
  app.use("/ui", uiHeaders());
  app.use("/ui/*", uiHeaders());
  app.use("*", observe(state), securityHeaders(), followEmbedSwap(state));
  app.route("/", healthRoute(state));

  app.use("/v1/auth/token", rateLimitByAddress(state), jsonBody(state));
  app.route("/v1/auth", tokenRoute(state));
  app.use("/v1/source", rateLimitByAddress(state));
  app.route("/v1", sourceRoute());

  const guard: MiddlewareHandler<AppEnv> = every(
    authenticate(state),
    rateLimitByKey(state),
    jsonBody(state),
  );
  app.use("/metrics", guard);
  // MCP reads its own body, so only authentication and the per-key limit apply.
  app.use("/mcp", authenticate(state), rateLimitByKey(state));
  app.route("/", mcpRoute(state));
  // Before the /v1/* guard: these read artifact bodies losslessly (own auth and limits).
  app.route("/v1", portableRoutes(state));
  app.route("/v1/admin/trust", trustRoutes(state));
  // The LLM proxy authenticates with its own key mapping (docs/proxy.md); its drop-in paths
  // answer before the guard, its passthrough gets what no memory route family claims.
  const proxy = proxyMount(app, state);
  proxy.mountDropIn();
  app.use(
    "/v1/*",
    except((c) => PUBLIC.has(c.req.path) || proxy.bypassesGuard(c.req.path), guard),
  );
  app.route("/", metricsRoute(state));
  app.route("/v1", infoRoutes(state));
  app.route("/v1", memoryRoutes(state));
  app.route("/v1", graphRoutes(state));
  app.route("/v1", adapterRoutes(state));
  app.route("/v1", connectorRoutes(state));
  app.route("/v1/admin", adminRoutes(state));
  app.route("/v1/admin", adminStatsRoutes(state));
  if (state.sharingEnabled) {
    app.route("/v1/admin/sharing", sharingAdminRoutes(state));
    app.route("/v1", sharingRoutes(state));
  }
  app.route("/v1", uiSupportRoutes(state));
  // The dashboard's static assets: public, the data comes from the authenticated API.
  app.route("/ui", uiRoutes());
  proxy.mountRest();

  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: "no such route", path: [] } }, 404)
  );
  app.onError((e, c) => errorResponse(c, e, state.log));
  return app;
}
