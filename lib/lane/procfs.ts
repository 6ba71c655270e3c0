/**
 * Linux `/proc` reading for the open-file guard and the janitor. Every reader tolerates
 * processes that exit mid-scan and files it may not read (other users' processes), but never
 * a refusal by Deno's sandbox: that is a FORBIDDEN error, not an empty process table.
 *
 * Deno 2.9 refuses every `/proc` path (even with `--allow-read`) unless the process was
 * started with `--allow-all`, which a narrowed `memoryoss lane` no longer has. So, like
 * `relief`, the lane reads `/proc` through libc (`ffi`); without `ffi` it falls back to Deno's
 * own file API, which works under `-A` only.
 */
import { type LibcFilesSync, libcFilesSync, openLibc } from "../../ffi/linux/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { deniedError } from "./denied.ts";

/** The proc mount; passed around so tests could point elsewhere. */
export const PROC = "/proc";

/** Synchronous reads of /proc files, directories and links. */
export type ProcFiles = Pick<LibcFilesSync, "readText" | "readDir" | "readLink">;

const denoFiles: ProcFiles = {
  readText: (path) => Deno.readTextFileSync(path),
  readDir: (path) => [...Deno.readDirSync(path)].map((e) => e.name),
  readLink: (path) => Deno.readLinkSync(path),
};

let chosen: ProcFiles | null = null;

/**
 * The /proc reader: libc when this process holds `ffi` on Linux, else Deno's file API.
 *
 * @example
 * ```ts
 * procFiles().readText("/proc/self/stat");
 * ```
 */
export function procFiles(): ProcFiles {
  if (chosen) return chosen;
  chosen = denoFiles;
  if (
    Deno.build.os === "linux" && Deno.permissions.querySync({ name: "ffi" }).state === "granted"
  ) {
    try {
      chosen = libcFilesSync(openLibc()); // libc stays loaded for the life of the process
    } catch { /* no loadable libc: Deno's file API, which works under --allow-all */ }
  }
  return chosen;
}

/** Run a /proc read; a sandbox refusal throws FORBIDDEN, any other failure gives `fallback`. */
function tolerant<T>(what: string, fallback: T, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw deniedError(e, what);
    return fallback; // gone, another user's, or not a Linux /proc
  }
}

/** Fields of `/proc/<pid>/stat` the lane uses (field numbers as in proc(5)). */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Field 7: controlling terminal, 0 when none. */
  ttyNr: number;
  /** Fields 14 + 15 in clock ticks. */
  cpuTicks: number;
  /** Field 22: start time in clock ticks after boot. */
  startTicks: number;
  /** Field 24: resident set in pages. */
  rssPages: number;
}

/** Linux's USER_HZ; fixed at 100 on every mainstream architecture. */
export const CLOCK_TICKS = 100;

/**
 * Parse the text of `/proc/<pid>/stat`. The command name is in parentheses and may itself
 * contain spaces and parentheses, so fields are counted from the last `)`.
 *
 * @example
 * ```ts
 * parseStat("42 (a b) S 1 42 42 0 -1 0 0 0 0 0 5 3 0 0 20 0 1 0 900 0 7").ttyNr; // 0
 * ```
 */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const f = (n: number) => Number(rest[n - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0],
    ppid: f(4),
    ttyNr: f(7),
    cpuTicks: f(14) + f(15),
    startTicks: f(22),
    rssPages: f(24),
  };
}

/**
 * Numeric entries of /proc (every visible pid).
 *
 * @example
 * ```ts
 * listPids().includes(Deno.pid); // true on Linux
 * ```
 */
export function listPids(proc = PROC): number[] {
  const names = tolerant(`list the processes in ${proc}`, [], () => procFiles().readDir(proc));
  return names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
}

/**
 * Read a /proc file as text, or null when the process is gone or the file is not ours.
 * Throws FORBIDDEN when the sandbox refuses the read.
 *
 * @example
 * ```ts
 * readProc("/proc/self/comm"); // "deno\n"
 * ```
 */
export function readProc(path: string): string | null {
  return tolerant<string | null>(`read ${path}`, null, () => procFiles().readText(path));
}

/**
 * The real uid from `/proc/<pid>/status`, or null when unknown.
 *
 * @example
 * ```ts
 * procUid("self"); // 1000
 * ```
 */
export function procUid(pid: number | "self", proc = PROC): number | null {
  const m = readProc(`${proc}/${pid}/status`)?.match(/^Uid:\s+(\d+)/m);
  return m ? Number(m[1]) : null;
}

/**
 * The NUL-separated argv from `/proc/<pid>/cmdline` (empty for kernel threads and zombies).
 *
 * @example
 * ```ts
 * procArgv(Deno.pid)[0]; // "deno"
 * ```
 */
export function procArgv(pid: number, proc = PROC): string[] {
  const raw = readProc(`${proc}/${pid}/cmdline`);
  return raw ? raw.split("\0").filter((s, i, a) => s !== "" || i < a.length - 1) : [];
}

/**
 * Seconds since boot, from /proc/uptime.
 *
 * @example
 * ```ts
 * uptimeSec(); // 12345.67
 * ```
 */
export function uptimeSec(proc = PROC): number {
  return Number(readProc(`${proc}/uptime`)?.split(/\s+/)[0] ?? 0);
}

/**
 * Every pid whose open files include something under `root`, with its command name.
 *
 * @example
 * ```ts
 * openersOf("/home/me/.claude/projects/x/memory", Deno.pid); // [{ pid: 4242, name: "vim" }]
 * ```
 */
export function openersOf(
  root: string,
  selfPid: number,
  proc = PROC,
): { pid: number; name: string }[] {
  const prefix = root.endsWith("/") ? root : `${root}/`;
  const out: { pid: number; name: string }[] = [];
  const files = procFiles();
  for (const pid of listPids(proc)) {
    if (pid === selfPid) continue;
    const dir = `${proc}/${pid}/fd`;
    // Another user's process, or gone: no fds to see.
    const fds = tolerant<string[]>(`list ${dir}`, [], () => files.readDir(dir));
    const holds = fds.some((fd) => {
      const target = tolerant(`read ${dir}/${fd}`, "", () => files.readLink(`${dir}/${fd}`));
      return target === root || target.startsWith(prefix);
    });
    if (holds) out.push({ pid, name: readProc(`${proc}/${pid}/comm`)?.trim() ?? "?" });
  }
  return out;
}

/**
 * The open-file guard for a change made by hand: CONFLICT (exit 4) when another process holds
 * a file under `root` open. Linux only (elsewhere there is no /proc to ask).
 *
 * @example
 * ```ts
 * await refuseWhenOpen("/home/me/.claude/projects/x/memory"); // throws while vim has a file open
 * ```
 */
export async function refuseWhenOpen(root: string): Promise<void> {
  if (Deno.build.os !== "linux") return;
  const open = openersOf(await Deno.realPath(root), Deno.pid);
  if (open.length === 0) return;
  const who = open.map((o) => `${o.name}(${o.pid})`).join(", ");
  throw new MemoryossError(
    "CONFLICT",
    `memory files open by: ${who}; nothing was changed (retry once they are closed)`,
  );
}
