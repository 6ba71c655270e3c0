/**
 * The memory graph: temporal, entity, causal and semantic edges between memories of one
 * namespace (table `memory_edges`), built without an LLM, and the beam search recall uses to
 * follow them.
 *
 * @module
 */
export {
  deleteAutoEdges,
  deleteEdgesTouching,
  type Edge,
  EDGE_KINDS,
  edgeCounts,
  type EdgeKind,
  type EdgeOrigin,
  edgesTouching,
  isEdgeKind,
} from "../store/mod.ts";
export { type Entity, extractEntities } from "./entities.ts";
export { type CausalClause, causalClauses } from "./causal.ts";
export { type EdgeTally, GRAPH_LIMITS, linkMemories, type LinkOptions } from "./build.ts";
export {
  beamExpand,
  type BeamPlan,
  graphExpander,
  type NodeInfo,
  type PathStep,
  type Reached,
} from "./expand.ts";
export {
  type GraphEdgeView,
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
  type CausalCandidate,
  causalPrompt,
  LLM_CAUSAL_MIN_CONFIDENCE,
  LLM_CAUSAL_NEIGHBOURS,
  LLM_CAUSAL_TRIES,
  LlmCausalAnswerSchema,
  type LlmCausalLink,
  type LlmCausalResult,
  parseCausalAnswer,
  writeLlmCausalEdges,
} from "./llm_causal.ts";
export { incomingCausal, relinkUpdated, reresolveIncomingCausal } from "./relink.ts";
