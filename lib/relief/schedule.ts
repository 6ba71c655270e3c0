/**
 * `relief schedule install|remove|show`: a systemd user timer on Linux, a Task Scheduler XML on
 * Windows. Relief holds no `run` permission, so it writes the files (and on Linux the
 * `timers.target.wants` link that `systemctl enable` would make) and prints the one command
 * that activates them; `--print` shows everything without writing.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  installedJobFiles,
  type JobContext,
  planJob,
  removeJobFiles,
  schedulerOs,
  windowsArg,
} from "../schedule/mod.ts";
import {
  type ProgramInfo,
  reliefCommand,
  reliefJob,
  type ScheduleSpec,
  UNIT_NAME,
} from "./schedule_render.ts";
import type { Tier } from "./types.ts";

/** Everything schedule needs to know about the machine. */
export interface ScheduleContext {
  os: string;
  env: (k: string) => string | undefined;
  /** The memoryoss home. */
  home: string;
  program: ProgramInfo;
  now: Date;
}

/** Files, links and the activation commands of one schedule. */
export interface SchedulePlan {
  files: { path: string; content: string; utf16: boolean }[];
  links: { path: string; target: string }[];
  /** Commands the user runs to activate (or deactivate) it. */
  commands: string[];
  notes: string[];
}

const RELIEF_OS: ("linux" | "windows")[] = ["linux", "windows"];

function jobCtx(ctx: ScheduleContext): JobContext {
  schedulerOs(ctx.os, "relief schedule", RELIEF_OS);
  return { os: ctx.os, env: ctx.env, now: ctx.now };
}

/** The job as installed (the interval does not change which files exist). */
const anyJob = (ctx: ScheduleContext) =>
  reliefJob({ everyMs: 1_800_000, tier: "safe", command: ["memoryoss"] }, ctx.home);

/**
 * What `schedule install` writes and which command activates it. Pure given the context.
 *
 * @example
 * ```ts
 * planInstall(ctx, 30 * 60_000, "safe").files.map((f) => f.path);
 * ```
 */
export function planInstall(ctx: ScheduleContext, everyMs: number, tier: Tier): SchedulePlan {
  if (tier === "aggressive") {
    throw new MemoryossError("INVALID_INPUT", "the aggressive tier is never scheduled");
  }
  const spec: ScheduleSpec = { everyMs, tier, command: reliefCommand(ctx.program, tier) };
  const plan = planJob(jobCtx(ctx), reliefJob(spec, ctx.home));
  if (ctx.os === "linux") {
    return {
      files: plan.files,
      links: plan.links,
      commands: [`systemctl --user daemon-reload && systemctl --user start ${UNIT_NAME}.timer`],
      notes: [
        tier === "safe"
          ? "runs as you; the safe tier needs no privileges"
          : "a user timer runs without root: admin stages will be skipped (exit 1)",
      ],
    };
  }
  return {
    files: plan.files,
    links: [],
    commands: plan.activate.map((argv) => argv.map(windowsArg).join(" ")),
    notes: tier === "safe" ? [] : [
      "RunLevel HighestAvailable: register it once from an elevated prompt; it then runs " +
      "elevated without a UAC prompt",
    ],
  };
}

/**
 * Write the plan's files and links (replacing earlier ones).
 *
 * @example
 * ```ts
 * await applyInstall(planInstall(ctx, 1_800_000, "safe"));
 * ```
 */
export { writeJobFiles as applyInstall } from "../schedule/mod.ts";

/** The command that deactivates a schedule. */
function deactivateCommand(ctx: ScheduleContext): string {
  return ctx.os === "windows"
    ? planJob(jobCtx(ctx), anyJob(ctx)).deactivate[0].map(windowsArg).join(" ")
    : `systemctl --user stop ${UNIT_NAME}.timer && systemctl --user daemon-reload`;
}

/**
 * Delete the schedule's files (`dryRun`: only list them). Returns what was (or would be)
 * removed and the command that stops an already loaded timer or task.
 */
export async function removeSchedule(
  ctx: ScheduleContext,
  dryRun = false,
): Promise<{ removed: string[]; commands: string[] }> {
  const removed = await removeJobFiles(jobCtx(ctx), anyJob(ctx), dryRun);
  return { removed, commands: [deactivateCommand(ctx)] };
}

/** What is installed now: each existing file with its content. */
export async function showSchedule(
  ctx: ScheduleContext,
): Promise<{ installed: boolean; files: { path: string; content: string }[] }> {
  const files = await installedJobFiles(jobCtx(ctx), anyJob(ctx));
  return { installed: files.length > 0, files };
}

/**
 * Human-readable output of `relief schedule` (the same object `--json` prints).
 *
 * @example
 * ```ts
 * console.log(renderScheduleText({ action: "show", installed: false, files: [] }));
 * ```
 */
export function renderScheduleText(o: Record<string, unknown>): string {
  const lines: string[] = [];
  const files = (o.files ?? []) as { path: string; content: string }[];
  const verb = o.action === "install" ? (o.written ? "wrote" : "would write") : "installed";
  for (const f of files) lines.push(`── ${verb} ${f.path}`, f.content.trimEnd());
  for (const l of (o.links ?? []) as { path: string; target: string }[]) {
    lines.push(`── ${o.written ? "linked" : "would link"} ${l.path} → ${l.target}`);
  }
  for (const r of (o.removed ?? []) as string[]) {
    lines.push(`${o.written ? "removed" : "would remove"} ${r}`);
  }
  if (o.action === "show" && !o.installed) lines.push("no relief schedule is installed");
  if (o.action === "remove" && !(o.removed as string[] | undefined)?.length) {
    lines.push("no relief schedule files found");
  }
  const would = o.would_install as { files: { path: string; content: string }[] } | undefined;
  for (const f of would?.files ?? []) {
    lines.push(`── install would write ${f.path}`, f.content.trimEnd());
  }
  const cmds = (o.commands ?? []) as string[];
  if (cmds.length) lines.push("", "Then run:", ...cmds.map((c) => `  ${c}`));
  for (const n of (o.notes ?? []) as string[]) lines.push(`note: ${n}`);
  return lines.join("\n");
}
