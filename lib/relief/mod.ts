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
  type ProcInfo,
  type StageName,
  systemClock,
  type Tier,
  TIERS,
} from "./types.ts";
export { type ReliefOptions, runRelief, runSnapshot } from "./engine.ts";
export { openBackend } from "./platform.ts";
export { planStages, stageMeta } from "./tiers.ts";
export { descendants, type GuardOptions, guardProcesses, imageKey } from "./guard.ts";
export { sampleDelta, toGb, toMb, toSnapshot, usedPct } from "./measure.ts";
export { emptySample } from "./sample.ts";
export { EXIT, exitStatusFor, exitStatusName, honestyNotes, renderText } from "./report.ts";
export {
  type Delta,
  type ReliefReport,
  ReportSchema,
  type SnapshotReport,
  SnapshotReportSchema,
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
export { autoDecision, type AutoOptions, nextCooldown, runAuto } from "./auto.ts";
export { formatDuration, parseDuration } from "./duration.ts";
export {
  isoDuration,
  type ProgramInfo,
  reliefCommand,
  renderSystemdService,
  renderTaskXml,
  schtasksCreateArgs,
  schtasksDeleteArgs,
  schtasksSimpleArgs,
  utf16leBom,
  windowsArg,
} from "./schedule_render.ts";
export {
  applyInstall,
  planInstall,
  removeSchedule,
  renderScheduleText,
  type ScheduleContext,
  showSchedule,
} from "./schedule.ts";
export { realFs } from "./fs.ts";
export { linuxBackend, linuxSample } from "./linux_backend.ts";
export { reclaimTarget } from "./linux_stages.ts";
export { ntOutcome, windowsBackend } from "./windows_backend.ts";
export { enablePrivilege, type PrivilegeResult, tokenElevation } from "./windows_token.ts";
export { macBackend } from "./macos_backend.ts";
