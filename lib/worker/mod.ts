/**
 * The background worker: `memoryoss drain --once` run periodically by the OS's user-level
 * scheduler (a systemd user timer on Linux, a launchd agent on macOS, a Task Scheduler task on
 * Windows), installed with the shared scheduler module (lib/schedule) that relief also uses.
 * Files are always written (or removed) first; loading them into the scheduler is a separate
 * step whose failure — e.g. no `systemctl` on the PATH — is reported, never fatal.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  installedJobFiles,
  type JobContext,
  type JobPlan,
  type JobSpec,
  planJob,
  programArgv,
  type ProgramInfo,
  removeJobFiles,
  schedulerOs,
  systemdSpan,
  writeJobFiles,
} from "../schedule/mod.ts";

export const WORKER_UNIT = "memoryoss-drain";
export const WORKER_TASK = "memoryoss\\Drain";
export const WORKER_LABEL = "com.memoryoss.drain";
/** Default interval between drains. */
export const DEFAULT_WORKER_INTERVAL_MS = 5 * 60_000;

/** How one scheduler command ended. */
export interface StepResult {
  command: string[];
  /** ran: exit 0; failed: non-zero exit; missing: the program is not on the PATH. */
  outcome: "ran" | "failed" | "missing";
  code: number | null;
  message: string;
}

/** Runs one argv; throws Deno.errors.NotFound when the program does not exist. */
export type Runner = (argv: string[]) => Promise<{ code: number; output: string }>;

/** What the worker needs to know about the machine. */
export interface WorkerContext extends JobContext {
  /** The memoryoss home. */
  home: string;
  program: ProgramInfo;
  run: Runner;
}

/** The real runner (needs the `run` permission). */
export const denoRunner: Runner = async (argv) => {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr) || new TextDecoder().decode(out.stdout);
  return { code: out.code, output: text.trim().slice(0, 500) };
};

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
export function workerJob(ctx: Pick<WorkerContext, "home" | "program">, everyMs: number): JobSpec {
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

/** Run scheduler commands in order; stops at the first that is missing or fails. */
export async function runSteps(run: Runner, steps: string[][]): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const command of steps) {
    try {
      const r = await run(command);
      const ok = r.code === 0;
      out.push({
        command,
        outcome: ok ? "ran" : "failed",
        code: r.code,
        message: ok ? "ok" : `${command[0]} exited ${r.code}${r.output ? `: ${r.output}` : ""}`,
      });
      if (!ok) break;
    } catch (e) {
      const missing = e instanceof Deno.errors.NotFound;
      out.push({
        command,
        outcome: missing ? "missing" : "failed",
        code: null,
        message: missing
          ? `${command[0]} not found on PATH`
          : `${command[0]} could not run: ${(e as Error).message}`,
      });
      break;
    }
  }
  return out;
}

/** The result of install or remove. */
export interface WorkerChange {
  action: "install" | "remove";
  os: string;
  /** False for --dry-run. */
  written: boolean;
  files: { path: string; content: string }[];
  links: { path: string; target: string }[];
  removed: string[];
  /** The scheduler commands (run, or to run by hand). */
  commands: string[][];
  steps: StepResult[];
  /** Loaded into (or unloaded from) the scheduler. */
  activated: boolean;
  notes: string[];
}

function manualNote(steps: StepResult[], commands: string[][], verb: string): string[] {
  const bad = steps.find((s) => s.outcome !== "ran");
  if (!bad) return [];
  return [
    `${bad.message}; the files are ${verb}, run this where the scheduler is available: ` +
    commands.map((c) => c.join(" ")).join(" && "),
  ];
}

/**
 * Write the unit/plist/XML and load it (`dryRun`: only plan).
 *
 * @example
 * ```ts
 * const r = await installWorker(ctx, 5 * 60_000);
 * r.activated; // false when systemctl is missing; the files are written anyway
 * ```
 */
export async function installWorker(
  ctx: WorkerContext,
  everyMs: number,
  dryRun = false,
): Promise<WorkerChange> {
  const plan = planWorker(ctx, everyMs);
  const base = {
    action: "install" as const,
    os: ctx.os,
    files: plan.files.map(({ path, content }) => ({ path, content })),
    links: plan.links,
    removed: [],
    commands: plan.activate,
  };
  if (dryRun) return { ...base, written: false, steps: [], activated: false, notes: [] };
  await writeJobFiles(plan);
  const steps = await runSteps(ctx.run, plan.activate);
  const activated = steps.length === plan.activate.length &&
    steps.every((s) => s.outcome === "ran");
  return {
    ...base,
    written: true,
    steps,
    activated,
    notes: manualNote(steps, plan.activate, "written"),
  };
}

/** Unload the job (best effort) and delete its files (`dryRun`: only list them). */
export async function removeWorker(ctx: WorkerContext, dryRun = false): Promise<WorkerChange> {
  schedulerOs(ctx.os, "worker", ["linux", "darwin", "windows"]);
  const job = workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS);
  const plan = planJob(ctx, job);
  const base = {
    action: "remove" as const,
    os: ctx.os,
    files: [],
    links: [],
    commands: plan.deactivate,
  };
  if (dryRun) {
    const removed = await removeJobFiles(ctx, job, true);
    return { ...base, written: false, removed, steps: [], activated: false, notes: [] };
  }
  const installed = (await installedJobFiles(ctx, job)).length > 0;
  const steps = installed ? await runSteps(ctx.run, plan.deactivate) : [];
  const removed = await removeJobFiles(ctx, job);
  const ok = steps.every((s) => s.outcome === "ran");
  return {
    ...base,
    written: true,
    removed,
    steps,
    activated: installed && ok,
    notes: manualNote(steps, plan.deactivate, "removed"),
  };
}

/** What the scheduler says about the job. */
export interface SchedulerState {
  state: "active" | "inactive" | "unknown";
  detail: string;
}

/** Ask the scheduler whether the job is loaded (never throws). */
export async function schedulerState(ctx: WorkerContext): Promise<SchedulerState> {
  const argv = ctx.os === "linux"
    ? ["systemctl", "--user", "is-active", `${WORKER_UNIT}.timer`]
    : ctx.os === "darwin"
    ? ["launchctl", "list", WORKER_LABEL]
    : ["schtasks", "/Query", "/TN", WORKER_TASK];
  const [step] = await runSteps(ctx.run, [argv]);
  if (step.outcome === "missing") return { state: "unknown", detail: step.message };
  return step.outcome === "ran"
    ? { state: "active", detail: `${argv[0]}: loaded` }
    : { state: "inactive", detail: step.message };
}

/** Installed files of the worker (paths only). */
export async function workerFiles(ctx: WorkerContext): Promise<string[]> {
  schedulerOs(ctx.os, "worker", ["linux", "darwin", "windows"]);
  const files = await installedJobFiles(ctx, workerJob(ctx, DEFAULT_WORKER_INTERVAL_MS));
  return files.map((f) => f.path);
}
