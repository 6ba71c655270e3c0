/**
 * Query explain (memoryOSS `POST /v1/admin/query-explain`): run a recall with explanations and
 * lay out what each channel contributed, for an operator asking "why did this come back?".
 */
import { extractIdentifiers } from "../recall/mod.ts";
import { STATUS_FACTOR } from "../recall/mod.ts";
import type { Runtime } from "./runtime.ts";
import { parseInput, RecallInputSchema } from "./schemas.ts";
import { recall } from "./read.ts";
import { trustScore } from "./trust.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";

/** Recall with every channel's raw and normalized scores, identifiers and the weights used. */
export async function queryExplain(rt: Runtime, raw: unknown) {
  const input = parseInput(RecallInputSchema, raw);
  const cfg = rt.config.recall;
  const weights = { ...cfg.weights, ...input.weights };
  const mode = input.mode ?? "hybrid";
  const res = await recall(rt, { ...input, explain: true });
  const now = rt.now();
  const final = res.memories.map((m) => {
    const r = rt.store.getById(m.id)?.record;
    const t = r ? trustScore(r, now) : null;
    const ch = m.explain!.channels;
    return {
      id: m.id,
      preview: m.content.slice(0, 160),
      status: m.status,
      provenance: m.provenance,
      channels: ch,
      raw: m.explain!.raw,
      max_channel_score: Math.max(ch.vector, ch.fts, ch.exact),
      base_score: Math.round(
        (ch.vector * weights.vector + ch.fts * weights.fts + ch.exact * weights.exact) * 10000,
      ) / 10000,
      recency_score: Math.round(ch.recency * weights.recency * 10000) / 10000,
      status_factor: STATUS_FACTOR[m.status as keyof typeof STATUS_FACTOR] ?? 1,
      trust_score: t?.score ?? null,
      trust_signals: t?.signals ?? null,
      low_trust: t?.low_trust ?? null,
      graph: m.explain!.graph ?? null,
      final_score: m.score,
    };
  });
  const byRaw = (k: "vector" | "fts" | "exact") =>
    final.filter((f) => f.raw[k] !== null).sort((a, b) => b.raw[k]! - a.raw[k]!);
  return {
    query: input.query,
    namespace: input.namespace ?? DEFAULT_NAMESPACE,
    mode,
    used_vector: mode !== "bm25",
    used_fts: mode !== "vector",
    used_exact: mode === "hybrid",
    // Mirrors recall()'s default statuses.
    statuses: input.status ?? ["active", "contested"],
    include_archived: input.include_archived ?? false,
    identifiers: mode === "hybrid" ? extractIdentifiers(input.query) : [],
    weights,
    min_channel_score: input.min_channel_score ?? cfg.min_channel_score,
    diversity_factor: input.diversity_factor ?? cfg.diversity_factor,
    vector_results: byRaw("vector").map((f) => ({ id: f.id, similarity: f.raw.vector })),
    fts_results: byRaw("fts").map((f) => ({
      id: f.id,
      bm25_raw: f.raw.fts,
      normalized: f.channels.fts,
    })),
    exact_results: byRaw("exact").map((f) => ({ id: f.id, score: f.channels.exact })),
    // The query's intent and what the memory graph added (docs/graph.md).
    intent: res.explain?.intent ?? null,
    graph_expansion: res.explain?.expansion ?? null,
    final_results: final,
  };
}
