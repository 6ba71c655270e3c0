/**
 * `/mcp`: the MCP tools over streamable HTTP, authenticated like the API. Roles apply per tool
 * call, as on the matching HTTP routes: reading needs a reader, storing and feedback a writer,
 * forgetting an admin.
 */
import { Hono } from "hono";
import { createContext, handleMcpRequest } from "../../mcp/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";

const NEEDS: Record<string, "reader" | "writer" | "admin"> = {
  memoryoss_recall: "reader",
  memoryoss_list: "reader",
  memoryoss_passport_export: "reader",
  memoryoss_history: "reader",
  memoryoss_store: "writer",
  memoryoss_update: "writer",
  memoryoss_feedback: "writer",
  memoryoss_forget: "admin",
};
const RANK = { reader: 0, writer: 1, admin: 2 } as const;

/** The role a JSON-RPC message (or batch) needs; unknown tools need admin. */
async function requiredRole(req: Request): Promise<"reader" | "writer" | "admin"> {
  if (req.method !== "POST") return "reader";
  let body: unknown;
  try {
    body = await req.clone().json();
  } catch {
    return "reader"; // the transport answers malformed JSON itself
  }
  let need: "reader" | "writer" | "admin" = "reader";
  for (const msg of Array.isArray(body) ? body : [body]) {
    const m = msg as { method?: string; params?: { name?: string } };
    if (m?.method !== "tools/call") continue;
    const role = NEEDS[m.params?.name ?? ""] ?? "admin";
    if (RANK[role] > RANK[need]) need = role;
  }
  return need;
}

/** Mount after authentication. */
export function mcpRoute(state: ServerState): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.all("/mcp", async (c) => {
    const p = c.get("principal");
    const need = await requiredRole(c.req.raw);
    if (RANK[p.role] < RANK[need]) {
      return c.json({
        error: { code: "FORBIDDEN", message: `this tool needs the ${need} role`, path: [] },
      }, 403);
    }
    const ctx = createContext(state.rt, {
      scope: p.namespaces,
      actor: p.sub,
      sourceKey: p.key_id,
    });
    return await handleMcpRequest(ctx, c.req.raw);
  });
  return app;
}
