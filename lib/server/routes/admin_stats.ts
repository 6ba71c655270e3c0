/**
 * memoryOSS's admin stats routes (§2.4), admin role, confined to the caller's namespaces:
 * `cache/stats|flush`, `intent-cache/stats|flush`, `prefetch/stats` (caches this runtime does
 * not keep: zero, with the reason), `idf-stats`, `space-stats`, `trust-stats` and `hud`
 * (JSON, or HTML with `format=html`). The views are `lib/server/admin_stats.ts`.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { defaultNamespace, resolveNamespace } from "../../auth/mod.ts";
import { parseInput } from "../../memory/mod.ts";
import { escapeHtml } from "../../portable/mod.ts";
import {
  type AbsentCache,
  absentCacheStats,
  hud,
  idfStats,
  spaceStats,
  trustStats,
} from "../admin_stats.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { queryInput, queryNamespace } from "./_helpers.ts";

const HudQuery = z.strictObject({
  namespace: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(25).default(5),
  format: z.enum(["json", "html"]).default("json"),
});

/** The stats routes, mounted under `/v1/admin`. */
export function adminStatsRoutes(state: ServerState): Hono<AppEnv> {
  const { rt } = state;
  const r = new Hono<AppEnv>();
  r.use("*", requireRole("admin"));

  for (const kind of ["cache", "intent-cache", "prefetch"] as AbsentCache[]) {
    r.get(`/${kind}/stats`, (c) => {
      queryInput(c, {});
      return c.json(absentCacheStats(kind));
    });
    if (kind === "prefetch") continue;
    r.post(`/${kind}/flush`, (c) => c.json({ flushed: true, entries_removed: 0 }));
  }

  /** One namespace if asked for, else the caller's whole scope. */
  const scopeOf = (c: Context<AppEnv>) => {
    const q = queryInput(c, { namespace: "string" });
    const p = c.get("principal");
    return typeof q.namespace === "string" ? [resolveNamespace(p, q.namespace)] : p.namespaces;
  };
  r.get("/idf-stats", (c) => c.json(idfStats(rt, scopeOf(c))));
  r.get("/space-stats", (c) => c.json(spaceStats(rt, scopeOf(c))));
  r.get("/trust-stats", (c) => c.json(trustStats(rt, queryNamespace(c))));

  r.get("/hud", (c) => {
    const p = c.get("principal");
    const q = parseInput(
      HudQuery,
      queryInput(c, { namespace: "string", limit: "int", format: "string" }),
    );
    const namespace = q.namespace === undefined
      ? defaultNamespace(p)
      : resolveNamespace(p, q.namespace);
    const view = hud(rt, { scope: p.namespaces, namespace, limit: q.limit });
    return q.format === "html" ? c.html(hudHtml(view)) : c.json(view);
  });

  return r;
}

/** The HUD as a small self-contained page (no scripts, no styles: the API's CSP applies). */
function hudHtml(v: ReturnType<typeof hud>): string {
  const e = (x: unknown) => escapeHtml(String(x ?? ""));
  const rows = (xs: [string, unknown][]) =>
    xs.map(([k, x]) => `<tr><th>${e(k)}</th><td>${e(x)}</td></tr>`).join("");
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>memoryoss HUD: ${e(v.namespace)}</title></head><body>`,
    `<h1>memoryoss HUD: ${e(v.namespace)}</h1><p>${e(v.generated_at)}</p>`,
    `<h2>Lifecycle</h2><table>${rows(Object.entries(v.lifecycle))}</table>`,
    `<h2>Review queue</h2><table>${rows(Object.entries(v.review_queue.summary))}</table><ul>`,
    ...v.review_queue.items.map((i) =>
      `<li>${e(i.review_key)} ${e(i.queue_kind)} → ${e(i.suggested_action)}: ${e(i.preview)}</li>`
    ),
    "</ul><h2>Recent activity</h2><ul>",
    ...v.recent.map((x) => `<li>${e(x.at)} ${e(x.kind)} ${e(x.memory_id ?? "")}</li>`),
    "</ul></body></html>",
  ].join("\n");
}
