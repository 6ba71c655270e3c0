/** Lifecycle overview of a namespace (memoryOSS `GET /v1/admin/lifecycle`). */
import { z } from "zod";
import { recentlyUpdatedIds, statusCountsIn, STATUSES } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";
import { preview } from "./scoped.ts";
import { trustScore } from "./trust.ts";
import { reviewQueueKind } from "./review.ts";

export const LifecycleInputSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  status: z.array(z.enum(STATUSES)).optional(),
  limit: z.number().int().min(1).max(100).optional(),
  include_archived: z.boolean().optional(),
});

/** Counts per state (archived apart) and the most recently updated memories. */
export function lifecycleSummary(rt: Runtime, raw: unknown) {
  const input = parseInput(LifecycleInputSchema, raw);
  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  const rows = statusCountsIn(rt.store, namespace);
  const summary: Record<string, number> = {
    total: 0,
    active: 0,
    candidate: 0,
    contested: 0,
    stale: 0,
    archived: 0,
  };
  for (const r of rows) {
    summary.total += r.n;
    if (r.archived) summary.archived += r.n;
    else summary[r.status] = (summary[r.status] ?? 0) + r.n;
  }
  const now = rt.now();
  const latest = recentlyUpdatedIds(rt.store, namespace, {
    statuses: input.status,
    includeArchived: input.include_archived,
    limit: input.limit ?? 20,
  });
  const memories = latest.flatMap((id) => {
    const m = rt.store.getById(id);
    if (!m) return [];
    const r = m.record;
    const t = trustScore(r, now);
    return [{
      id: r.id,
      preview: preview(r.content, 120),
      status: r.status,
      archived: r.archived,
      eligible_for_injection: r.status === "active" && !r.archived,
      version: r.version,
      confidence: r.confidence,
      evidence_count: r.evidence_count,
      superseded_by: r.superseded_by,
      contradiction_count: r.contradicts_with.length,
      review_queue_kind: reviewQueueKind(r),
      trust_score: t.score,
      low_trust: t.low_trust,
      tags: r.tags,
      created_at: r.created_at,
      updated_at: r.updated_at,
    }];
  });
  return { namespace, summary, memories };
}
