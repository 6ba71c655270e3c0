/**
 * The HTTP server: a memoryOSS-compatible API on a Hono app served by `Deno.serve`.
 * See docs/http-api.md for endpoints, auth, roles and errors.
 *
 * @module
 */
import type { Hono } from "hono";
import type { Runtime } from "../memory/mod.ts";
import { buildApp as assemble, createState } from "./app.ts";
import { bindRouteTable } from "./routes/meta.ts";
import { WarmUp } from "./warm.ts";
import type { AppEnv, ServerOptions, ServerState } from "./context.ts";
import { MemoryossError } from "../errors/mod.ts";

export type { ServerOptions } from "./context.ts";
export { ensureSelfSignedTls, resolveTls } from "./tls.ts";
export { hud } from "./admin_stats.ts";

/** Build the app over existing state; `/v1/runtime/contract` lists its route table. */
function buildApp(state: ServerState): Hono<AppEnv> {
  const app = assemble(state);
  bindRouteTable(state, app);
  return app;
}

/**
 * Build the app for a runtime.
 *
 * @example
 * ```ts
 * const res = await createApp(rt).request("/health");
 * ```
 */
export function createApp(rt: Runtime, opts: ServerOptions = {}): Hono<AppEnv> {
  return buildApp(createState(rt, opts));
}

/** A running server. */
export interface RunningServer {
  url: string;
  /** Stop accepting, let in-flight requests and queued writes finish, then resolve. */
  shutdown(): Promise<void>;
  /** Resolves once the server has stopped and every queued write is committed. */
  finished: Promise<void>;
}

/** Deno.serve's TLS fields, with a clear error for text that is not PEM. */
function tlsOptions(tls: ServerOptions["tls"]): { cert?: string; key?: string } {
  if (!tls) return {};
  if (!/-----BEGIN [A-Z ]*CERTIFICATE-----/.test(tls.cert)) {
    throw new MemoryossError("INVALID_CONFIG", "tls certificate: not a PEM certificate");
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(tls.key)) {
    throw new MemoryossError("INVALID_CONFIG", "tls key: not a PEM private key");
  }
  return { cert: tls.cert, key: tls.key };
}

/** Serve `rt` on host:port (port 0 picks a free one); HTTPS when `opts.tls` is given. */
export async function startServer(
  rt: Runtime,
  host: string,
  port: number,
  opts: ServerOptions = {},
): Promise<RunningServer> {
  const state = createState(rt, opts);
  const warm = state.warm = new WarmUp();
  const app = buildApp(state);
  await state.auth; // a bad MEMORYOSS_JWT_SECRET fails the start, not every request
  const listening = Promise.withResolvers<Deno.NetAddr>();
  // onListen may fire before Deno.serve returns, so the address is handed over separately.
  const server = Deno.serve({
    hostname: host,
    port,
    onListen: (addr) => listening.resolve(addr),
    ...tlsOptions(opts.tls),
  }, (req, info) => app.fetch(req, info));
  const addr = await listening.promise;
  // Warm start: load the index and run recall once in the background (see warm.ts).
  warm.start(rt, state.log);
  const h = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  // The queue belongs to the runtime (other surfaces may share it): drain, do not close.
  const finished = server.finished.then(async () => {
    await warm.stop();
    await state.queue.drain();
  });
  return {
    url: `${opts.tls ? "https" : "http"}://${h}:${addr.port}`,
    shutdown: async () => {
      await server.shutdown();
      await finished;
    },
    finished,
  };
}
