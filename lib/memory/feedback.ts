/**
 * Feedback (memoryOSS §1.2): confirm, reject or supersede a memory. Each action moves the
 * lifecycle state, adjusts confidence and evidence, bumps the outcome counters and keeps the
 * 20 most recent review events on the record.
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import type { MemoryRecord, ReviewEvent, StoredMemory } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { type NamespaceScope, requireMemoryIn } from "./scoped.ts";
import { recordActivity } from "./activity.ts";

export const FEEDBACK_ACTIONS = ["confirm", "reject", "supersede"] as const;
export type FeedbackAction = typeof FEEDBACK_ACTIONS[number];

export const FeedbackInputSchema = z.strictObject({
  id: z.string().min(1),
  namespace: NamespaceSchema.optional(),
  action: z.enum(FEEDBACK_ACTIONS),
  /** Required for `supersede`: the memory that replaces this one. */
  superseded_by: z.string().min(1).optional(),
});
export type FeedbackInput = z.infer<typeof FeedbackInputSchema>;

/** Who gave the feedback and through which surface. */
export interface FeedbackContext {
  /** Namespaces the caller may touch (default: every namespace). */
  scope?: NamespaceScope;
  actor?: string;
  /** "api" (default), "review_queue", "cli", "mcp". */
  via?: string;
  queue_kind?: string;
  /** Confirm the replacement on supersede (true for `/v1/feedback`). */
  confirmReplacement?: boolean;
}

/** `feedback` output (memoryOSS shape plus `version` and `namespace`). */
export interface FeedbackResult {
  id: string;
  namespace: string;
  version: number;
  status: string;
  confidence: number | null;
  evidence_count: number;
  last_verified_at: string | null;
  superseded_by: string | null;
  contradicts_with: string[];
  injection_count: number;
  reuse_count: number;
  confirm_count: number;
  reject_count: number;
  supersede_count: number;
}

const MAX_EVENTS = 20;

/** The record after `action`, without writing it. Pure; `now` is an RFC3339 string. */
export function applyAction(
  r: MemoryRecord,
  action: FeedbackAction,
  now: string,
  event: Omit<ReviewEvent, "at" | "action">,
  supersededBy?: string,
): MemoryRecord {
  const next: MemoryRecord = {
    ...r,
    version: r.version + 1,
    updated_at: now,
    last_outcome_at: now,
    review_events: [...r.review_events, {
      at: now,
      action,
      ...event,
      ...(supersededBy ? { superseded_by: supersededBy } : {}),
    }].slice(-MAX_EVENTS),
  };
  if (action === "confirm") {
    next.status = "active";
    next.evidence_count = r.evidence_count + 1;
    next.last_verified_at = now;
    next.superseded_by = null;
    next.contradicts_with = [];
    next.confidence = r.confidence === null ? null : Math.min(1, r.confidence + 0.25);
    next.confirm_count = r.confirm_count + 1;
  } else if (action === "reject") {
    next.status = "contested";
    next.superseded_by = null;
    next.confidence = (r.confidence ?? 0.6) * 0.5;
    next.reject_count = r.reject_count + 1;
  } else {
    next.status = "stale";
    next.superseded_by = supersededBy ?? null;
    next.contradicts_with = [];
    next.supersede_count = r.supersede_count + 1;
  }
  return next;
}

function result(r: MemoryRecord): FeedbackResult {
  return {
    id: r.id,
    namespace: r.namespace,
    version: r.version,
    status: r.status,
    confidence: r.confidence === null ? null : Math.round(r.confidence * 10000) / 10000,
    evidence_count: r.evidence_count,
    last_verified_at: r.last_verified_at,
    superseded_by: r.superseded_by,
    contradicts_with: r.contradicts_with,
    injection_count: r.injection_count,
    reuse_count: r.reuse_count,
    confirm_count: r.confirm_count,
    reject_count: r.reject_count,
    supersede_count: r.supersede_count,
  };
}

/**
 * Apply feedback in one transaction. Supersede needs `superseded_by` in the same namespace,
 * and not the memory itself.
 *
 * @example
 * ```ts
 * applyFeedback(rt, { id, action: "confirm" }, { actor: "key:ab12", via: "api" });
 * ```
 */
export function applyFeedback(
  rt: Runtime,
  raw: unknown,
  ctx: FeedbackContext = {},
): FeedbackResult & { replacement?: FeedbackResult } {
  const input = parseInput(FeedbackInputSchema, raw);
  if (input.action === "supersede") {
    if (!input.superseded_by) {
      throw new MemoryossError(
        "INVALID_INPUT",
        "superseded_by: required when action is supersede",
        ["superseded_by"],
      );
    }
    if (input.superseded_by === input.id) {
      throw new MemoryossError(
        "INVALID_INPUT",
        "superseded_by: a memory cannot supersede itself",
        ["superseded_by"],
      );
    }
  } else if (input.superseded_by !== undefined) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "superseded_by: only allowed when action is supersede",
      ["superseded_by"],
    );
  }
  const scope = ctx.scope ?? "*";
  const event = {
    actor: ctx.actor ?? "local",
    via: ctx.via ?? "api",
    ...(ctx.queue_kind ? { queue_kind: ctx.queue_kind } : {}),
  };
  return rt.store.transaction(() => {
    const m = requireMemoryIn(rt, input.id, scope, input.namespace);
    const now = rt.now().toISOString();
    let target: StoredMemory | undefined;
    if (input.action === "supersede") {
      const t = rt.store.getById(input.superseded_by!);
      if (!t || t.record.namespace !== m.record.namespace) {
        throw new MemoryossError(
          "NOT_FOUND",
          `no memory with id ${input.superseded_by} in namespace ${m.record.namespace}`,
          ["superseded_by"],
        );
      }
      target = t;
    }
    const next = applyAction(m.record, input.action, now, event, input.superseded_by);
    rt.store.update(m.pk, next);
    let replacement: FeedbackResult | undefined;
    if (target && ctx.confirmReplacement) {
      const t = applyAction(target.record, "confirm", now, event);
      rt.store.update(target.pk, t);
      replacement = result(t);
    }
    recordActivity(rt, {
      namespace: next.namespace,
      kind: `feedback.${input.action}`,
      memory_id: next.id,
      actor: event.actor,
      detail: {
        via: event.via,
        status: next.status,
        ...(input.superseded_by ? { superseded_by: input.superseded_by } : {}),
      },
    });
    return { ...result(next), ...(replacement ? { replacement } : {}) };
  });
}
