/**
 * Installing a {@link JobSpec} as the OS's user-level scheduler expects it: systemd user
 * units (+ the `timers.target.wants` link `systemctl enable` would make; for a keep-alive
 * service its `default.target.wants` link) on Linux, a launchd
 * agent on macOS, a Task Scheduler XML under the home on Windows. Planning is pure; applying
 * writes files only — running `systemctl`/`launchctl`/`schtasks` is the caller's business.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { MemoryossError, pathExists } from "../errors/mod.ts";
import {
  type JobSpec,
  renderLaunchdPlist,
  renderSystemdService,
  renderSystemdTimer,
  renderTaskXml,
  schtasksCreateArgs,
  schtasksDeleteArgs,
  utf16leBom,
} from "./render.ts";

/** Everything installation needs to know about the machine. */
export interface JobContext {
  os: string;
  env: (k: string) => string | undefined;
  now: Date;
}

/** Files and links of one installed job, and the argv that (de)activate it. */
export interface JobPlan {
  files: { path: string; content: string; utf16: boolean }[];
  links: { path: string; target: string }[];
  /** argv lists that load the job into the scheduler, in order. */
  activate: string[][];
  /** argv lists that unload it, in order. */
  deactivate: string[][];
}

/** The OSes with a user-level scheduler we know. */
export type SchedulerOs = "linux" | "darwin" | "windows";

/** The OS as a scheduler OS, or UNAVAILABLE naming `what`. */
export function schedulerOs(os: string, what: string, allowed: SchedulerOs[]): SchedulerOs {
  if ((allowed as string[]).includes(os)) return os as SchedulerOs;
  throw new MemoryossError(
    "UNAVAILABLE",
    `${what} supports ${
      allowed.map(osName).join(" and ").replace(/ and (?=.* and )/g, ", ")
    }, not ${os}`,
  );
}

function osName(os: SchedulerOs): string {
  return { linux: "Linux", darwin: "macOS", windows: "Windows" }[os];
}

function userHome(ctx: JobContext): string {
  const home = ctx.env("HOME");
  if (!home) throw new MemoryossError("INVALID_CONFIG", "HOME is not set");
  return home;
}

/** `$XDG_CONFIG_HOME/systemd/user` (or `~/.config/systemd/user`). */
export function systemdUnitDir(ctx: JobContext): string {
  const xdg = ctx.env("XDG_CONFIG_HOME");
  const home = ctx.env("HOME");
  if (!xdg && !home) {
    throw new MemoryossError("INVALID_CONFIG", "neither XDG_CONFIG_HOME nor HOME is set");
  }
  return join(xdg || join(home!, ".config"), "systemd", "user");
}

const plistPath = (ctx: JobContext, job: JobSpec) =>
  join(userHome(ctx), "Library", "LaunchAgents", `${job.label}.plist`);
const xmlPath = (job: JobSpec) => join(job.home, job.homeSubdir, `${job.unit}.xml`);

/**
 * The systemd user units of `job`: its service, and for a periodic job the timer that starts
 * it. What is enabled and started is the service itself when it runs for good (`keepAlive`,
 * wanted by default.target, restarted on install), else the timer.
 */
function systemdPlan(ctx: JobContext, job: JobSpec): JobPlan {
  const dir = systemdUnitDir(ctx);
  const service = join(dir, `${job.unit}.service`);
  const files = [{ path: service, content: renderSystemdService(job), utf16: false }];
  const [unit, wants, verb] = job.keepAlive
    ? [`${job.unit}.service`, "default.target.wants", "restart"]
    : [`${job.unit}.timer`, "timers.target.wants", "start"];
  const started = join(dir, unit);
  if (!job.keepAlive) files.push({ path: started, content: renderSystemdTimer(job), utf16: false });
  return {
    files,
    links: [{ path: join(dir, wants, unit), target: started }],
    activate: [
      ["systemctl", "--user", "daemon-reload"],
      ["systemctl", "--user", verb, unit],
    ],
    deactivate: [
      ["systemctl", "--user", "stop", unit],
      ["systemctl", "--user", "daemon-reload"],
    ],
  };
}

/**
 * What installing `job` writes and which commands load it. Pure given the context.
 *
 * @example
 * ```ts
 * planJob({ os: "linux", env: (k) => Deno.env.get(k), now: new Date() }, job).files.length; // 2
 * ```
 */
export function planJob(ctx: JobContext, job: JobSpec): JobPlan {
  const os = schedulerOs(ctx.os, "scheduling", ["linux", "darwin", "windows"]);
  if (os === "linux") return systemdPlan(ctx, job);
  if (os === "darwin") {
    const path = plistPath(ctx, job);
    return {
      files: [{
        path,
        content: renderLaunchdPlist(job, join(job.home, job.homeSubdir)),
        utf16: false,
      }],
      links: [],
      activate: [["launchctl", "load", "-w", path]],
      deactivate: [["launchctl", "unload", "-w", path]],
    };
  }
  const path = xmlPath(job);
  return {
    files: [{ path, content: renderTaskXml(job, ctx.now), utf16: true }],
    links: [],
    activate: [schtasksCreateArgs(path, job.taskName)],
    deactivate: [schtasksDeleteArgs(job.taskName)],
  };
}

/**
 * Write the plan's files and links (replacing earlier ones).
 *
 * @example
 * ```ts
 * await writeJobFiles(planJob(ctx, job));
 * ```
 */
export async function writeJobFiles(plan: Pick<JobPlan, "files" | "links">): Promise<void> {
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

/** The files and links an installed job has (whether or not they exist), links first. */
export function jobPaths(ctx: JobContext, job: JobSpec): string[] {
  const plan = planJob(ctx, job);
  return [...plan.links.map((l) => l.path), ...plan.files.map((f) => f.path).reverse()];
}

/** Delete the job's files (`dryRun`: only list them); returns what was (or would be) removed. */
export async function removeJobFiles(
  ctx: JobContext,
  job: JobSpec,
  dryRun = false,
): Promise<string[]> {
  const removed: string[] = [];
  for (const p of jobPaths(ctx, job)) {
    if (!await pathExists(p, { follow: false })) continue;
    if (!dryRun) await Deno.remove(p);
    removed.push(p);
  }
  return removed;
}

/** What is installed now: each existing file (UTF-16 decoded) or link with its content. */
export async function installedJobFiles(
  ctx: JobContext,
  job: JobSpec,
): Promise<{ path: string; content: string }[]> {
  const files: { path: string; content: string }[] = [];
  for (const p of jobPaths(ctx, job)) {
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
  return files;
}
