/**
 * `relief schedule install|remove|show`: a systemd user timer on Linux, a Task Scheduler XML on
 * Windows. Relief holds no `run` permission, so it writes the files (and on Linux the
 * `timers.target.wants` link that `systemctl enable` would make) and prints the one command
 * that activates them; `--print` shows everything without writing.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import {
  type ProgramInfo,
  reliefCommand,
  renderSystemdService,
  renderSystemdTimer,
  renderTaskXml,
  type ScheduleSpec,
  schtasksCreateArgs,
  schtasksDeleteArgs,
  UNIT_NAME,
  utf16leBom,
  windowsArg,
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

function unitDir(ctx: ScheduleContext): string {
  const xdg = ctx.env("XDG_CONFIG_HOME");
  const home = ctx.env("HOME");
  if (!xdg && !home) {
    throw new MemoryossError("INVALID_CONFIG", "neither XDG_CONFIG_HOME nor HOME is set");
  }
  return join(xdg || join(home!, ".config"), "systemd", "user");
}

function requireSupported(os: string): "linux" | "windows" {
  if (os === "linux" || os === "windows") return os;
  throw new MemoryossError("UNAVAILABLE", `relief schedule supports Linux and Windows, not ${os}`);
}

const xmlPath = (ctx: ScheduleContext) => join(ctx.home, "relief", `${UNIT_NAME}.xml`);

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
  const os = requireSupported(ctx.os);
  const spec: ScheduleSpec = { everyMs, tier, command: reliefCommand(ctx.program, tier) };
  if (os === "linux") {
    const dir = unitDir(ctx);
    const timer = join(dir, `${UNIT_NAME}.timer`);
    return {
      files: [
        {
          path: join(dir, `${UNIT_NAME}.service`),
          content: renderSystemdService(spec, ctx.home),
          utf16: false,
        },
        { path: timer, content: renderSystemdTimer(spec), utf16: false },
      ],
      links: [{ path: join(dir, "timers.target.wants", `${UNIT_NAME}.timer`), target: timer }],
      commands: [`systemctl --user daemon-reload && systemctl --user start ${UNIT_NAME}.timer`],
      notes: [
        tier === "safe"
          ? "runs as you; the safe tier needs no privileges"
          : "a user timer runs without root: admin stages will be skipped (exit 1)",
      ],
    };
  }
  const path = xmlPath(ctx);
  return {
    files: [{ path, content: renderTaskXml(spec, ctx.now), utf16: true }],
    links: [],
    commands: [schtasksCreateArgs(path).map(windowsArg).join(" ")],
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
export async function applyInstall(plan: SchedulePlan): Promise<void> {
  for (const f of plan.files) {
    await Deno.mkdir(dirname(f.path), { recursive: true });
    if (f.utf16) await Deno.writeFile(f.path, utf16leBom(f.content));
    else await Deno.writeTextFile(f.path, f.content);
  }
  for (const l of plan.links) {
    await Deno.mkdir(dirname(l.path), { recursive: true });
    await Deno.remove(l.path).catch(() => {});
    await Deno.symlink(l.target, l.path);
  }
}

/** The files and links an installed schedule has (whether or not they exist). */
function installedPaths(ctx: ScheduleContext): string[] {
  if (requireSupported(ctx.os) === "windows") return [xmlPath(ctx)];
  const dir = unitDir(ctx);
  return [
    join(dir, "timers.target.wants", `${UNIT_NAME}.timer`),
    join(dir, `${UNIT_NAME}.timer`),
    join(dir, `${UNIT_NAME}.service`),
  ];
}

/** The command that deactivates a schedule. */
function deactivateCommand(ctx: ScheduleContext): string {
  return ctx.os === "windows"
    ? schtasksDeleteArgs().map(windowsArg).join(" ")
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
  const removed: string[] = [];
  for (const p of installedPaths(ctx)) {
    const exists = await Deno.lstat(p).then(() => true, () => false);
    if (!exists) continue;
    if (!dryRun) await Deno.remove(p);
    removed.push(p);
  }
  return { removed, commands: [deactivateCommand(ctx)] };
}

/** What is installed now: each existing file with its content. */
export async function showSchedule(
  ctx: ScheduleContext,
): Promise<{ installed: boolean; files: { path: string; content: string }[] }> {
  const files: { path: string; content: string }[] = [];
  for (const p of installedPaths(ctx)) {
    const info = await Deno.lstat(p).catch(() => null);
    if (!info) continue;
    if (info.isSymlink) files.push({ path: p, content: `→ ${await Deno.readLink(p)}` });
    else {
      const bytes = await Deno.readFile(p);
      const utf16 = bytes[0] === 0xFF && bytes[1] === 0xFE;
      files.push({
        path: p,
        content: new TextDecoder(utf16 ? "utf-16le" : "utf-8").decode(
          utf16 ? bytes.subarray(2) : bytes,
        ),
      });
    }
  }
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
