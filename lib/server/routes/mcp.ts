/**
 * `/mcp`: the MCP tools over streamable HTTP, authenticated like the API. Roles apply per tool
 * call, as on the matching HTTP routes (each tool names its role in lib/mcp): reading needs a
 * reader, storing and feedback a writer, forgetting an admin; a call beyond the caller's role
 * is an MCP tool result with `isError: true`, never a transport error.
 */
import { Hono } from "hono";
import { defaultNamespace } from "../../auth/mod.ts";
import { createContext, handleMcpRequest } from "../../mcp/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";

/** Mount after authentication. */
export function mcpRoute(state: ServerState): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.all("/mcp", async (c) => {
    const p = c.get("principal");
    // A tool the caller's role does not allow answers a tool error (isError), as over stdio.
    const ctx = createContext(state.rt, {
      scope: p.namespaces,
      actor: p.sub,
      sourceKey: p.key_id,
      role: p.role,
      defaultNamespace: defaultNamespace(p),
    });
    return await handleMcpRequest(ctx, c.req.raw);
  });
  return app;
}
