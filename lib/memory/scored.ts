/**
 * memoryOSS-shaped recall results: each hit as `{memory, score, provenance, trust_score,
 * low_trust}` where `memory` is the stored record without its embedding.
 */
import type { MemoryRecord } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { RecalledMemory, RecallResponse } from "./read.ts";
import { trustScore } from "./trust.ts";

/** One memoryOSS `ScoredMemory`. */
export interface ScoredMemory {
  memory: MemoryRecord;
  score: number;
  provenance: string[];
  trust_score: number;
  low_trust: boolean;
  explain?: RecalledMemory["explain"];
}

/** Turn a recall response into memoryOSS shape (full records, same order and scores). */
export function toScored(
  rt: Runtime,
  res: RecallResponse,
): { namespace: string; query: string; memories: ScoredMemory[] } {
  const now = rt.now();
  const memories: ScoredMemory[] = [];
  for (const m of res.memories) {
    const record = rt.store.getById(m.id)?.record;
    if (!record) continue; // forgotten between ranking and shaping
    const t = trustScore(record, now);
    memories.push({
      memory: record,
      score: m.score,
      provenance: m.provenance,
      trust_score: t.score,
      low_trust: t.low_trust,
      ...(m.explain ? { explain: m.explain } : {}),
    });
  }
  return { namespace: res.namespace, query: res.query, memories };
}
