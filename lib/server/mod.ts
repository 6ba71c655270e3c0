/**
 * The HTTP server: a Hono app on `Deno.serve`. This first cut serves `/health`; the API
 * routes mount here as sub-apps.
 *
 * @module
 */
import { Hono } from "hono";
import type { Runtime } from "../memory/mod.ts";
import { status } from "../memory/mod.ts";
import { VERSION } from "../version.ts";

/** Build the app for a runtime. */
export function createApp(rt: Runtime): Hono {
  const app = new Hono();
  app.get("/health", (c) => {
    const s = status(rt);
    return c.json({
      status: "ok",
      version: VERSION,
      total_memories: s.total_memories,
      embedder: s.embedder.id,
    });
  });
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: "no such route" } }, 404));
  return app;
}

/** A running server. */
export interface RunningServer {
  url: string;
  /** Stop accepting, let in-flight requests finish, then resolve. */
  shutdown(): Promise<void>;
  finished: Promise<void>;
}

/** Serve `rt` on host:port (port 0 picks a free one). */
export async function startServer(
  rt: Runtime,
  host: string,
  port: number,
): Promise<RunningServer> {
  const app = createApp(rt);
  const listening = Promise.withResolvers<Deno.NetAddr>();
  // onListen may fire before Deno.serve returns, so the address is handed over separately.
  const server = Deno.serve({
    hostname: host,
    port,
    onListen: (addr) => listening.resolve(addr),
  }, app.fetch);
  const addr = await listening.promise;
  const h = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `http://${h}:${addr.port}`,
    shutdown: () => server.shutdown(),
    finished: server.finished,
  };
}
