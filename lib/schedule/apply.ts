/**
 * Installing and removing a job end to end: write (or delete) its files, then load (or unload)
 * it with the scheduler's programs. Files come first; a scheduler that is missing or refuses is
 * reported with the commands to run by hand, never fatal. Shared by `worker` and
 * `lane service`.
 *
 * @module
 */
import {
  installedJobFiles,
  type JobContext,
  type JobPlan,
  planJob,
  removeJobFiles,
  writeJobFiles,
} from "./install.ts";
import type { JobSpec } from "./render.ts";
import { type Runner, runSteps, type StepResult } from "./steps.ts";

/** The result of install or remove. */
export interface JobChange {
  action: "install" | "remove";
  os: string;
  /** False for --dry-run / --print. */
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
 * Write a planned job's files and load it (`dryRun`: only report the plan).
 *
 * @example
 * ```ts
 * const r = await installPlan(ctx, planJob(ctx, job));
 * r.activated; // false when systemctl is missing; the files are written anyway
 * ```
 */
export async function installPlan(
  ctx: JobContext & { run: Runner },
  plan: JobPlan,
  dryRun = false,
): Promise<JobChange> {
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

/**
 * Unload the job (best effort, only when installed) and delete its files (`dryRun`: only list
 * them).
 *
 * @example
 * ```ts
 * (await removeJob(ctx, job)).removed; // the paths deleted
 * ```
 */
export async function removeJob(
  ctx: JobContext & { run: Runner },
  job: JobSpec,
  dryRun = false,
): Promise<JobChange> {
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

/**
 * Text for an install or remove: each file (with its content) or link, each scheduler
 * command's outcome, and what to run by hand. `what` names the job ("lane service").
 *
 * @example
 * ```ts
 * formatJobChange(await installPlan(ctx, plan, true), "lane service"); // "── would write …"
 * ```
 */
export function formatJobChange(r: JobChange, what: string): string {
  const lines: string[] = [];
  const w = r.written;
  for (const f of r.files) {
    lines.push(`── ${w ? "wrote" : "would write"} ${f.path}`, f.content.trimEnd());
  }
  for (const l of r.links) lines.push(`── ${w ? "linked" : "would link"} ${l.path} → ${l.target}`);
  for (const p of r.removed) lines.push(`${w ? "removed" : "would remove"} ${p}`);
  if (r.action === "remove" && r.removed.length === 0) lines.push(`no ${what} files found`);
  for (const s of r.steps) {
    lines.push(
      `${s.outcome === "ran" ? "ran" : "FAILED"}: ${s.command.join(" ")}` +
        (s.outcome === "ran" ? "" : ` (${s.message})`),
    );
  }
  if (!w) {
    lines.push("", `Then ${r.action === "install" ? "load" : "unload"} it with:`);
    for (const c of r.commands) lines.push(`  ${c.join(" ")}`);
  } else if (r.action === "install") {
    lines.push(r.activated ? `${what} installed and loaded` : `${what} files written, NOT loaded`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join("\n");
}
