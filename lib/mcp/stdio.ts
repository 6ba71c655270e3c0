/**
 * The MCP server over stdio. stdout carries protocol messages only (logs go to stderr); the
 * server ends when the client closes stdin or `stop()` is called, after queued writes finish.
 */
import process from "node:process";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { McpContext } from "./context.ts";
import { createMcpServer } from "./server.ts";

/** A running stdio server. */
export interface StdioServer {
  /** Resolves once the connection is closed and pending writes are committed. */
  finished: Promise<void>;
  /** Close the connection (idempotent). */
  stop(): Promise<void>;
}

/**
 * Serve the memoryoss tools on this process's stdin/stdout.
 *
 * @example
 * ```ts
 * const s = await serveStdio(createContext(rt));
 * await s.finished;
 * rt.close();
 * ```
 */
export async function serveStdio(ctx: McpContext): Promise<StdioServer> {
  const server = createMcpServer(ctx);
  const transport = new StdioServerTransport();
  const closed = Promise.withResolvers<void>();
  server.server.onclose = () => closed.resolve();
  // The SDK's stdio transport does not notice EOF; a client that closes stdin has gone.
  const onEnd = () => void server.close();
  process.stdin.on("end", onEnd);
  process.stdin.on("close", onEnd);
  await server.connect(transport);
  const finished = closed.promise.then(async () => {
    process.stdin.off("end", onEnd);
    process.stdin.off("close", onEnd);
    await ctx.queue.close();
  });
  return {
    finished,
    stop: async () => {
      await server.close();
    },
  };
}
