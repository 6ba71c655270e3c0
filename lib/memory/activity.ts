/**
 * The activity log: feedback, review actions, consolidations and forgets, per namespace, for
 * `/v1/admin/recent`. Rows hold ids and counts, never memory content.
 */
import { type ActivityEvent, appendActivity, newestActivity } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { NamespaceScope } from "./scoped.ts";

export type { ActivityEvent };

/** Append an event (joins the caller's transaction when there is one). */
export function recordActivity(
  rt: Runtime,
  e: {
    namespace: string;
    kind: string;
    memory_id?: string | null;
    actor?: string | null;
    detail?: Record<string, unknown>;
  },
): void {
  appendActivity(rt.store, {
    at: rt.now().toISOString(),
    namespace: e.namespace,
    kind: e.kind,
    memory_id: e.memory_id ?? null,
    actor: e.actor ?? null,
    detail: e.detail ?? {},
  });
}

/** The newest events in `scope` (or one namespace), newest first. */
export function recentActivity(
  rt: Runtime,
  opts: { scope: NamespaceScope; namespace?: string; limit?: number },
): { events: ActivityEvent[]; counts: Record<string, number> } {
  const limit = Math.min(100, Math.max(1, opts.limit ?? 10));
  const names = opts.namespace !== undefined
    ? [opts.namespace]
    : opts.scope === "*"
    ? null
    : [...opts.scope];
  if (names && names.length === 0) return { events: [], counts: {} };
  const events = newestActivity(rt.store, names, limit);
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return { events, counts };
}
