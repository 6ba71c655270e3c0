/** The proxy's Hono environment, and what its handlers read from it. */
import type { Context } from "hono";

/**
 * What `c.env` and `c.var` hold for the proxy's routes: the socket address `Deno.serve` gives,
 * and the server's request id when the proxy is mounted in the server (absent standalone).
 */
export interface ProxyEnv {
  Bindings: { remoteAddr?: { hostname?: string } };
  Variables: { requestId?: string };
}

/**
 * The socket address of the client (never `X-Forwarded-For`); also for the server's context,
 * whose environment extends this one.
 */
export function clientHost<E extends ProxyEnv>(c: Context<E>): string | undefined {
  return c.env?.remoteAddr?.hostname;
}

/** The server's request id (echoed as `X-Request-Id`), or a fresh one when run standalone. */
export function requestId(c: Context<ProxyEnv>): string {
  const id = c.get("requestId");
  return typeof id === "string" ? id : crypto.randomUUID();
}
