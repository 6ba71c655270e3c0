/**
 * Record-level steps of applying an import plan, kept pure so they are table-testable:
 * renaming ids (a store holds each id once, so a copy into another namespace of the same
 * home gets fresh ids) and merging an incoming record into the stored one.
 *
 * @module
 */
import type { MemoryRecord, ReviewEvent } from "../store/mod.ts";

const MAX_EVENTS = 20;

/**
 * The record with every lineage reference renamed through `ids` (unknown ids are kept).
 *
 * @example
 * ```ts
 * remapLineage(r, new Map([[oldId, newId]])).superseded_by; // newId when it was oldId
 * ```
 */
export function remapLineage(r: MemoryRecord, ids: ReadonlyMap<string, string>): MemoryRecord {
  const m = (id: string) => ids.get(id) ?? id;
  const uniq = (xs: string[]) => [...new Set(xs.map(m))].filter((x) => x !== r.id);
  return {
    ...r,
    id: m(r.id),
    superseded_by: r.superseded_by === null ? null : m(r.superseded_by),
    derived_from: uniq(r.derived_from),
    contradicts_with: uniq(r.contradicts_with).sort(),
    review_events: r.review_events.map((e) =>
      e.superseded_by ? { ...e, superseded_by: m(e.superseded_by) } : e
    ),
  };
}

/**
 * Review events of both records, each once, oldest first, the most recent 20 kept.
 *
 * @example
 * ```ts
 * mergeReviewEvents(stored.review_events, incoming.review_events);
 * ```
 */
export function mergeReviewEvents(a: ReviewEvent[], b: ReviewEvent[]): ReviewEvent[] {
  const seen = new Map<string, ReviewEvent>();
  for (const e of [...a, ...b]) {
    const key = `${Date.parse(e.at)}|${e.action}|${e.actor}|${e.via}|${e.superseded_by ?? ""}`;
    if (!seen.has(key)) seen.set(key, e);
  }
  return [...seen.values()].sort((x, y) => Date.parse(x.at) - Date.parse(y.at)).slice(
    -MAX_EVENTS,
  );
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/**
 * Merges `incoming` into `stored`. The same memory (same id) takes the newer side's state
 * (by `updated_at`, then version) and the union of tags, lineage and reviews; another memory
 * with the same content adds its tags, lineage and evidence and bumps the version. Returns
 * null when nothing would change, so importing a passport twice writes nothing.
 *
 * @example
 * ```ts
 * mergeRecord(stored, incoming, { now: new Date().toISOString() }); // null when identical
 * ```
 */
export function mergeRecord(
  stored: MemoryRecord,
  incoming: MemoryRecord,
  o: { now: string },
): MemoryRecord | null {
  const lineage = {
    tags: union(stored.tags, incoming.tags),
    derived_from: union(stored.derived_from, incoming.derived_from).filter((x) => x !== stored.id),
    contradicts_with: union(stored.contradicts_with, incoming.contradicts_with)
      .filter((x) => x !== stored.id).sort(),
    review_events: mergeReviewEvents(stored.review_events, incoming.review_events),
  };
  let next: MemoryRecord;
  if (stored.id === incoming.id) {
    const newer = Date.parse(incoming.updated_at) > Date.parse(stored.updated_at) ||
      (incoming.updated_at === stored.updated_at && incoming.version > stored.version);
    const base = newer ? { ...incoming, namespace: stored.namespace } : stored;
    next = {
      ...base,
      ...lineage,
      archived: stored.archived && incoming.archived,
      superseded_by: base.superseded_by ?? stored.superseded_by ?? incoming.superseded_by,
      evidence_count: Math.max(stored.evidence_count, incoming.evidence_count),
      category: base.category ?? stored.category ?? incoming.category,
      metadata: { ...incoming.metadata, ...stored.metadata, ...(newer ? incoming.metadata : {}) },
      // counters live only here: an import never resets them
      injection_count: stored.injection_count,
      reuse_count: stored.reuse_count,
      confirm_count: stored.confirm_count,
      reject_count: stored.reject_count,
      supersede_count: stored.supersede_count,
      last_injected_at: stored.last_injected_at,
      last_reused_at: stored.last_reused_at,
      last_outcome_at: stored.last_outcome_at,
    };
  } else {
    next = {
      ...stored,
      ...lineage,
      evidence_count: stored.evidence_count + incoming.evidence_count,
      category: stored.category ?? incoming.category,
    };
  }
  if (sameRecord(stored, next)) return null;
  if (stored.id !== incoming.id || next.version <= stored.version) {
    next = { ...next, version: stored.version + 1, updated_at: o.now };
  }
  return next;
}

/**
 * Field-by-field equality of two records (order-sensitive for arrays, as stored).
 *
 * @example
 * ```ts
 * sameRecord(r, { ...r }); // true
 * ```
 */
export function sameRecord(a: MemoryRecord, b: MemoryRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(orderLike(a, b));
}

/** `b` with `a`'s key order, so JSON text comparison ignores key order. */
function orderLike(a: MemoryRecord, b: MemoryRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a)) out[k] = (b as unknown as Record<string, unknown>)[k];
  for (const k of Object.keys(b)) if (!(k in out)) out[k] = (b as never)[k];
  return out;
}
