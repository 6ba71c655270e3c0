/**
 * Relief's scheduled run as a {@link JobSpec} of the shared scheduler module (lib/schedule):
 * the command line, and relief-flavoured wrappers of the systemd units, Task Scheduler XML and
 * schtasks argv.
 *
 * @module
 */
import {
  type JobSpec,
  programArgv,
  type ProgramInfo,
  renderSystemdService as renderService,
  renderSystemdTimer as renderTimer,
  renderTaskXml as renderXml,
  schtasksCreateArgs as createArgs,
  schtasksDeleteArgs as deleteArgs,
  systemdSpan,
  windowsArg,
} from "../schedule/mod.ts";
import type { Tier } from "./types.ts";

export { isoDuration, type ProgramInfo, utf16leBom, windowsArg } from "../schedule/mod.ts";

/** The task / unit name. */
export const TASK_NAME = "memoryoss\\Relief";
export const UNIT_NAME = "memoryoss-relief";

/** What a scheduled run does. */
export interface ScheduleSpec {
  everyMs: number;
  tier: Tier;
  /** argv of the run, program first. */
  command: string[];
}

/**
 * The argv a scheduled run executes: the compiled binary directly, or `deno run` with exactly
 * relief's permissions when running from source.
 *
 * @example
 * ```ts
 * reliefCommand({ execPath: "/usr/local/bin/memoryoss", mainModule: "file:///$deno$/main.ts", os: "linux" }, "safe");
 * // ["/usr/local/bin/memoryoss", "relief", "--tier=safe", "--json", "--compact", "--quiet"]
 * ```
 */
export function reliefCommand(p: ProgramInfo, tier: Tier): string[] {
  const flags = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys", "--allow-ffi"];
  return [
    ...programArgv(p, flags),
    "relief",
    `--tier=${tier}`,
    "--json",
    "--compact",
    "--quiet",
  ];
}

/**
 * Relief's job: oneshot, exit 1 (partial) still a completed run, 2 minutes at most on
 * Windows, elevated (HighestAvailable) unless the tier is `safe`.
 */
export function reliefJob(spec: ScheduleSpec, home: string): JobSpec {
  return {
    unit: UNIT_NAME,
    taskName: TASK_NAME,
    label: "com.memoryoss.relief",
    description: `memoryoss RAM relief (tier ${spec.tier})`,
    timerDescription: `memoryoss RAM relief every ${systemdSpan(spec.everyMs)}`,
    everyMs: spec.everyMs,
    command: spec.command,
    home,
    elevated: spec.tier !== "safe",
    successExitStatus: [1],
    timeLimitMs: 120_000,
    homeSubdir: "relief",
  };
}

/**
 * The systemd user service (oneshot) that runs one relief.
 *
 * @example
 * ```ts
 * renderSystemdService(spec, "/home/u/.memoryoss").includes("Type=oneshot"); // true
 * ```
 */
export function renderSystemdService(spec: ScheduleSpec, home: string): string {
  return renderService(reliefJob(spec, home));
}

/** The systemd user timer that starts the service every `everyMs`. */
export function renderSystemdTimer(spec: ScheduleSpec): string {
  return renderTimer(reliefJob(spec, ""));
}

/** Task Scheduler XML for relief (least privilege for `safe`, highest available otherwise). */
export function renderTaskXml(spec: ScheduleSpec, start: Date): string {
  return renderXml(reliefJob(spec, ""), start);
}

/** schtasks argv registering the XML. */
export function schtasksCreateArgs(xmlPath: string): string[] {
  return createArgs(xmlPath, TASK_NAME);
}

/** schtasks argv for the simple, XML-free registration (minutes 1–1439). */
export function schtasksSimpleArgs(spec: ScheduleSpec): string[] {
  const minutes = Math.min(1439, Math.max(1, Math.round(spec.everyMs / 60000)));
  return [
    "schtasks",
    "/Create",
    "/F",
    "/TN",
    TASK_NAME,
    "/SC",
    "MINUTE",
    "/MO",
    String(minutes),
    ...(spec.tier === "safe" ? [] : ["/RL", "HIGHEST"]),
    "/TR",
    spec.command.map(windowsArg).join(" "),
  ];
}

/** schtasks argv removing the task. */
export function schtasksDeleteArgs(): string[] {
  return deleteArgs(TASK_NAME);
}
