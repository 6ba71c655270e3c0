/**
 * Per-request basics: a request id (client `X-Request-Id` when it is sane, else a fresh
 * one) echoed in the response, security headers, and one log line per request. The log line
 * never contains credentials or bodies.
 *
 * The request id stays ours: Hono's `requestId` accepts another character set (`=` yes,
 * `.`/`:` no, up to 255 characters) than the one clients rely on here.
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv, ServerState } from "../context.ts";

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The API's security headers, memoryOSS's seven (the dashboard's `uiHeaders` replaces the
 * CSP and Cache-Control on `/ui`): `X-Content-Type-Options: nosniff`, `X-Frame-Options:
 * DENY`, `X-XSS-Protection: 1; mode=block`, `Strict-Transport-Security: max-age=63072000;
 * includeSubDomains`, `Content-Security-Policy: default-src 'none'`, `Referrer-Policy:
 * no-referrer`, plus `Cache-Control: no-store` (not a `secureHeaders` option). Hono's other
 * defaults are off.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const secure = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"] },
    xContentTypeOptions: true,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    // memoryOSS's values (§2.1): browsers ignore HSTS over plain HTTP, so it is harmless there.
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: "1; mode=block",
    removePoweredBy: false,
  });
  return async (c, next) => {
    await secure(c, next);
    c.header("Cache-Control", "no-store");
  };
}

/** Request id, access log and HTTP status metrics. */
export function observe(state: ServerState): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const t0 = performance.now();
    const given = c.req.header("x-request-id");
    const id = given && SANE_ID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.header("X-Request-Id", id);
    const status = c.res.status;
    state.metrics.http(status);
    const p = c.get("principal");
    const ms = (performance.now() - t0).toFixed(1);
    state.log(
      status >= 500 ? "error" : "info",
      `req=${id} ${c.req.method} ${c.req.path} ${status} ${ms}ms key=${p?.key_id ?? "-"}`,
    );
  };
}
