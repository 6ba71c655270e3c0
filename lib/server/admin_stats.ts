/**
 * The operator views behind memoryOSS's admin stats routes (§2.4): space, IDF and trust
 * statistics and the HUD, all confined to a namespace scope; plus honest answers for caches
 * this runtime does not keep (embedding cache, intent cache, prefetch: recall computes each
 * query afresh, so their stats are zero and a flush removes nothing).
 *
 * @module
 */
import {
  lifecycleSummary,
  LOW_TRUST_THRESHOLD,
  namespaceCounts,
  namespaceRecords,
  type NamespaceScope,
  recentActivity,
  reviewQueue,
  type Runtime,
} from "../memory/mod.ts";

/** The caches memoryOSS has and this runtime does not. */
export const ABSENT_CACHES = {
  cache: "embeddings are computed per request; there is no embedding cache",
  "intent-cache": "recall is computed per query; there is no intent cache",
  prefetch: "queries are not pre-embedded per agent; there is no prefetch",
} as const;
export type AbsentCache = keyof typeof ABSENT_CACHES;

/**
 * Stats of a cache this runtime does not keep: memoryOSS's fields, all zero, with the reason.
 *
 * @example
 * ```ts
 * absentCacheStats("cache").entries; // 0
 * ```
 */
export function absentCacheStats(kind: AbsentCache) {
  return {
    enabled: false,
    entries: 0,
    max_entries: 0,
    ttl_secs: 0,
    hits: 0,
    misses: 0,
    hit_rate: 0,
    note: ABSENT_CACHES[kind],
  };
}

/**
 * Bytes and counts per namespace (memoryOSS's space index; its decomposition starts at
 * 200,000 bytes).
 *
 * @example
 * ```ts
 * spaceStats(rt, ["proj"]).total_bytes;
 * ```
 */
export function spaceStats(rt: Runtime, scope: NamespaceScope) {
  const enc = new TextEncoder();
  const namespaces = namespaceCounts(rt, scope).map((n) => {
    let bytes = 0;
    let live = 0;
    for (const { record } of namespaceRecords(rt, n.namespace, false)) {
      bytes += enc.encode(record.content).length;
      live++;
    }
    return {
      namespace: n.namespace,
      memories: live,
      bytes,
      avg_bytes: live ? Math.round(bytes / live) : 0,
    };
  });
  const total = namespaces.reduce((a, n) => a + n.bytes, 0);
  return {
    total_memories: namespaces.reduce((a, n) => a + n.memories, 0),
    total_bytes: total,
    decomposition_threshold_bytes: 200_000,
    namespaces,
  };
}

/**
 * Document counts behind the IDF weights (SQLite FTS5 keeps the term statistics; the smoothed
 * IDF is `ln((N+1)/(df+1))+1`).
 *
 * @example
 * ```ts
 * idfStats(rt, "*").total_docs;
 * ```
 */
export function idfStats(rt: Runtime, scope: NamespaceScope) {
  const namespaces = namespaceCounts(rt, scope).map((n) => ({
    namespace: n.namespace,
    docs: n.total - n.archived,
  }));
  return {
    total_docs: namespaces.reduce((a, n) => a + n.docs, 0),
    formula: "ln((N+1)/(df+1))+1",
    max_idf_boost: 1.5,
    namespaces,
  };
}

/**
 * Per-source reputation (memoryOSS's Beta(2,1) prior: α grows with confirms and reuse, β with
 * rejects) over the memories of one namespace, with the trust configuration.
 *
 * @example
 * ```ts
 * trustStats(rt, "proj").sources[0].reputation;
 * ```
 */
export function trustStats(rt: Runtime, namespace: string) {
  const by = new Map<
    string,
    { memories: number; confirms: number; rejects: number; reuse: number }
  >();
  for (const { record: r } of namespaceRecords(rt, namespace, false)) {
    const key = r.source_key ?? "manual";
    const s = by.get(key) ?? { memories: 0, confirms: 0, rejects: 0, reuse: 0 };
    s.memories++;
    s.confirms += r.confirm_count;
    s.rejects += r.reject_count;
    s.reuse += r.reuse_count;
    by.set(key, s);
  }
  const sources = [...by].map(([source, s]) => {
    const alpha = 2 + s.confirms + s.reuse;
    const beta = 1 + s.rejects;
    return { source, ...s, alpha, beta, reputation: round(alpha / (alpha + beta)) };
  }).sort((a, b) => b.memories - a.memories || a.source.localeCompare(b.source));
  return {
    namespace,
    sources,
    config: {
      threshold: LOW_TRUST_THRESHOLD,
      semantic_dedup_threshold: rt.config.recall.semantic_dedup_threshold,
      prior: { alpha: 2, beta: 1 },
    },
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The operator HUD: lifecycle counts, recent activity and the review queue of one namespace,
 * with the calls that act on it.
 *
 * @example
 * ```ts
 * hud(rt, { scope: ["proj"], namespace: "proj", limit: 5 }).review_queue.summary.pending;
 * ```
 */
export function hud(
  rt: Runtime,
  o: { scope: NamespaceScope; namespace: string; limit: number },
) {
  const lifecycle = lifecycleSummary(rt, { namespace: o.namespace, limit: o.limit });
  const queue = reviewQueue(rt, { namespace: o.namespace, limit: o.limit });
  return {
    namespace: o.namespace,
    generated_at: rt.now().toISOString(),
    lifecycle: lifecycle.summary,
    recent: recentActivity(rt, { scope: o.scope, namespace: o.namespace, limit: o.limit }).events,
    review_queue: { summary: queue.summary, items: queue.items },
    quick_actions: [
      { label: "Review queue", method: "GET", path: "/v1/admin/review-queue" },
      { label: "Confirm or reject", method: "POST", path: "/v1/admin/review/action" },
      { label: "Lifecycle", method: "GET", path: "/v1/admin/lifecycle" },
      { label: "Recent activity", method: "GET", path: "/v1/admin/recent" },
    ],
  };
}
