/**
 * MCP over streamable HTTP, stateless: each request gets its own server bound to the caller's
 * context (namespaces, key id), answered as plain JSON. Nothing is kept between requests, so
 * any number of `serve` workers can answer and no session can outlive a revoked key.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { McpContext } from "./context.ts";
import { createMcpServer } from "./server.ts";

/**
 * Answer one MCP HTTP request (POST with JSON-RPC; GET/DELETE get 405 in stateless mode).
 *
 * @example
 * ```ts
 * // in lib/server, after authentication:
 * app.all("/mcp", (c) => handleMcpRequest(createContext(rt, { scope }), c.req.raw));
 * ```
 */
export async function handleMcpRequest(ctx: McpContext, request: Request): Promise<Response> {
  const server = createMcpServer(ctx);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}
