/**
 * The review queue (memoryOSS §1.2, §2.4): candidates, contested and rejected memories waiting
 * for a person, with a suggested action, and review actions applied as feedback.
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { type MemoryRecord, sameContentCount } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";
import { type NamespaceScope, preview, requireMemoryIn } from "./scoped.ts";
import { trustScore } from "./trust.ts";
import { applyFeedback, FEEDBACK_ACTIONS, type FeedbackResult } from "./feedback.ts";

export type QueueKind = "candidate" | "contested" | "rejected";

/** Which queue a memory is in, or null when it needs no review. */
export function reviewQueueKind(r: MemoryRecord): QueueKind | null {
  if (r.archived) return null;
  if (r.reject_count > 0 && r.status !== "active") return "rejected";
  if (r.status === "candidate") return "candidate";
  if (r.status === "contested") return "contested";
  return null;
}

/** What a reviewer most likely wants to do. */
export function suggestedReviewAction(r: MemoryRecord): "confirm" | "reject" | "supersede" | null {
  const kind = reviewQueueKind(r);
  if (kind === null) return null;
  if (kind === "candidate") return "confirm";
  return r.contradicts_with.length > 0 || r.superseded_by ? "supersede" : "reject";
}

export const ReviewQueueInputSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

const hoursSince = (now: Date, at: string) =>
  Math.round(((now.getTime() - Date.parse(at)) / 3_600_000) * 100) / 100;

/** The queue of one namespace: a summary and the oldest pending items first. */
export function reviewQueue(rt: Runtime, raw: unknown) {
  const input = parseInput(ReviewQueueInputSchema, raw);
  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  const limit = input.limit ?? 20;
  const now = rt.now();
  const pending = rt.store.list(
    { namespace, statuses: ["candidate", "contested", "stale"] },
    { limit: 1_000_000, order: "oldest" },
  ).filter((m) => reviewQueueKind(m.record) !== null).map((m) => m.record);
  const summary = {
    pending: pending.length,
    candidate: 0,
    contested: 0,
    rejected: 0,
    suggested_confirm: 0,
    suggested_reject: 0,
    suggested_supersede: 0,
    oldest_age_hours: pending.length ? hoursSince(now, pending[0].created_at) : null,
  };
  for (const r of pending) {
    summary[reviewQueueKind(r)!]++;
    summary[`suggested_${suggestedReviewAction(r)!}`]++;
  }
  const items = pending.slice(0, limit).map((r) => {
    const trust = trustScore(r, now);
    const last = r.review_events.at(-1);
    const dupes = r.content_hash ? sameContentCount(rt.store, namespace, r.content_hash, r.id) : 0;
    const related = [
      ...r.contradicts_with.map((id) => ({ id, relation: "contradicts" })),
      ...(r.superseded_by ? [{ id: r.superseded_by, relation: "superseded_by" }] : []),
    ];
    const replacement_options = related.flatMap(({ id, relation }) => {
      const o = rt.store.getById(id);
      if (!o || o.record.namespace !== namespace) return [];
      return [{
        review_key: `review:${id}`,
        preview: preview(o.record.content, 120),
        status: o.record.status,
        relation,
      }];
    });
    return {
      review_key: `review:${r.id}`,
      id: r.id,
      queue_kind: reviewQueueKind(r),
      status: r.status,
      suggested_action: suggestedReviewAction(r),
      available_actions: [...FEEDBACK_ACTIONS],
      age_hours: hoursSince(now, r.created_at),
      preview: preview(r.content, 160),
      source: r.source_key,
      confidence: r.confidence,
      evidence_count: r.evidence_count,
      trust_score: trust.score,
      low_trust: trust.low_trust,
      tags: r.tags,
      agent: r.agent,
      session: r.session,
      contradiction_count: r.contradicts_with.length,
      duplicate_content_count: dupes,
      review_event_count: r.review_events.length,
      last_review_at: last?.at ?? null,
      last_review_action: last?.action ?? null,
      replacement_options,
    };
  });
  return { namespace, summary, items };
}

export const ReviewActionInputSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  review_key: z.string().min(1),
  action: z.enum(FEEDBACK_ACTIONS),
  supersede_with_review_key: z.string().min(1).optional(),
});

/** `review:<uuid>`, `rq:<uuid>` or a bare id → the id. */
export function reviewKeyToId(key: string): string {
  return key.replace(/^(review|rq):/, "");
}

/**
 * Apply a review action (feedback with `via: "review_queue"`).
 *
 * @example
 * ```ts
 * reviewAction(rt, { review_key: "review:0190…", action: "confirm" }, { actor: "key:ab12" });
 * ```
 */
export function reviewAction(
  rt: Runtime,
  raw: unknown,
  ctx: { scope?: NamespaceScope; actor?: string } = {},
) {
  const input = parseInput(ReviewActionInputSchema, raw);
  const scope = ctx.scope ?? "*";
  const id = reviewKeyToId(input.review_key);
  const before = requireMemoryIn(rt, id, scope, input.namespace).record;
  const kind = reviewQueueKind(before);
  if (input.action === "supersede" && !input.supersede_with_review_key) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "supersede_with_review_key: required when action is supersede",
      ["supersede_with_review_key"],
    );
  }
  const replacementId = input.supersede_with_review_key
    ? reviewKeyToId(input.supersede_with_review_key)
    : undefined;
  const res: FeedbackResult = applyFeedback(rt, {
    id,
    namespace: before.namespace,
    action: input.action,
    ...(input.action === "supersede" ? { superseded_by: replacementId } : {}),
  }, {
    scope,
    actor: ctx.actor,
    via: "review_queue",
    queue_kind: kind ?? undefined,
  });
  const replacement = replacementId && input.action === "supersede"
    ? rt.store.getById(replacementId)?.record
    : undefined;
  return {
    review_key: `review:${id}`,
    queue_kind_before: kind,
    action: input.action,
    namespace: before.namespace,
    memory: res,
    ...(replacement
      ? {
        replacement: {
          review_key: `review:${replacement.id}`,
          id: replacement.id,
          status: replacement.status,
          preview: preview(replacement.content, 120),
        },
      }
      : {}),
  };
}
