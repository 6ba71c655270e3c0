/**
 * The memory graph as the surfaces use it: lib/graph's operations with the runtime's index
 * brought up to date and zod-validated inputs, so CLI and HTTP share one behaviour.
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { type ChatSettings, homeEnv } from "../llm/mod.ts";
import {
  askCausalLinks,
  type GraphView,
  linkByHand,
  parseEdgeKind,
  rebuildGraph,
  type RebuildReport,
  showGraph,
  unlink,
  writeLlmCausalEdges,
} from "../graph/mod.ts";
import { liveMemoryIds } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { nearestMemories } from "./reconcile.ts";
import { llmSettings } from "./reconcile_llm.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";
import { clearDeferredLinks, lastPk } from "./import_links.ts";

/** `POST /v1/graph/link` and `graph link`. */
export const GraphLinkInputSchema = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  kind: z.string().min(1),
  weight: z.number().gt(0).max(1).optional(),
  namespace: NamespaceSchema.optional(),
});

/** A memory's edges, breadth first to `depth`, optionally of some kinds only. */
export function memoryGraph(
  rt: Runtime,
  id: string,
  opts: { namespace?: string; kinds?: string[]; depth?: number } = {},
): GraphView {
  return showGraph(rt.store, id, {
    namespace: opts.namespace,
    kinds: opts.kinds?.map((k) => parseEdgeKind(k)),
    depth: opts.depth,
  });
}

/** Link two memories by hand. */
export function linkMemoriesByHand(rt: Runtime, raw: unknown) {
  refuseWhileStopped(rt.loaded.home, "graph link");
  const input = parseInput(GraphLinkInputSchema, raw);
  return linkByHand(
    rt.store,
    { ...input, kind: parseEdgeKind(input.kind) },
    rt.now().toISOString(),
  );
}

/** Remove the edges between two memories (all kinds unless `kind`). */
export function unlinkMemories(
  rt: Runtime,
  input: { from: string; to: string; kind?: string; namespace?: string },
) {
  refuseWhileStopped(rt.loaded.home, "graph unlink");
  return unlink(rt.store, {
    ...input,
    kind: input.kind === undefined ? undefined : parseEdgeKind(input.kind),
  });
}

/** Recompute automatic edges (semantic ones included) for one namespace or all. */
export function rebuildMemoryGraph(
  rt: Runtime,
  opts: {
    namespace?: string;
    dryRun?: boolean;
    onProgress?: (done: number, total: number) => void;
  },
): RebuildReport {
  if (!opts.dryRun) refuseWhileStopped(rt.loaded.home, "graph rebuild");
  rt.syncIndex();
  const upTo = lastPk(rt.store);
  const report = rebuildGraph(rt.store, {
    ...opts,
    index: rt.index,
    stats: rt.stats,
    now: rt.now().toISOString(),
  });
  // A full rebuild linked every memory, those an import left for the drain too.
  if (!opts.dryRun && opts.namespace === undefined) clearDeferredLinks(rt.store, upTo);
  return report;
}

/** What `graph rebuild --llm` added on top of the rule edges. */
export interface LlmCausalReport {
  /** Memories the model was asked about (those with neighbours). */
  asked: number;
  /** Answers used, and questions that failed twice (only rule edges there). */
  llm: number;
  fallback: number;
  /** Causal edges written from the model's answers. */
  edges: number;
  /** The last failure, when any question fell back. */
  last_error?: string;
}

/**
 * `graph rebuild --llm`: after the rule rebuild, ask the `[llm]` model about every live memory
 * of one namespace or all and its nearest neighbours (the drain's reconciliation neighbours);
 * each answer's causal edges are written in their own short transaction. INVALID_CONFIG when
 * `[llm]` is off and no settings are passed.
 */
export async function llmCausalPass(
  rt: Runtime,
  opts: {
    namespace?: string;
    llm?: ChatSettings | null;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<LlmCausalReport> {
  refuseWhileStopped(rt.loaded.home, "graph rebuild");
  const llm = opts.llm === undefined ? llmSettings(rt.config, homeEnv(rt.loaded.home)) : opts.llm;
  if (!llm) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      "graph rebuild --llm needs a model: set [llm] enabled = true (with base_url and model)",
    );
  }
  rt.syncIndex();
  const rows = liveMemoryIds(rt.store, opts.namespace).map((id) => ({ id }));
  const report: LlmCausalReport = { asked: 0, llm: 0, fallback: 0, edges: 0 };
  for (const [i, { id }] of rows.entries()) {
    opts.onProgress?.(i, rows.length);
    const m = rt.store.getById(id);
    const vec = m ? rt.index.get(m.pk) : undefined;
    if (!m || !vec) continue;
    const r = m.record;
    const candidates = nearestMemories(rt, r.namespace, r.content, vec)
      .filter((n) => n.memory.record.id !== id)
      .map((n) => ({ id: n.memory.record.id, content: n.memory.record.content }));
    const res = await askCausalLinks(llm, r.content, candidates);
    if (res.source === "none") continue;
    report.asked++;
    report[res.source]++;
    if (res.error) report.last_error = res.error;
    report.edges += rt.store.transaction(() =>
      writeLlmCausalEdges(rt.store, id, r.namespace, res.links, rt.now().toISOString())
    );
  }
  opts.onProgress?.(rows.length, rows.length);
  return report;
}
