/**
 * Periodic jobs and keep-alive services under the OS's user-level scheduler (systemd user
 * units, launchd agents, Task Scheduler), shared by `relief schedule`, `worker` and
 * `lane service`: pure rendering and planning, writing and removing the files, and running the
 * scheduler's programs.
 *
 * @module
 */
export {
  isoDuration,
  type JobSpec,
  programArgv,
  type ProgramInfo,
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
  type JobPlan,
  planJob,
  removeJobFiles,
  schedulerOs,
  writeJobFiles,
} from "./install.ts";
export {
  denoRunner,
  jobState,
  type Runner,
  runSteps,
  type SchedulerState,
  type StepResult,
} from "./steps.ts";
export { formatJobChange, installPlan, type JobChange, removeJob } from "./apply.ts";
