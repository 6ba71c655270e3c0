/**
 * Linux `/proc` reading for the open-file guard and the janitor. Every reader tolerates
 * processes that exit mid-scan and files it may not read (other users' processes).
 */

/** The proc mount; passed around so tests could point elsewhere. */
export const PROC = "/proc";

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
  const out: number[] = [];
  try {
    for (const e of Deno.readDirSync(proc)) if (/^\d+$/.test(e.name)) out.push(Number(e.name));
  } catch { /* no procfs: no processes to report */ }
  return out.sort((a, b) => a - b);
}

/**
 * Read a /proc file as text, or null when the process is gone or the file is not ours.
 *
 * @example
 * ```ts
 * readProc("/proc/self/comm"); // "deno\n"
 * ```
 */
export function readProc(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
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
  for (const pid of listPids(proc)) {
    if (pid === selfPid) continue;
    let fds: Iterable<Deno.DirEntry>;
    try {
      fds = Deno.readDirSync(`${proc}/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of safeIter(fds)) {
      let target: string;
      try {
        target = Deno.readLinkSync(`${proc}/${pid}/fd/${fd.name}`);
      } catch {
        continue;
      }
      if (target === root || target.startsWith(prefix)) {
        out.push({ pid, name: readProc(`${proc}/${pid}/comm`)?.trim() ?? "?" });
        break;
      }
    }
  }
  return out;
}

function* safeIter<T>(it: Iterable<T>): Generator<T> {
  try {
    yield* it;
  } catch { /* the process exited while we listed its fds */ }
}
