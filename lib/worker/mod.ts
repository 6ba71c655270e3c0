/**
 * The background worker: `memoryoss drain --once` run periodically by the OS's user-level
 * scheduler (a systemd user timer on Linux, a launchd agent on macOS, a Task Scheduler task on
 * Windows), installed with the shared scheduler module (lib/schedule) that relief also uses.
 * Files are always written (or removed) first; loading them into the scheduler is a separate
 * step whose failure — e.g. no `systemctl` on the PATH — is reported, never fatal (both in
 * lib/schedule, shared with `lane service`).
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  installedJobFiles,
  installPlan,
  type JobChange,
  type JobContext,
  type JobPlan,
  type JobSpec,
  jobState,
  planJob,
  programArgv,
  type ProgramInfo,
  removeJob,
  type Runner,
  runSteps,
  schedulerOs,
  type SchedulerState,
  type StepResult,
  systemdSpan,
} from "../schedule/mod.ts";

const WORKER_UNIT = "memoryoss-drain";
const WORKER_TASK = "memoryoss\\Drain";
const WORKER_LABEL = "com.memoryoss.drain";
/** Default interval between drains. */
export const DEFAULT_WORKER_INTERVAL_MS = 5 * 60_000;

export { denoRunner, type Runner } from "../schedule/mod.ts";

/** What the worker needs to know about the machine. */
export interface WorkerContext extends JobContext {
  /** The memoryoss home. */
  home: string;
  program: ProgramInfo;
  run: Runner;
}

/**
 * The argv of one scheduled drain: the binary, or `deno run` with exactly drain's permissions.
 *
 * @example
 * ```ts
 * drainCommand({ execPath: "/usr/bin/memoryoss", mainModule: "file:///$deno$/main.ts", os: "linux" });
 * // ["/usr/bin/memoryoss", "drain", "--once", "--json"]
 * ```
 */
export function drainCommand(p: ProgramInfo): string[] {
  const flags = ["--allow-read", "--allow-write", "--allow-env", "--allow-net"];
  return [...programArgv(p, flags), "drain", "--once", "--json"];
}

/** The worker as a scheduler job. */
function workerJob(ctx: Pick<WorkerContext, "home" | "program">, everyMs: number): JobSpec {
  return {
    unit: WORKER_UNIT,
    taskName: WORKER_TASK,
    label: WORKER_LABEL,
    description: "memoryoss drain: apply remembered facts",
    timerDescription: `memoryoss drain every ${systemdSpan(everyMs)}`,
    everyMs,
    command: drainCommand(ctx.program),
    home: ctx.home,
    elevated: false,
    // Exit 1: some items failed and stay queued for the next run; still a completed run.
    successExitStatus: [1],
    timeLimitMs: 10 * 60_000,
    homeSubdir: "worker",
  };
}

function checkInterval(everyMs: number): void {
  if (!(everyMs >= 60_000 && everyMs <= 86_400_000)) {
    throw new MemoryossError("INVALID_INPUT", "--interval must be between 1m and 24h");
  }
}

/** Plan an install (pure). */
export function planWorker(ctx: WorkerContext, everyMs: number): JobPlan {
  checkInterval(everyMs);
  schedulerOs(ctx.os, "worker", ["linux", "darwin", "windows"]);
  return planJob(ctx, workerJob(ctx, everyMs));
}

/** The result of install or remove. */
type WorkerChange = JobChange;

/**
 * Write the unit/plist/XML and load it (`dryRun`: only plan).
 *
 * @example
 * ```ts
 * const r = await installWorker(ctx, 5 * 60_000);
 * r.activated; // false when systemctl is missing; the files are written anyway
 * ```
 */
export function installWorker(
  ctx: WorkerContext,
  everyMs: number,
  dryRun = false,
): Promise<WorkerChange> {
  return installPlan(ctx, planWorker(ctx, everyMs), dryRun);
}

/** Unload the job (best effort) and delete its files (`dryRun`: only list them). */
export function removeWorker(ctx: WorkerContext, dryRun = false): Promise<WorkerChange> {
  schedulerOs(ctx.os, "worker", ["linux", "darwin", "windows"]);
  return removeJob(ctx, workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS), dryRun);
}

/** Ask the scheduler whether the worker's timer is loaded (never throws). */
export function schedulerState(ctx: WorkerContext): Promise<SchedulerState> {
  return jobState(ctx.run, ctx.os, workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS));
}

/** Installed files of the worker (paths only). */
export async function workerFiles(ctx: WorkerContext): Promise<string[]> {
  schedulerOs(ctx.os, "worker", ["linux", "darwin", "windows"]);
  const files = await installedJobFiles(ctx, workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS));
  return files.map((f) => f.path);
}

/**
 * The interval of the installed worker in milliseconds, read back from its timer (systemd
 * `OnUnitActiveSec`), agent (launchd `StartInterval`) or task (`<Repetition><Interval>`);
 * null when it is not installed or the file names no interval.
 *
 * @example
 * ```ts
 * await workerInterval(ctx); // 300000 after `worker install --interval 5m`
 * ```
 */
export async function workerInterval(ctx: WorkerContext): Promise<number | null> {
  schedulerOs(ctx.os, "worker", ["linux", "darwin", "windows"]);
  for (const f of await installedJobFiles(ctx, workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS))) {
    const unit = /^OnUnitActiveSec=(\d+)(min|h|s)$/m.exec(f.content);
    if (unit) return Number(unit[1]) * { s: 1000, min: 60_000, h: 3_600_000 }[unit[2]]!;
    const plist = /<key>StartInterval<\/key>\s*<integer>(\d+)<\/integer>/.exec(f.content);
    if (plist) return Number(plist[1]) * 1000;
    const task = /<Repetition>\s*<Interval>P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?<\/Interval>/
      .exec(f.content);
    if (task) {
      const [d, h, m] = [task[1], task[2], task[3]].map((x) => Number(x ?? 0));
      return ((d * 24 + h) * 60 + m) * 60_000;
    }
  }
  return null;
}

/** What `scheduler stop`/`start` did to the installed drain trigger. */
export interface TriggerSwitch {
  /** False when no worker files are installed: nothing was run. */
  installed: boolean;
  enabled: boolean;
  /** The scheduler commands (run, or to run by hand). */
  commands: string[][];
  steps: StepResult[];
  /** Every command ran and exited 0. */
  ok: boolean;
}

/** The argv that disable (or enable) the installed trigger; its files stay. */
function triggerSwitchCommands(
  ctx: Pick<WorkerContext, "os" | "env" | "now" | "home" | "program">,
  enabled: boolean,
): string[][] {
  const os = schedulerOs(ctx.os, "worker", ["linux", "darwin", "windows"]);
  if (os === "linux") {
    return [[
      "systemctl",
      "--user",
      enabled ? "enable" : "disable",
      "--now",
      `${WORKER_UNIT}.timer`,
    ]];
  }
  if (os === "darwin") {
    const [plist] = planJob(ctx, workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS)).files;
    return [["launchctl", enabled ? "load" : "unload", "-w", plist.path]];
  }
  return [["schtasks", "/Change", "/TN", WORKER_TASK, enabled ? "/ENABLE" : "/DISABLE"]];
}

/**
 * memman's `scheduler stop`/`start`: disable (or re-enable) the installed drain trigger — the
 * systemd timer, launchd agent or Task Scheduler task — keeping its files. Without installed
 * files nothing is run (`installed: false`). A missing or failing scheduler program is
 * reported in `steps`, never thrown.
 *
 * @example
 * ```ts
 * (await switchTrigger(ctx, false)).commands; // [["systemctl","--user","disable","--now","memoryoss-drain.timer"]]
 * ```
 */
export async function switchTrigger(ctx: WorkerContext, enabled: boolean): Promise<TriggerSwitch> {
  const commands = triggerSwitchCommands(ctx, enabled);
  const files = await installedJobFiles(ctx, workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS));
  // The timers.target.wants link is what `disable` removes: the unit files say "installed".
  const installed = files.some((f) => !f.content.startsWith("→ "));
  if (!installed) return { installed, enabled, commands, steps: [], ok: true };
  const steps = await runSteps(ctx.run, commands);
  const ok = steps.length === commands.length && steps.every((s) => s.outcome === "ran");
  return { installed, enabled, commands, steps, ok };
}
