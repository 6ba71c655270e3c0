/**
 * Memory graph routes: `GET /v1/memories/:id/graph` (reader; the memory must be in one of the
 * caller's namespaces, like `/v1/inspect/:id`) and `POST /v1/graph/link` (writer; both
 * memories in one of the caller's namespaces). Writes go through the runtime's write queue.
 */
import { Hono } from "hono";
import { resolveNamespace } from "../../auth/mod.ts";
import {
  GraphLinkInputSchema,
  linkMemoriesByHand,
  memoryGraph,
  parseInput,
  requireMemoryIn,
} from "../../memory/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput } from "./_helpers.ts";

/** The graph routes, mounted under `/v1`. */
export function graphRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue } = state;
  const r = new Hono<AppEnv>();

  r.get("/memories/:id/graph", requireRole("reader"), (c) => {
    const p = c.get("principal");
    const q = queryInput(c, { namespace: "string", kind: "list", depth: "int" });
    const ns = typeof q.namespace === "string" ? resolveNamespace(p, q.namespace) : undefined;
    // NOT_FOUND (never FORBIDDEN) for ids outside the caller's namespaces: no existence leak.
    const m = requireMemoryIn(rt, c.req.param("id"), p.namespaces, ns);
    return c.json(
      memoryGraph(rt, m.record.id, {
        namespace: m.record.namespace,
        kinds: q.kind as string[] | undefined,
        depth: q.depth as number | undefined,
      }),
    );
  });

  r.post("/graph/link", requireRole("writer"), async (c) => {
    const p = c.get("principal");
    const input = parseInput(GraphLinkInputSchema, body(c));
    const ns = input.namespace === undefined ? undefined : resolveNamespace(p, input.namespace);
    const from = requireMemoryIn(rt, input.from, p.namespaces, ns);
    requireMemoryIn(rt, input.to, p.namespaces, from.record.namespace);
    const res = await queue.run(() =>
      linkMemoriesByHand(rt, { ...input, namespace: from.record.namespace })
    );
    return c.json(res);
  });

  return r;
}
