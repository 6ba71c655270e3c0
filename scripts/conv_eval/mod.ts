/**
 * The conversational recall eval: a seeded generator of multi-session conversations with
 * questions (generate.ts), its fixture files (corpus.ts), the held-out protocol runner
 * (run.ts), metrics (metrics.ts) and report tables (report.ts).
 *
 * @module
 */
export { DEFAULT_SEED, EVAL_NOW, generateCorpus, importLine, namespaceOf } from "./generate.ts";
export type { Corpus } from "./generate.ts";
export { CONV_DIR, loadCorpus, type Split, splitOf, turnsPath, writeCorpus } from "./corpus.ts";
export {
  type Answer,
  ask,
  cliSample,
  type ConvHome,
  importConvHome,
  latency,
  type Layout,
  LAYOUTS,
  libRanker,
  memoryoss,
  type Mode,
  MODES,
  type Ranker,
  runtimeOn,
  scoreAnswers,
  type Scores,
  SHARED_NAMESPACE,
} from "./run.ts";
export { average, type GroupScores, scoreRanking, separationAuc } from "./metrics.ts";
export { markdownTables } from "./report.ts";
export { type Kind, KINDS, type Question, type Turn } from "./model.ts";
