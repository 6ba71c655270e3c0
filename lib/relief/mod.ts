/**
 * RAM relief (Memoria-style): snapshots, tiered cleanup with honest per-stage deltas, the
 * process guard, the schema 1.0 report, history, state, auto-clean and scheduled runs.
 * Windows through `ffi/windows`, Linux through `ffi/linux`, macOS report-only.
 *
 * @example
 * ```ts
 * import { openBackend, runRelief } from "./mod.ts";
 * const backend = openBackend();
 * try {
 *   const report = await runRelief(backend, { tier: "safe" });
 *   console.log(report.exit_status, report.report.reclaimed_mb);
 * } finally {
 *   backend.close();
 * }
 * ```
 *
 * @module
 */
export {
  type Backend,
  type BackendFacts,
  type Clock,
  type ForegroundInfo,
  type FsLike,
  type MemSample,
  type Platform,
  type PressureSample,
  type ProcInfo,
  type StageName,
  type StageOutcome,
  type Status,
  systemClock,
  type Tier,
  TIERS,
  type TrimOutcome,
} from "./types.ts";
export { type ReliefOptions, runRelief, runSnapshot } from "./engine.ts";
export { openBackend, type OpenOptions } from "./platform.ts";
export { type Plan, type PlannedStage, planStages, type StageMeta, stageMeta } from "./tiers.ts";
export {
  descendants,
  type GuardDecision,
  type GuardOptions,
  guardProcesses,
  type GuardReason,
  imageKey,
} from "./guard.ts";
export { sampleDelta, toGb, toMb, toSnapshot, usedPct } from "./measure.ts";
export { emptySample } from "./sample.ts";
export {
  EXIT,
  exitStatusFor,
  exitStatusName,
  honestyNotes,
  renderText,
  snapshotLine,
} from "./report.ts";
export {
  type Delta,
  DeltaSchema,
  EXIT_STATUS,
  type ExitStatus,
  type ProcessTrim,
  ProcessTrimSchema,
  type ReliefReport,
  ReportSchema,
  type Snapshot,
  type SnapshotReport,
  SnapshotReportSchema,
  SnapshotSchema,
  type StageReport,
  StageSchema,
} from "./schema.ts";
export {
  appendHistory,
  HISTORY_FILE,
  HISTORY_ROTATED,
  type HistoryEntry,
  historyEntry,
  historyLine,
  readHistory,
} from "./history.ts";
export {
  emptyState,
  type GuardSettings,
  loadState,
  type ReliefState,
  renderStateText,
  saveState,
  STATE_CORRUPT,
  STATE_FILE,
  withLastRun,
  withSettings,
} from "./state.ts";
export {
  type AutoDecision,
  autoDecision,
  type AutoDeps,
  type AutoOptions,
  type AutoSummary,
  nextCooldown,
  runAuto,
} from "./auto.ts";
export { formatDuration, parseDuration } from "./duration.ts";
export {
  isoDuration,
  type ProgramInfo,
  reliefCommand,
  renderSystemdService,
  renderSystemdTimer,
  renderTaskXml,
  type ScheduleSpec,
  schtasksCreateArgs,
  schtasksDeleteArgs,
  schtasksSimpleArgs,
  TASK_NAME,
  UNIT_NAME,
  utf16leBom,
  windowsArg,
} from "./schedule_render.ts";
export {
  applyInstall,
  planInstall,
  removeSchedule,
  renderScheduleText,
  type ScheduleContext,
  type SchedulePlan,
  showSchedule,
} from "./schedule.ts";
export { fsErrorKind, realFs } from "./fs.ts";
export { readReliefView, RELIEF_DIR, type ReliefView } from "./read.ts";
export { linuxBackend, type LinuxDeps, linuxSample } from "./linux_backend.ts";
export { reclaimTarget } from "./linux_stages.ts";
export { ntOutcome, windowsBackend, type WindowsDeps } from "./windows_backend.ts";
export { enablePrivilege, type PrivilegeResult, tokenElevation } from "./windows_token.ts";
export { macBackend, type MacDeps, macSample } from "./macos_backend.ts";
