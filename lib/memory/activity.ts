/**
 * The activity log: feedback, review actions, consolidations and forgets, per namespace, for
 * `/v1/admin/recent`. Rows hold ids and counts, never memory content.
 */
import type { Runtime } from "./runtime.ts";
import type { NamespaceScope } from "./scoped.ts";

/** One logged event. */
export interface ActivityEvent {
  seq: number;
  at: string;
  namespace: string;
  kind: string;
  memory_id: string | null;
  actor: string | null;
  detail: Record<string, unknown>;
}

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
  rt.store.transaction(() => {
    rt.store.db.prepare(
      "INSERT INTO activity (at, namespace, kind, memory_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(
      rt.now().toISOString(),
      e.namespace,
      e.kind,
      e.memory_id ?? null,
      e.actor ?? null,
      JSON.stringify(e.detail ?? {}),
    );
  });
}

/** The newest events in `scope` (or one namespace), newest first. */
export function recentActivity(
  rt: Runtime,
  opts: { scope: NamespaceScope; namespace?: string; limit?: number },
): { events: ActivityEvent[]; counts: Record<string, number> } {
  const limit = Math.min(100, Math.max(1, opts.limit ?? 10));
  const where: string[] = [];
  const params: (string | number)[] = [];
  const names = opts.namespace !== undefined
    ? [opts.namespace]
    : opts.scope === "*"
    ? null
    : [...opts.scope];
  if (names) {
    if (names.length === 0) return { events: [], counts: {} };
    where.push(`namespace IN (${names.map(() => "?").join(",")})`);
    params.push(...names);
  }
  const w = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const rows = rt.store.db.prepare(
    `SELECT seq, at, namespace, kind, memory_id, actor, detail FROM activity ${w}
     ORDER BY seq DESC LIMIT ?`,
  ).all(...params, limit) as unknown as (Omit<ActivityEvent, "detail"> & { detail: string })[];
  const counts: Record<string, number> = {};
  const events = rows.map((r) => {
    counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    return { ...r, detail: JSON.parse(r.detail) as Record<string, unknown> };
  });
  return { events, counts };
}
