/**
 * Client integration: `setup --profile …` registers the MCP server with Claude Code, Codex and
 * Cursor and adds their memory policy (Claude: hooks), each edit an idempotent managed piece
 * with a backup; `uninstall` takes back exactly that; `hook` is what Claude's hooks run.
 *
 * @module
 */
export {
  type ClientId,
  type ClientPaths,
  clientPaths,
  CLIENTS,
  defaultLaunch,
  detectClients,
  type Launch,
  shellCommand,
  shellQuote,
} from "./clients.ts";
export {
  CLAUDE_HOOKS,
  commandArgs,
  CURSOR_MARKERS,
  hookCommand,
  isOurHookGroup,
  type Piece,
  planPieces,
  POLICY,
  POLICY_MARKERS,
  type SetupSpec,
  TOML_MARKERS,
} from "./plan.ts";
export {
  type FileReport,
  manifestSpec,
  type Profile,
  PROFILES,
  replaySetup,
  runSetup,
  runUninstall,
  type SetupOptions,
  type SetupReport,
} from "./setup.ts";
export { type Manifest, type ManifestFile, readManifest, setupDir } from "./manifest.ts";
export { unifiedDiff } from "./diff.ts";
export {
  INSTALL_KEYS,
  INSTALL_TARGETS,
  type InstallOptions,
  type InstallReport,
  type Prompter,
  runInstall,
  WIZARD_PROVIDERS,
} from "./install.ts";
export { OPENCLAW_MARKERS, openclawSkill } from "./openclaw.ts";
export {
  isEmptyJson,
  jsonAt,
  parseJsonSpans,
  removeJson,
  removeJsonItems,
  setJson,
  upsertJsonItem,
} from "./json_edit.ts";
export { blockBody, findBlocks, type Markers, removeBlock, upsertBlock } from "./markers.ts";
export {
  HOOK_EVENTS,
  type HookEvent,
  hookOutput,
  parseTurn,
  PLAN_EXIT_TEXT,
  primeContext,
  promptContext,
  stopReason,
  taskContext,
} from "./hook_text.ts";
export { HOOK_BUDGET_MS, type HookOptions, runHook } from "./hook_run.ts";
