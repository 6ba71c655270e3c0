/**
 * Memory operations: the one implementation of store / recall / update / forget / list /
 * inspect / export / import / status that the CLI, HTTP API and MCP server all call.
 *
 * @module
 */
export { openRuntime, type Runtime, type RuntimeOptions } from "./runtime.ts";
export {
  DEFAULT_NAMESPACE,
  requireMemory,
  storeMemories,
  type StoreResult,
  storeValid,
  updateValid,
} from "./write.ts";
export { storeMemory, updateMemory, validateStoreInput } from "./write_input.ts";
export {
  exportNamespace,
  inspectMemory,
  listMemories,
  type ListResponse,
  recall,
  type RecalledMemory,
  type RecallResponse,
  status,
} from "./read.ts";
export {
  FIRST_LINE_CHARS,
  firstLine,
  forget,
  type ForgetCaller,
  type ForgetPreview,
  type ForgetResult,
} from "./forget.ts";
export {
  GraphLinkInputSchema,
  linkMemoriesByHand,
  llmCausalPass,
  memoryGraph,
  rebuildMemoryGraph,
  unlinkMemories,
} from "./graph.ts";
export { type ImportError, type ImportOptions, type ImportResult, importText } from "./import.ts";
export { reembed, type ReembedResult } from "./reembed.ts";
export { embedSwap, type SwapOptions, type SwapResult, type SwapTarget } from "./embed_swap.ts";
export { type EmbedStatus, embedStatus } from "./embed_status.ts";
export { conflicts, signature } from "./contradiction.ts";
export {
  type ForgetInput,
  ForgetInputSchema,
  type ListInput,
  ListInputSchema,
  NamespaceSchema,
  parseInput,
  type RecallInput,
  RecallInputSchema,
  type StoreInput,
  StoreInputSchema,
  type UpdateInput,
  UpdateInputSchema,
} from "./schemas.ts";
export {
  checkJsonInput,
  checkText,
  decodeUtf8,
  decodeUtf8Lines,
  ILL_FORMED,
  type InputProblem,
  jsonInputProblem,
  type JsonLimits,
  MAX_DOCUMENT_DEPTH,
  MAX_JSON_DEPTH,
  MAX_METADATA_BYTES,
} from "./input_checks.ts";
export { type StoreMemoriesOptions } from "./write.ts";
export { inScope, type NamespaceScope, peekMemory, preview, requireMemoryIn } from "./scoped.ts";
export { type ActivityEvent, recentActivity, recordActivity } from "./activity.ts";
export {
  RECENT_DEFAULT_LIMIT,
  RECENT_MAX_LIMIT,
  type RecentView,
  recentView,
} from "./recent_groups.ts";
export {
  applyAction,
  applyFeedback,
  FEEDBACK_ACTIONS,
  type FeedbackAction,
  type FeedbackContext,
  type FeedbackInput,
  FeedbackInputSchema,
  type FeedbackResult,
} from "./feedback.ts";
export {
  type QueueKind,
  reviewAction,
  ReviewActionInputSchema,
  reviewKeyToId,
  reviewQueue,
  ReviewQueueInputSchema,
  reviewQueueKind,
  suggestedReviewAction,
} from "./review.ts";
export { LifecycleInputSchema, lifecycleSummary } from "./lifecycle.ts";
export {
  consolidate,
  type ConsolidateInput,
  ConsolidateInputSchema,
  type ConsolidationGroup,
  fuseContents,
  structuralDuplicates,
} from "./consolidate.ts";
export { queryExplain } from "./explain.ts";
export { indexHealth, namespaceCounts, type NamespaceInfo } from "./health.ts";
export {
  WriteQueue,
  writeQueue,
  type WriteQueueOptions,
  type WriteQueueStats,
} from "./write_queue.ts";
export {
  contractExportMetadata,
  RUNTIME_CONTRACT_ID,
  RUNTIME_CONTRACT_VERSION,
  runtimeContract,
} from "./runtime_contract.ts";
export { type ScoredMemory, toScored } from "./scored.ts";
export {
  lifecycleAnchor,
  LOW_TRUST_THRESHOLD,
  outcomeSignal,
  type TrustScore,
  trustScore,
} from "./trust.ts";
export {
  parseRecallRequest,
  RecallBatchInputSchema,
  StoreBatchInputSchema,
  validateStoreBatch,
} from "./api_inputs.ts";
export {
  enqueueRemember,
  MAX_ATTEMPTS,
  parseRememberInput,
  type QueueStats,
  queueStats,
  type RememberInput,
  RememberInputSchema,
  type RememberPayload,
  type RememberResult,
} from "./remember.ts";
export {
  drain,
  type DrainLock,
  drainLockPath,
  type DrainOptions,
  type DrainRun,
  type DrainSummary,
  type ItemResult,
  lastDrainRun,
  listQueue,
  type QueueRow,
  reconcileDecisions,
  type RecordedDecision,
  tryDrainLock,
} from "./drain.ts";
export {
  type DecisionSource,
  llmSettings,
  reconcileDecision,
  type SourcedDecision,
} from "./reconcile_llm.ts";
export {
  decide,
  type Decision,
  nearestMemories,
  type Neighbour,
  RECONCILE_ACTIONS,
  type ReconcileAction,
  type ReconcileOptions,
  valueChange,
} from "./reconcile.ts";
export {
  idInUse,
  namespaceRecords,
  namespaceSize,
  type RecordWrites,
  writeRecords,
} from "./records_io.ts";
export { decay, decayAll, DecayInputSchema, planLifecycle, type Transition } from "./decay.ts";
export {
  DEFAULT_LIFECYCLE,
  type Importance,
  importanceOf,
  isPinned,
  type LifecyclePolicy,
} from "./importance.ts";
export { ReplaceInputSchema, replaceMemory, type ReplaceResult } from "./replace.ts";
export {
  type Candidate,
  CandidatesInputSchema,
  ProtectInputSchema,
  protectMemory,
  type ProtectResult,
  pruneCandidates,
} from "./insights.ts";
