/**
 * The memory graph: temporal, entity, causal and semantic edges between memories of one
 * namespace (table `memory_edges`), built without an LLM, and the beam search recall uses to
 * follow them.
 *
 * @module
 */
export { deleteEdgesTouching, edgeCounts } from "../store/mod.ts";
export { extractEntities } from "./entities.ts";
export { causalClauses } from "./causal.ts";
export { linkMemories } from "./build.ts";
export { beamExpand, graphExpander } from "./expand.ts";
export {
  type GraphView,
  linkByHand,
  parseEdgeKind,
  rebuildGraph,
  type RebuildReport,
  showGraph,
  unlink,
} from "./ops.ts";
export {
  askCausalLinks,
  type LlmCausalResult,
  parseCausalAnswer,
  writeLlmCausalEdges,
} from "./llm_causal.ts";
export { relinkUpdated } from "./relink.ts";
