/**
 * Memory-lane tending: audit and repair of Claude Code's file memory
 * (`~/.claude/projects/<slug>/memory/*.md` + `MEMORY.md`), git undo, the tick loop with its
 * history, metrics, webhook and control socket, cmmd's settings (environment, `.env`,
 * `lane.toml`), accounts (authmux and the account folders), the doctor, the agent-process
 * janitor, skill plugins and the user-level service.
 *
 * @module
 */
export {
  isMemoryType,
  type MarkerHits,
  MEMORY_TYPES,
  type MemoryFile,
  type MemoryType,
  parseMemoryFile,
  TYPES_NEEDING_WHY_HOW,
  type WikiLink,
} from "./memory_file.ts";
export {
  entryLine,
  INDEX_FILE,
  INDEX_LINE_LIMIT,
  type IndexEntry,
  type MemoryIndex,
  parseMemoryIndex,
  renderMemoryIndex,
} from "./memory_index.ts";
export { type MemoryFolder, readMemoryFolder, requireMemoryRoot } from "./folder.ts";
export { type Split, splitFrontmatter } from "./_frontmatter.ts";
export {
  blend,
  findSimilarPairs,
  overlapCoefficient,
  type SimilarityInput,
  type SimilarityOptions,
  type SimilarPair,
  stemmedWords,
} from "./similarity.ts";
export {
  auditRules,
  type Finding,
  ISSUE_CODES,
  type IssueCode,
  normalizeDescription,
} from "./rules.ts";
export {
  auditFolder,
  type AuditOptions,
  type AuditReport,
  auditRoot,
  auditSummary,
  buildReport,
  formatAuditText,
} from "./audit.ts";
export { type FileChange, type FixPlan, type IndexPlan, planFixes, planIndex } from "./fix_plan.ts";
export { type FixOptions, type FixResult, runFix } from "./fix.ts";
export {
  COMMIT_PREFIX,
  diffSince,
  gitLog,
  hasRepo,
  type LogEntry,
  resolveCommit,
  type RestoreResult,
  restoreSnapshot,
  runGit,
  type Snapshot,
  snapshot,
} from "./git.ts";
export {
  claudeProjectSlug,
  defaultControlPath,
  defaultMemoryRoot,
  laneStateDir,
  skillDirs,
  STATE_FILES,
} from "./paths.ts";
export {
  appendHistory,
  findTick,
  formatHistoryLine,
  historyLine,
  parseHistory,
  tailHistory,
  tickId,
  type TickRecord,
} from "./history.ts";
export {
  type AgentConfig,
  type AgentInvocation,
  agentInvocation,
  type AgentOutcome,
  agentPrompt,
  type AgentRunOptions,
  DRY_RUN_TOOLS,
  LIVE_EXTRA_TOOLS,
  runAgent,
} from "./agent.ts";
export { type RootStats, rootStats } from "./root_stats.ts";
export { runTick, type TickDeps, type TickOutcome, type TickSettings } from "./tick.ts";
export {
  type LaneMetrics,
  METRIC_PREFIXES,
  type MetricsServer,
  newMetrics,
  recordTick,
  renderMetrics,
  serveMetrics,
  staleness,
} from "./metrics.ts";
export {
  type ControlHandler,
  type ControlServer,
  type ControlTransport,
  MAX_REQUEST_BYTES,
  sendControl,
  serveControl,
  transportOf,
} from "./ctl.ts";
export { acquireLock, loadDryRun, pidAlive, saveDryRun } from "./tend_state.ts";
export { deniedError, fromSandbox, isDenial, rethrowDenied, unlessDenied } from "./denied.ts";
export { type DaemonStatus, startTend, type TendHandle, type TendOptions } from "./daemon.ts";
export {
  CLOCK_TICKS,
  listPids,
  openersOf,
  parseStat,
  procArgv,
  type ProcFiles,
  procFiles,
  type ProcStat,
  procUid,
  refuseWhenOpen,
  uptimeSec,
} from "./procfs.ts";
export {
  currentSelf,
  formatJanitorReport,
  formatProcesses,
  JANITOR_ALLOWLIST,
  janitorApply,
  janitorCandidates,
  type JanitorFilter,
  type JanitorReport,
  type JanitorSelf,
  type KillAttempt,
  MAX_KILLS_PER_RUN,
  type ProcessInfo,
  processName,
  type ProcessRow,
  readProcesses,
  rejection,
  runJanitor,
} from "./janitor.ts";
export { installPluginFromGit, isGitSource } from "./plugin_git.ts";
export {
  formatPlugins,
  installPlugin,
  listPlugins,
  type PluginInfo,
  removePlugin,
  setPluginEnabled,
  type SkillDirs,
} from "./plugins.ts";
export {
  type DefaultContext,
  type LaneSettings,
  layeredEnv,
  parseBind,
  type ResolvedSettings,
  resolveSettings,
  SETTING_KEYS,
  type SettingKey,
  type SettingLayers,
  type SettingSource,
} from "./settings.ts";
export {
  type Dotenv,
  LANE_CONFIG_FILE,
  loadDotenv,
  type LoadedSettings,
  loadLaneConfig,
  loadSettings,
  type LoadSettingsOptions,
} from "./settings_load.ts";
export {
  type AccountDir,
  type AccountRunner,
  type AccountsSnapshot,
  accountsSnapshot,
  type AuthmuxAccount,
  type AuthmuxState,
  authmuxState,
  formatAccounts,
  parseAuthmuxCurrent,
  parseAuthmuxList,
  parseAuthmuxStatus,
  runProgram,
  scanAccountDirs,
  switchAccount,
} from "./accounts.ts";
export { followFile, tailLines } from "./logs.ts";
export { postWebhook } from "./webhook.ts";
export {
  type DoctorCheck,
  type DoctorReport,
  doctorReport,
  findOnPath,
  formatDoctor,
  type RootSnapshot,
} from "./doctor.ts";
export {
  installService,
  LANE_LABEL,
  LANE_TASK,
  LANE_UNIT,
  laneServiceJob,
  removeService,
  type ServiceContext,
  type ServiceStatus,
  serviceStatus,
} from "./service.ts";
export {
  findOrphans,
  formatOrphans,
  formatReap,
  ORPHAN_PATTERNS,
  type OrphanProc,
  reapOrphans,
  type ReapResult,
} from "./orphan_node.ts";
export {
  formatTmuxCleanup,
  parseSessions,
  type TmuxCleanup,
  tmuxCleanup,
  type TmuxSession,
} from "./tmux_janitor.ts";
export {
  checkPressure,
  CRITICAL_THRESHOLD_PCT,
  formatPressure,
  type MemInfo,
  parseMeminfo,
  PRESSURE_THRESHOLD_PCT,
  type PressureDeps,
  type PressureResponse,
  readMeminfo,
  SWAP_TUNING,
} from "./pressure.ts";
export {
  formatLastTickSummary,
  formatVacuum,
  type LastTickSummary,
  lastTickSummary,
  vacuum,
  type VacuumResult,
} from "./vacuum.ts";
