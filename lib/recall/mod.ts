/**
 * Recall: hybrid retrieval over the store (vector, bm25, exact identifiers, recency).
 *
 * @module
 */
export { type RecallHit, recallHybrid, type RecallOutcome } from "./engine.ts";
export {
  compareScored,
  diversify,
  fuse,
  normalizeRelative,
  normalizeVector,
  STATUS_FACTOR,
} from "./fusion.ts";
export { extractIdentifiers, identifierOnly } from "./identifiers.ts";
export { formatWindow, timeWindows } from "./time.ts";
export { EPISODE_WEIGHTS, type EpisodeWeights } from "./episode.ts";
export { SHARE_MIN_DOCS, SPEAKER_WEIGHTS, speakerShares, type SpeakerWeights } from "./speaker.ts";
export { REDUNDANCY_WEIGHTS, type RedundancyWeights, sameWords } from "./redundancy.ts";
export { convOf, FOCUS_WEIGHTS, type FocusWeights } from "./focus.ts";
export { BRIDGE_WEIGHTS, type BridgeWeights, bridgeWords } from "./bridge.ts";
export { COOCCUR_WEIGHTS, type CooccurWeights, namesIn } from "./cooccur.ts";
export { ANCHOR_WEIGHTS, anchorOf, type AnchorWeights, anchorWindow, asksWhen } from "./anchor.ts";
export { BruteForceIndex, type VectorIndex } from "./vector_index.ts";
export { contentWords, ftsAnyQuery, ftsPhraseQuery, ftsQuote, STOPWORDS, words } from "./text.ts";
export { commonWords, TermStats } from "./term_stats.ts";
export { recencyScores, temporalIntent } from "./temporal.ts";
export { classifyIntent } from "./intent.ts";
export { type GraphExpander, liftScores, rrf, seedsFirst } from "./graph_fusion.ts";
