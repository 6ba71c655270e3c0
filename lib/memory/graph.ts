/**
 * The memory graph as the surfaces use it: lib/graph's operations with the runtime's index
 * brought up to date and zod-validated inputs, so CLI and HTTP share one behaviour.
 */
import { z } from "zod";
import {
  type GraphView,
  linkByHand,
  parseEdgeKind,
  rebuildGraph,
  type RebuildReport,
  showGraph,
  unlink,
} from "../graph/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";

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
  rt.syncIndex();
  return rebuildGraph(rt.store, {
    ...opts,
    index: rt.index,
    stats: rt.stats,
    now: rt.now().toISOString(),
  });
}
