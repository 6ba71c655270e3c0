/**
 * Client integration: `setup --profile …` registers the MCP server with Claude Code, Codex and
 * Cursor and adds their memory policy (Claude: hooks), each edit an idempotent managed piece
 * with a backup; `uninstall` takes back exactly that; `hook` is what Claude's hooks run.
 *
 * @module
 */
export { clientPaths, defaultLaunch, type Launch, shellQuote } from "./clients.ts";
export {
  commandArgs,
  hookCommand,
  isOurHookGroup,
  type Piece,
  planPieces,
  type SetupSpec,
} from "./plan.ts";
export {
  type FileReport,
  type Profile,
  PROFILES,
  replaySetup,
  runSetup,
  runUninstall,
  type SetupReport,
} from "./setup.ts";
export { readManifest } from "./manifest.ts";
export { unifiedDiff } from "./diff.ts";
export { INSTALL_TARGETS, type Prompter, runInstall } from "./install.ts";
export {
  isEmptyJson,
  parseJsonSpans,
  removeJson,
  removeJsonItems,
  setJson,
  upsertJsonItem,
} from "./json_edit.ts";
export { blockBody, findBlocks, removeBlock, upsertBlock } from "./markers.ts";
export {
  HOOK_EVENTS,
  type HookEvent,
  hookOutput,
  parseTurn,
  primeContext,
  promptContext,
  stopReason,
  taskContext,
} from "./hook_text.ts";
export { HOOK_BUDGET_MS, runHook } from "./hook_run.ts";
