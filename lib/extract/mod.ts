/**
 * Extraction of facts from proxied LLM exchanges: the deterministic local heuristic, secret
 * redaction, the prompt-injection filter and a bounded background queue that stores facts as
 * `candidate` memories through the runtime's write path.
 *
 * @module
 */
export { isSafeForInjection } from "./safety.ts";
export { isRedacted, redactSensitive } from "./redact.ts";
export { heuristicExtract, type Turn } from "./heuristic.ts";
export { ExtractionQueue } from "./queue.ts";
export { llmCanonical, llmExtract } from "./llm.ts";
export { Extractor } from "./pipeline.ts";
