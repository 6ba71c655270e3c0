/**
 * The recent view of `recent` and `GET /v1/admin/recent` in memoryOSS's shape: four groups,
 * each newest first and cut at `limit` — `injections` (by `last_injected_at`), `extractions`
 * (proxy-extracted memories, by creation), `feedbacks` (by `last_outcome_at`) and
 * `consolidations` (derived memories, by creation) — with `counts` of each group. Our activity
 * log (`events`, and its per-kind counts inside `counts`) stays beside them.
 */
import { memoryNamespaces, type MemoryRecord } from "../store/mod.ts";
import { type ActivityEvent, recentActivity } from "./activity.ts";
import { namespaceRecords } from "./records_io.ts";
import type { Runtime } from "./runtime.ts";
import { inScope, type NamespaceScope } from "./scoped.ts";

/** memoryOSS's default and largest per-group limit. */
export const RECENT_DEFAULT_LIMIT = 10;
export const RECENT_MAX_LIMIT = 100;

type Entry = Record<string, unknown>;

/** The four groups, the counts and our activity log. */
export interface RecentView {
  counts: Record<string, number>;
  injections: Entry[];
  extractions: Entry[];
  feedbacks: Entry[];
  consolidations: Entry[];
  /** Our activity log (feedback, review, consolidate, forget), newest first. */
  events: ActivityEvent[];
}

/** 100 characters, then "..." (memoryOSS's preview). */
function preview(content: string): string {
  const chars = [...content];
  return chars.length > 100 ? chars.slice(0, 100).join("") + "..." : content;
}

function feedbackAction(m: MemoryRecord): string {
  if (m.supersede_count > 0) return "supersede";
  if (m.reject_count > 0) return "reject";
  if (m.confirm_count > 0) return "confirm";
  return "feedback";
}

function base(m: MemoryRecord, at: string): Entry {
  return {
    id: m.id,
    at,
    preview: preview(m.content),
    status: m.status,
    archived: m.archived,
    namespace: m.namespace,
  };
}

/** Newest `limit` of what `pick` maps (null = not in this group). */
function group(
  all: MemoryRecord[],
  limit: number,
  pick: (m: MemoryRecord) => [string, Entry] | null,
): Entry[] {
  return all.flatMap((m) => {
    const e = pick(m);
    return e ? [e] : [];
  }).sort((a, b) => Date.parse(b[0]) - Date.parse(a[0])).slice(0, limit).map((e) => e[1]);
}

/**
 * The recent view of one namespace (or every namespace of `scope`).
 *
 * @example
 * ```ts
 * recentView(rt, { scope: ["proj"], namespace: "proj", limit: 10 }).counts.injections;
 * ```
 */
export function recentView(
  rt: Runtime,
  opts: { scope: NamespaceScope; namespace?: string; limit?: number },
): RecentView {
  const limit = Math.min(RECENT_MAX_LIMIT, Math.max(1, opts.limit ?? RECENT_DEFAULT_LIMIT));
  const names = opts.namespace !== undefined
    ? [opts.namespace]
    : memoryNamespaces(rt.store).filter((n) => inScope(opts.scope, n));
  const all = names.flatMap((n) => namespaceRecords(rt, n).map((s) => s.record));
  const injections = group(
    all,
    limit,
    (m) =>
      m.last_injected_at === null ? null : [m.last_injected_at, {
        ...base(m, m.last_injected_at),
        agent: m.agent,
        session: m.session,
        injection_count: m.injection_count,
        reuse_count: m.reuse_count,
        last_reused_at: m.last_reused_at,
      }],
  );
  const extractions = group(
    all,
    limit,
    (m) =>
      m.source_key !== "proxy-extraction" ? null : [m.created_at, {
        ...base(m, m.created_at),
        confidence: m.confidence,
        evidence_count: m.evidence_count,
        source_key: m.source_key,
      }],
  );
  const feedbacks = group(
    all,
    limit,
    (m) =>
      m.last_outcome_at === null ? null : [m.last_outcome_at, {
        ...base(m, m.last_outcome_at),
        action: feedbackAction(m),
        confirm_count: m.confirm_count,
        reject_count: m.reject_count,
        supersede_count: m.supersede_count,
        superseded_by: m.superseded_by,
      }],
  );
  const consolidations = group(
    all,
    limit,
    (m) =>
      m.derived_from.length === 0 ? null : [m.created_at, {
        ...base(m, m.created_at),
        derived_from: m.derived_from,
        derived_count: m.derived_from.length,
        superseded_by: m.superseded_by,
      }],
  );
  const log = recentActivity(rt, opts);
  return {
    counts: {
      ...log.counts,
      injections: injections.length,
      extractions: extractions.length,
      feedbacks: feedbacks.length,
      consolidations: consolidations.length,
    },
    injections,
    extractions,
    feedbacks,
    consolidations,
    events: log.events,
  };
}
