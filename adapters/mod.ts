/**
 * Adapters: foreign memory artifacts in and out of the runtime contract (memoryOSS §5.6).
 * claude_project (markdown project knowledge), cursor_rules (`.mdc`), git_history (recent
 * commits as candidates, import only) and claude_memory (Claude Code's memory folder).
 * Every imported record carries `adapter:<kind>`, `client:<c>` and `source_ref:<label>` tags.
 *
 * @example
 * ```ts
 * import { importAdapter } from "./adapters/mod.ts";
 * await importAdapter(rt, { kind: "cursor_rules", path: ".cursor/rules/x.mdc", dryRun: true });
 * ```
 *
 * @module
 */
export {
  cleanItem,
  MAX_ITEMS,
  normalizeMarkdown,
  type NormalizeOptions,
  renderClaudeProject,
  renderCursorRules,
  stripFrontMatter,
} from "./markdown.ts";
export {
  type Commit,
  type GitRunner,
  gitSummary,
  LOG_FORMAT,
  MAX_COMMITS,
  parseGitLog,
  readGitHistory,
  runGitCommand,
} from "./git.ts";
export {
  claudeMemoryItems,
  type ClaudeMemoryMeta,
  renderClaudeMemory,
  TYPE_MAP,
} from "./claude_memory.ts";
export {
  ADAPTER_KINDS,
  type AdapterItem,
  type AdapterKind,
  adapterRecords,
  adapterSourceKey,
  EXPORT_KINDS,
  exportableRecords,
  type ExportKind,
  KIND_DEFAULTS,
  sourceRef,
} from "./records.ts";
export {
  type AdapterArtifact,
  type AdapterImportOptions,
  type AdapterImportResult,
  adapterItems,
  defaultLabel,
  exportAdapter,
  importAdapter,
  writeFolder,
} from "./ops.ts";
