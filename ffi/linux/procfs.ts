/**
 * Pure parsers for the /proc and /sys files the Linux relief backend reads. No I/O here: the
 * caller reads the text (so tests can feed fixtures and the real files alike).
 *
 * @module
 */

/**
 * Parse /proc/meminfo into bytes per field ("kB" values × 1024; unit-less values as is).
 *
 * @example
 * ```ts
 * parseMeminfo("MemTotal:  1024 kB\nHugePages_Total: 0\n"); // { MemTotal: 1048576, HugePages_Total: 0 }
 * ```
 */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^([^:\s]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out[m[1]] = Number(m[2]) * (line.trimEnd().endsWith("kB") ? 1024 : 1);
  }
  return out;
}

/** One PSI line: averages in percent over 10/60/300 s, total stall time in microseconds. */
export interface PressureLine {
  avg10: number;
  avg60: number;
  avg300: number;
  total: number;
}
/** /proc/pressure/memory: `full` is absent on some kernels' CPU files, present for memory. */
export interface Pressure {
  some: PressureLine;
  full: PressureLine | null;
}

/**
 * Parse a PSI file such as /proc/pressure/memory.
 *
 * @example
 * ```ts
 * parsePressure("some avg10=1.50 avg60=0.20 avg300=0.00 total=42\n").some.avg10; // 1.5
 * ```
 */
export function parsePressure(text: string): Pressure | null {
  const lines: Record<string, PressureLine> = {};
  for (const line of text.split("\n")) {
    const m = /^(some|full)\s+avg10=([\d.]+)\s+avg60=([\d.]+)\s+avg300=([\d.]+)\s+total=(\d+)/
      .exec(line.trim());
    if (m) {
      lines[m[1]] = { avg10: +m[2], avg60: +m[3], avg300: +m[4], total: +m[5] };
    }
  }
  return lines.some ? { some: lines.some, full: lines.full ?? null } : null;
}

/** The fields of /proc/<pid>/status the engine uses (sizes in bytes). */
export interface ProcStatus {
  name: string;
  realUid: number;
  effectiveUid: number;
  /** VmRSS; null for kernel threads (no address space). */
  rss: number | null;
  rssAnon: number;
  rssFile: number;
  swap: number;
  /** CapEff as a bit mask. */
  capEff: bigint;
}

/** Parse /proc/<pid>/status. */
export function parseStatus(text: string): ProcStatus {
  const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, "m").exec(text)?.[1].trim();
  const kb = (k: string) => {
    const v = field(k);
    return v === undefined ? null : Number(v.split(/\s+/)[0]) * 1024;
  };
  const uids = (field("Uid") ?? "").split(/\s+/).map(Number);
  return {
    name: field("Name") ?? "",
    realUid: uids[0] ?? -1,
    effectiveUid: uids[1] ?? -1,
    rss: kb("VmRSS"),
    rssAnon: kb("RssAnon") ?? 0,
    rssFile: kb("RssFile") ?? 0,
    swap: kb("VmSwap") ?? 0,
    capEff: BigInt(`0x${field("CapEff") ?? "0"}`),
  };
}

/** CAP_SYS_NICE: process_madvise on another process needs it since Linux 5.12. */
export const CAP_SYS_NICE = 23;

/**
 * True when a capability bit is set in a CapEff mask.
 *
 * @example
 * ```ts
 * hasCapability(0x800000n, CAP_SYS_NICE); // true
 * ```
 */
export function hasCapability(capEff: bigint, cap: number): boolean {
  return ((capEff >> BigInt(cap)) & 1n) === 1n;
}

/** The fields of /proc/<pid>/stat the engine uses. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  ttyNr: number;
  /** Foreground process group of the controlling terminal; -1 without one. */
  tpgid: number;
}

/**
 * Parse /proc/<pid>/stat. `comm` may contain spaces and parentheses, so split at the last ")".
 *
 * @example
 * ```ts
 * parseStat("42 (a b) S 1 42 42 34816 42 0").tpgid; // 42
 * ```
 */
export function parseStat(text: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw new SyntaxError("malformed /proc/<pid>/stat");
  const rest = text.slice(close + 2).trim().split(/\s+/);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0],
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    session: Number(rest[3]),
    ttyNr: Number(rest[4]),
    tpgid: Number(rest[5]),
  };
}

/**
 * The cgroup v2 path of a process from /proc/<pid>/cgroup (the "0::" line), or null on a pure
 * v1 system.
 *
 * @example
 * ```ts
 * cgroupV2Path("0::/user.slice/user-1000.slice/user@1000.service/app.slice\n"); // "/user.slice/…"
 * ```
 */
export function cgroupV2Path(text: string): string | null {
  for (const line of text.split("\n")) {
    if (line.startsWith("0::")) return line.slice(3).trim() || "/";
  }
  return null;
}

/** Mount points of cgroup2 file systems, from /proc/self/mountinfo. */
export function cgroup2Mounts(mountinfo: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!right || !right.startsWith("cgroup2 ")) continue;
    const mountPoint = left.split(" ")[4];
    if (mountPoint) out.push(mountPoint.replace(/\\040/g, " "));
  }
  return out;
}

/** Active swap areas from /proc/swaps (sizes in bytes). */
export interface SwapArea {
  path: string;
  type: string;
  size: number;
  used: number;
}

/** Parse /proc/swaps (first line is a header). */
export function parseSwaps(text: string): SwapArea[] {
  return text.split("\n").slice(1).filter((l) => l.trim()).map((l) => {
    const [path, type, size, used] = l.trim().split(/\s+/);
    return { path, type, size: Number(size) * 1024, used: Number(used) * 1024 };
  });
}
