/**
 * Per-request basics: a request id (client `X-Request-Id` when it is sane, else a fresh
 * one) echoed in the response, security headers, and one log line per request. The log line
 * never contains credentials or bodies.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, ServerState } from "../context.ts";

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'none'",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
};

/** Request id, security headers, access log and HTTP status metrics. */
export function observe(state: ServerState): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const t0 = performance.now();
    const given = c.req.header("x-request-id");
    const id = given && SANE_ID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.header("X-Request-Id", id);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
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
