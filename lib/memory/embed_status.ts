/**
 * memman's `embed status`: the embedder the home is bound to (its fingerprint
 * `{provider, model, dim}`) and how many stored vectors come from it. The embedder is one per
 * home, so the counts cover every store and namespace of the home. Read-only.
 *
 * @module
 */
import { embedderStats } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";

/** `embed status --json`. */
export interface EmbedStatus {
  store: string;
  /** memman's swap state: `idle` (memoryoss never leaves a swap in flight). */
  state: "idle";
  fingerprint: { provider: string; model: string; dim: number };
  embedder_id: string;
  /** Memories of the home (archived included). */
  memories: number;
  /** Vectors from the bound embedder. */
  current: number;
  /** Vectors from another embedder or of another size (`embed reembed` fixes them). */
  stale: number;
  /** Memories without a vector. */
  missing: number;
  /** Every embedder id found in the store, with its dimension and row count. */
  by_embedder: { embedder_id: string; dim: number; count: number }[];
}

/**
 * The bound embedder and its coverage of the stored vectors.
 *
 * @example
 * ```ts
 * const s = embedStatus(rt, "default"); // s.stale > 0: run `embed reembed`
 * ```
 */
export function embedStatus(rt: Runtime, store: string): EmbedStatus {
  const { id, dim } = rt.embedder;
  const cfg = rt.config.embeddings;
  let memories = 0, current = 0, stale = 0, missing = 0;
  const by: EmbedStatus["by_embedder"] = [];
  for (const r of embedderStats(rt.store)) {
    memories += r.n;
    if (r.embedder_id === null || r.dim === null) {
      missing += r.n;
      continue;
    }
    by.push({ embedder_id: r.embedder_id, dim: r.dim, count: r.n });
    if (r.embedder_id === id && r.dim === dim) current += r.n;
    else stale += r.n;
  }
  by.sort((a, b) => b.count - a.count || a.embedder_id.localeCompare(b.embedder_id));
  return {
    store,
    state: "idle",
    fingerprint: { provider: cfg.provider, model: cfg.model ?? "", dim },
    embedder_id: id,
    memories,
    current,
    stale,
    missing,
    by_embedder: by,
  };
}
