/**
 * Extraction of facts from proxied LLM exchanges: the deterministic local heuristic, secret
 * redaction, the prompt-injection filter and a bounded background queue that stores facts as
 * `candidate` memories through the runtime's write path.
 *
 * @module
 */
export { isSafeForInjection, normalizeForFilter } from "./safety.ts";
export { isRedacted, redactSensitive } from "./redact.ts";
export {
  classifySentence,
  type ExtractedFact,
  type Extraction,
  heuristicExtract,
  type Turn,
} from "./heuristic.ts";
export { ExtractionQueue, type ExtractionStats } from "./queue.ts";
export {
  type CanonicalAnswer,
  ExtractionAnswerSchema,
  extractionPrompt,
  llmCanonical,
  llmExtract,
  type LlmFact,
} from "./llm.ts";
export {
  CANDIDATE_CONFIDENCE,
  EXTRACTION_SOURCE,
  Extractor,
  type ExtractorOptions,
  type ExtractorStats,
} from "./pipeline.ts";
