/**
 * The `activity` table: feedback, review actions, consolidations and forgets, per namespace,
 * appended in order (`seq`). Rows hold ids and counts, never memory content.
 */
import type { Store } from "./store.ts";

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
export function appendActivity(store: Store, e: Omit<ActivityEvent, "seq">): void {
  store.transaction(() => {
    store.db.prepare(
      "INSERT INTO activity (at, namespace, kind, memory_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(e.at, e.namespace, e.kind, e.memory_id, e.actor, JSON.stringify(e.detail));
  });
}

/** The newest `limit` events of these namespaces (all for null), newest first. */
export function newestActivity(
  store: Store,
  namespaces: readonly string[] | null,
  limit: number,
): ActivityEvent[] {
  const w = namespaces ? `WHERE namespace IN (${namespaces.map(() => "?").join(",")})` : "";
  const rows = store.db.prepare(
    `SELECT seq, at, namespace, kind, memory_id, actor, detail FROM activity ${w}
     ORDER BY seq DESC LIMIT ?`,
  ).all(...(namespaces ?? []), limit) as unknown as (
    & Omit<ActivityEvent, "detail">
    & { detail: string }
  )[];
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
