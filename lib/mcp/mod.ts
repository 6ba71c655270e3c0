/**
 * MCP server for memoryoss on @modelcontextprotocol/sdk: the tools call lib/memory directly
 * (no HTTP hop, no server needed).
 *
 * - stdio: {@link serveStdio} (`memoryoss mcp-server`).
 * - streamable HTTP: {@link handleMcpRequest} answers one web-standard `Request` with a
 *   server built for the authenticated caller's {@link McpContext}, so `serve` can mount it
 *   at `/mcp` with one route.
 *
 * @module
 */
export { createContext } from "./context.ts";
export { TOOLS } from "./tools.ts";
export { serveStdio } from "./stdio.ts";
export { handleMcpRequest } from "./http.ts";
export { clipText, DEFAULT_RESULT_CHARS, fitToBudget } from "./_budget.ts";
