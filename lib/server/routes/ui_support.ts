/**
 * Routes the dashboard needs that the rest of the API did not give (docs/http-api.md):
 * `GET /v1/dashboard/stats`, `GET /v1/dashboard/injections` (with the proxy's in-memory
 * injection log), `GET /v1/dashboard/relief` (relief's state and history, read-only) and
 * `POST /v1/archive`. Ordinary
 * API routes: same auth, roles and namespace rules; each calls one `lib/ui` function.
 */
import { Hono } from "hono";
import { resolveNamespace } from "../../auth/mod.ts";
import { parseInput } from "../../memory/mod.ts";
import {
  archiveMemory,
  dashboardStats,
  recentInjectionRequests,
  recentInjections,
  reliefPage,
} from "../../ui/mod.ts";
import { z } from "zod";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput } from "./_helpers.ts";

const StatsQuerySchema = z.strictObject({
  namespace: z.string().min(1).optional(),
  days: z.number().int().min(1).max(365).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

const ReliefQuerySchema = z.strictObject({ limit: z.number().int().min(1).max(1000).optional() });

/** The dashboard support routes, mounted under `/v1`. */
export function uiSupportRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue, metrics } = state;
  const r = new Hono<AppEnv>();

  r.get("/dashboard/stats", requireRole("reader"), (c) => {
    const p = c.get("principal");
    const q = parseInput(StatsQuerySchema, queryInput(c, { namespace: "string", days: "int" }));
    const scope = q.namespace === undefined ? p.namespaces : [resolveNamespace(p, q.namespace)];
    return c.json(dashboardStats(rt, scope, { days: q.days }));
  });

  r.get("/dashboard/injections", requireRole("reader"), (c) => {
    const p = c.get("principal");
    const q = parseInput(StatsQuerySchema, queryInput(c, { namespace: "string", limit: "int" }));
    const scope = q.namespace === undefined ? p.namespaces : [resolveNamespace(p, q.namespace)];
    const limit = q.limit ?? 20;
    return c.json({
      injections: recentInjections(rt, scope, limit),
      // The proxy's in-memory injection log: per request, what went in and what was gated out.
      requests: recentInjectionRequests(rt, scope, limit),
    });
  });

  // Host-level, not per namespace: admin keys only. Reads relief's files, runs nothing.
  r.get("/dashboard/relief", requireRole("admin"), async (c) => {
    const q = parseInput(ReliefQuerySchema, queryInput(c, { limit: "int" }));
    return c.json(await reliefPage(rt.loaded.home, q.limit ?? 50));
  });

  r.post("/archive", requireRole("writer"), async (c) => {
    const p = c.get("principal");
    const input = body(c);
    const ns = typeof input.namespace === "string"
      ? resolveNamespace(p, input.namespace)
      : undefined;
    const scope = ns === undefined ? p.namespaces : [ns];
    const res = await queue.run(() => archiveMemory(rt, input, scope, p.sub));
    if (res.changed) metrics.inc("updates_total", res.namespace);
    return c.json(res);
  });

  return r;
}
