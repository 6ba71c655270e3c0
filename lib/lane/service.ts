/**
 * `lane service`: `lane tend` as a user-level service — a systemd user unit (Linux), a launchd
 * agent (macOS) or a Task Scheduler task started at logon (Windows) — through the one
 * scheduling implementation (lib/schedule) that `worker` and `relief schedule` use.
 */
import {
  installedJobFiles,
  installPlan,
  type JobChange,
  type JobContext,
  type JobSpec,
  jobState,
  planJob,
  programArgv,
  type ProgramInfo,
  removeJob,
  type Runner,
  schedulerOs,
  type SchedulerState,
} from "../schedule/mod.ts";

export const LANE_UNIT = "memoryoss-lane";
export const LANE_TASK = "memoryoss\\Lane";
export const LANE_LABEL = "com.memoryoss.lane";

/** What installing the service needs to know about the machine and the program. */
export interface ServiceContext extends JobContext {
  /** MEMORYOSS_HOME of the service. */
  home: string;
  program: ProgramInfo;
  /** `deno run` permission flags when running from source (lane's set). */
  denoFlags: string[];
  /** The service's working directory: its `.env` and default memory root come from there. */
  workingDir: string;
  run: Runner;
}

/**
 * The service as a scheduler job: `memoryoss lane tend` plus `tendArgs`, kept alive.
 *
 * @example
 * ```ts
 * laneServiceJob(ctx, ["--agent", "none"]).command.slice(-4); // ["lane", "tend", "--agent", "none"]
 * ```
 */
export function laneServiceJob(
  ctx: Pick<ServiceContext, "home" | "program" | "denoFlags" | "workingDir">,
  tendArgs: string[] = [],
): JobSpec {
  return {
    unit: LANE_UNIT,
    taskName: LANE_TASK,
    label: LANE_LABEL,
    description: "memoryoss lane tend: keep Claude Code's memory folder tidy",
    timerDescription: "",
    everyMs: 0,
    command: [...programArgv(ctx.program, ctx.denoFlags), "lane", "tend", ...tendArgs],
    home: ctx.home,
    elevated: false,
    successExitStatus: [],
    timeLimitMs: 0,
    homeSubdir: "lane",
    keepAlive: true,
    workingDir: ctx.workingDir,
  };
}

const OSES = ["linux", "darwin", "windows"] as const;

/**
 * Write the unit/plist/XML and load it; `print` only returns what would be written.
 *
 * @example
 * ```ts
 * (await installService(ctx, [], true)).files[0].content; // the unit, nothing written
 * ```
 */
export function installService(
  ctx: ServiceContext,
  tendArgs: string[],
  print = false,
): Promise<JobChange> {
  schedulerOs(ctx.os, "lane service", [...OSES]);
  return installPlan(ctx, planJob(ctx, laneServiceJob(ctx, tendArgs)), print);
}

/**
 * Unload and delete the service (`dryRun`: only list what would go).
 *
 * @example
 * ```ts
 * (await removeService(ctx)).removed;
 * ```
 */
export function removeService(ctx: ServiceContext, dryRun = false): Promise<JobChange> {
  schedulerOs(ctx.os, "lane service", [...OSES]);
  return removeJob(ctx, laneServiceJob(ctx), dryRun);
}

/** `lane service status`. */
export interface ServiceStatus {
  os: string;
  installed: boolean;
  files: { path: string; content: string }[];
  scheduler: SchedulerState;
}

/**
 * Whether the service is installed (its files) and loaded (the scheduler's word).
 *
 * @example
 * ```ts
 * (await serviceStatus(ctx)).scheduler.state; // "active" | "inactive" | "unknown"
 * ```
 */
export async function serviceStatus(ctx: ServiceContext): Promise<ServiceStatus> {
  schedulerOs(ctx.os, "lane service", [...OSES]);
  const job = laneServiceJob(ctx);
  const files = await installedJobFiles(ctx, job);
  const scheduler = files.length
    ? await jobState(ctx.run, ctx.os, job)
    : { state: "inactive" as const, detail: "not installed" };
  return { os: ctx.os, installed: files.length > 0, files, scheduler };
}
