/**
 * The drain's link step. With a model (`[llm] enabled = true`), before a fact is applied the
 * model is asked which of its reconciliation neighbours are its causes or effects
 * (lib/graph/llm_causal.ts); inside the apply transaction, after the rule edges, those links
 * become causal edges of the memory written. Without a model nothing is asked and only the
 * rule edges exist. {@link hookTransaction} runs the drain's part of a write (links, the queue
 * row's "done") inside the write path's own transaction.
 */
import type { ChatSettings } from "../llm/mod.ts";
import { askCausalLinks, type LlmCausalResult, writeLlmCausalEdges } from "../graph/mod.ts";
import type { StoredMemory } from "../store/mod.ts";
import type { Decision } from "./reconcile.ts";
import type { Runtime } from "./runtime.ts";
import type { StoreResult } from "./write.ts";

/** Writes the planned model edges for the memory the drain wrote (inside its transaction). */
export type CausalLinker = ((memoryId: string) => number) & { result: LlmCausalResult };

/**
 * Ask the model (outside any transaction) about a fact's neighbours. Nothing is asked without
 * a model or when the decision stores nothing new (NONE); the target a fact supersedes is not
 * offered (it is archived by the same write).
 *
 * @example
 * ```ts
 * const link = await planCausalLinks(rt, llm, it.namespace, input.content, near, decision);
 * rt.store.transaction(() => { … ; link(record.id); });
 * ```
 */
export async function planCausalLinks(
  rt: Runtime,
  llm: ChatSettings | null,
  namespace: string,
  content: string,
  near: { memory: StoredMemory }[],
  decision: Decision,
): Promise<CausalLinker> {
  const candidates = near.map((n) => n.memory.record)
    .filter((r) => r.id !== decision.target_id)
    .map((r) => ({ id: r.id, content: r.content }));
  const result = decision.action === "NONE"
    ? { source: "none" as const, links: [] }
    : await askCausalLinks(llm, content, candidates);
  const link = (memoryId: string) =>
    writeLlmCausalEdges(rt.store, memoryId, namespace, result.links, rt.now().toISOString());
  return Object.assign(link, { result });
}

/**
 * A view of `rt` whose store runs `after` inside the write path's own transaction (so the
 * write and the queue row's "done" commit together) and whose embedder returns `vec` (already
 * computed for the plan). The write path calls `store.transaction` once per batch of ≤ 256.
 */
export function hookTransaction(
  rt: Runtime,
  vec: Float32Array,
  after: (out: StoreResult[]) => void,
): Runtime {
  const real = rt.store;
  const store = new Proxy(real, {
    get(target, prop) {
      if (prop === "transaction") {
        return <T>(fn: () => T): T =>
          real.transaction(() => {
            const out = fn();
            after(out as StoreResult[]);
            return out;
          });
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const embedder = {
    id: rt.embedder.id,
    dim: rt.embedder.dim,
    embed: (texts: string[]) => Promise.resolve(texts.map(() => vec)),
  };
  return { ...rt, store, embedder };
}
