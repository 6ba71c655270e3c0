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
export { type ContextOptions, createContext, type McpContext, namespaceFor } from "./context.ts";
export { createMcpServer, INSTRUCTIONS, toolErrorText } from "./server.ts";
export { type ToolDef, TOOLS } from "./tools.ts";
export { serveStdio, type StdioServer } from "./stdio.ts";
export { handleMcpRequest } from "./http.ts";
export { clipText, DEFAULT_RESULT_CHARS, fitToBudget } from "./_budget.ts";
