/**
 * The process guard: which processes a `process_trim` may touch. Pure. Spares our own process
 * (trimmed last as `self_trim`), whitelisted images, the foreground (by image, as Memoria does,
 * and by PID tree), OS-critical processes and small working sets.
 *
 * @module
 */
import type { ForegroundInfo, Platform, ProcInfo } from "./types.ts";

/** Processes whose trimming hurts responsiveness or that refuse it anyway. */
const CRITICAL: Record<Platform, string[]> = {
  windows: [
    "[system process]",
    "system",
    "registry",
    "memory compression",
    "memcompression",
    "secure system",
    "smss",
    "csrss",
    "wininit",
    "winlogon",
    "lsass",
    "services",
    "dwm",
    "audiodg",
    "msmpeng",
  ],
  linux: [
    "systemd",
    "init",
    "systemd-journal", // comm is cut at 15 characters
    "systemd-logind",
    "dbus-daemon",
    "xorg",
    "xwayland",
    "gnome-shell",
    "kwin_wayland",
    "kwin_x11",
    "pipewire",
    "wireplumber",
    "pulseaudio",
  ],
  darwin: ["kernel_task", "launchd", "windowserver"],
};

/** Why a process was left alone (or `null` when it is trimmed). */
export type GuardReason =
  | "self"
  | "whitelisted"
  | "foreground"
  | "foreground_tree"
  | "critical"
  | "access_denied"
  | "below_min_ws"
  | "not_selected"
  | null;

/** Guard inputs. */
export interface GuardOptions {
  platform: Platform;
  selfPid: number;
  whitelist: string[];
  excludeForeground: boolean;
  foreground: ForegroundInfo;
  minWsBytes: number;
  /** `--pid`: only these; asking by PID overrides the foreground exclusion. */
  onlyPids: number[] | null;
}

/** One decision. */
export interface GuardDecision {
  proc: ProcInfo;
  reason: GuardReason;
}

/**
 * Normalise an image name for matching: basename, lower case, without ".exe".
 *
 * @example
 * ```ts
 * imageKey("C:\\Program Files\\App\\Chrome.EXE"); // "chrome"
 * ```
 */
export function imageKey(image: string): string {
  const base = image.split(/[\\/]/).pop() ?? image;
  return base.toLowerCase().replace(/\.exe$/, "");
}

/**
 * Every descendant of `root` (not `root` itself), following parent links. Cycles from PID
 * reuse are cut by the visited set.
 *
 * @example
 * ```ts
 * descendants([{ pid: 2, ppid: 1 }, { pid: 3, ppid: 2 }], 1); // Set {2, 3}
 * ```
 */
export function descendants(
  procs: Pick<ProcInfo, "pid" | "ppid">[],
  root: number,
): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of procs) {
    if (p.ppid === null || p.ppid === p.pid) continue;
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const out = new Set<number>();
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (c === root || out.has(c)) continue;
      out.add(c);
      stack.push(c);
    }
  }
  return out;
}

/**
 * Decide, for every process, whether `process_trim` may touch it.
 *
 * @example
 * ```ts
 * const fg = { detected: true, pid: 7, image: "game.exe", pids: [7] };
 * guardProcesses([{ pid: 7, ppid: 1, image: "game.exe", ws: 9e8, private: null }], {
 *   platform: "windows", selfPid: 1, whitelist: [], excludeForeground: true, foreground: fg,
 *   minWsBytes: 50 << 20, onlyPids: null,
 * })[0].reason; // "foreground"
 * ```
 */
export function guardProcesses(procs: ProcInfo[], opts: GuardOptions): GuardDecision[] {
  const white = new Set(opts.whitelist.map(imageKey));
  const critical = new Set(CRITICAL[opts.platform]);
  const only = opts.onlyPids ? new Set(opts.onlyPids) : null;
  const fg = opts.foreground;
  const fgImage = fg.detected && fg.image ? imageKey(fg.image) : null;
  const fgTree = new Set(fg.detected ? fg.pids : []);
  return procs.map((proc): GuardDecision => {
    const key = imageKey(proc.image);
    const reason = ((): GuardReason => {
      if (proc.pid === opts.selfPid) return "self";
      if (only && !only.has(proc.pid)) return "not_selected";
      if (white.has(key)) return "whitelisted";
      if (critical.has(key) || proc.pid <= (opts.platform === "windows" ? 4 : 1)) {
        return "critical";
      }
      if (opts.excludeForeground && !only) {
        if (proc.pid === fg.pid || (fgImage !== null && key === fgImage)) return "foreground";
        if (fgTree.has(proc.pid)) return "foreground_tree";
      }
      if (proc.ws === null) return "access_denied";
      if (proc.ws < opts.minWsBytes) return "below_min_ws";
      return null;
    })();
    return { proc, reason };
  });
}
