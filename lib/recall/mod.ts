/**
 * Recall: hybrid retrieval over the store (vector, bm25, exact identifiers, recency).
 *
 * @module
 */
export {
  type QueryEmbedder,
  type RecallDeps,
  type RecallHit,
  recallHybrid,
  type RecallOutcome,
  type RecallParams,
} from "./engine.ts";
export {
  type ChannelScores,
  compareScored,
  diversify,
  fuse,
  normalizeRelative,
  normalizeVector,
  STATUS_FACTOR,
  type Weights,
} from "./fusion.ts";
export { extractIdentifiers, type Identifier, identifierOnly } from "./identifiers.ts";
export {
  eventWindows,
  formatWindow,
  TIME_WEIGHTS,
  timeScores,
  type TimeWeights,
  type TimeWindow,
  timeWindows,
} from "./time.ts";
export { EPISODE_WEIGHTS, type EpisodeWeights } from "./episode.ts";
export {
  type QuerySpeakers,
  SHARE_MIN_DOCS,
  SPEAKER_WEIGHTS,
  speakerShares,
  type SpeakerWeights,
} from "./speaker.ts";
export {
  demoteRepeats,
  REDUNDANCY_WEIGHTS,
  type RedundancyWeights,
  sameWords,
} from "./redundancy.ts";
export { convOf, FOCUS_WEIGHTS, type FocusWeights } from "./focus.ts";
export { COOCCUR_WEIGHTS, type CooccurWeights, namesIn } from "./cooccur.ts";
export {
  type Anchor,
  ANCHOR_WEIGHTS,
  anchorOf,
  type AnchorWeights,
  anchorWindow,
  asksWhen,
} from "./anchor.ts";
export { BruteForceIndex, type VectorHit, type VectorIndex } from "./vector_index.ts";
export {
  contentWords,
  ftsAnyQuery,
  ftsOr,
  ftsPhraseQuery,
  ftsQuote,
  queryTerms,
  STOPWORDS,
  words,
} from "./text.ts";
export { commonWords, TermStats } from "./term_stats.ts";
export { recencyScores, type TemporalIntent, temporalIntent } from "./temporal.ts";
export { classifyIntent, type IntentKind, type QueryIntent } from "./intent.ts";
export {
  type ExpansionPlan,
  type GraphEdgeKind,
  type GraphExpander,
  type GraphHitInfo,
  type GraphNode,
  type GraphReach,
  liftScores,
  planFor,
  rrf,
  seedsFirst,
} from "./graph_fusion.ts";
