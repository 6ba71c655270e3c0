/**
 * Re-linking after an update: a memory's own automatic edges are recomputed, and the causal
 * edges that other memories' clauses made to it are re-checked against its new text.
 */
import type { Store } from "../store/mod.ts";
import { type Edge, edgesTouching, upsertEdge } from "../store/mod.ts";
import { otherEnd } from "./edges.ts";
import { causalClauses, clauseOverlap } from "./causal.ts";
import { GRAPH_LIMITS, linkMemories, type LinkOptions } from "./build.ts";

/**
 * The rule-made causal edges that other memories' clauses point at `id` (their clause is in
 * the other memory's text): what {@link reresolveIncomingCausal} re-checks after `id` changes.
 * Read them before the memory's edges are recomputed.
 */
export function incomingCausal(store: Store, id: string): Edge[] {
  return edgesTouching(store, [id], ["causal"]).filter((e) =>
    e.origin === "auto" && e.detail.source !== "llm" && typeof e.detail.clause === "string"
  );
}

/**
 * After memory `id`'s content changed and its own edges were recomputed, re-resolve the causal
 * edges of `before` ({@link incomingCausal}, read before the change): each one whose clause
 * the other memory states, and which the new text still states (the same overlap rule as the
 * builder: at least {@link GRAPH_LIMITS.causalOverlap} of the clause, without restating the
 * whole sentence), comes back with its new weight. Bounded: one row read per old edge, no
 * index look-ups. Returns the number of edges restored (with their first `created_at`).
 */
export function reresolveIncomingCausal(
  store: Store,
  id: string,
  before: readonly Edge[],
): number {
  const self = store.getById(id);
  if (!self || before.length === 0) return 0;
  const text = self.record.content;
  const present = new Set(
    edgesTouching(store, [id], ["causal"]).map((e) => `${e.src}|${e.dst}`),
  );
  let n = 0;
  for (const e of before) {
    const other = store.getById(otherEnd(e, id));
    const clause = e.detail.clause as string;
    if (!other || other.record.namespace !== self.record.namespace) continue;
    // Only edges the other memory's clause made: an edge this memory's own clause made was
    // already recomputed with it.
    const own = causalClauses(other.record.content).find((c) =>
      c.cause?.startsWith(clause) || c.effect?.startsWith(clause)
    );
    if (!own || present.has(`${e.src}|${e.dst}`) || present.has(`${e.dst}|${e.src}`)) continue;
    const opposite = own.cause?.startsWith(clause) ? own.effect : own.cause;
    const overlap = clauseOverlap(clause, text);
    if (overlap < GRAPH_LIMITS.causalOverlap) continue;
    if (opposite && clauseOverlap(opposite, text) >= 0.7) continue;
    upsertEdge(store, { ...e, weight: overlap });
    present.add(`${e.src}|${e.dst}`);
    n++;
  }
  return n;
}

/**
 * {@link linkMemories} for memories whose content was just updated (call it instead, inside
 * the update's transaction): their own automatic edges are recomputed, then the causal edges
 * other memories' clauses made to them are re-resolved against the new text
 * ({@link reresolveIncomingCausal}), instead of waiting for `graph rebuild`.
 *
 * @example
 * ```ts
 * relinkUpdated(store, [id], { index, stats });
 * ```
 */
export function relinkUpdated(store: Store, ids: readonly string[], opts: LinkOptions = {}) {
  const before = new Map(ids.map((id) => [id, incomingCausal(store, id)]));
  const tally = linkMemories(store, ids, { ...opts, fresh: false });
  for (const id of ids) tally.causal += reresolveIncomingCausal(store, id, before.get(id)!);
  return tally;
}
