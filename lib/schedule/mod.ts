/**
 * Periodic jobs under the OS's user-level scheduler (systemd user timers, launchd agents, Task
 * Scheduler), shared by `relief schedule` and `worker`: pure rendering and planning, plus
 * writing and removing the files.
 *
 * @module
 */
export {
  isoDuration,
  type JobSpec,
  programArgv,
  type ProgramInfo,
  renderLaunchdPlist,
  renderSystemdService,
  renderSystemdTimer,
  renderTaskXml,
  schtasksCreateArgs,
  schtasksDeleteArgs,
  systemdSpan,
  utf16leBom,
  windowsArg,
} from "./render.ts";
export {
  installedJobFiles,
  type JobContext,
  jobPaths,
  type JobPlan,
  planJob,
  removeJobFiles,
  type SchedulerOs,
  schedulerOs,
  systemdUnitDir,
  writeJobFiles,
} from "./install.ts";
