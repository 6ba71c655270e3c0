/**
 * The agent-process janitor: finds stale, idle agent CLIs (a compiled-in allowlist of names)
 * and stops them, SIGTERM first and SIGKILL after a grace period. Dry run unless asked.
 * The invariants below are constants, not options: no flag or config can widen them.
 */
import { basename } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import { deniedError } from "./denied.ts";
import {
  CLOCK_TICKS,
  listPids,
  parseStat,
  procArgv,
  type ProcStat,
  procUid,
  readProc,
  uptimeSec,
} from "./procfs.ts";

/** The only process names the janitor will ever touch (lowercased match). */
export const JANITOR_ALLOWLIST: readonly string[] = Object.freeze([
  "claude",
  "claude-cli",
  "kiro-cli",
  "kiro-cli-chat",
  "codex",
  "codex-cli",
]);
/** Most processes one run may stop, whatever `max` says. */
export const MAX_KILLS_PER_RUN = 20;

/** A process as the janitor sees it (the `list --json` shape, plus what the filters use). */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  name: string;
  cmd: string;
  age_sec: number;
  cpu_pct: number;
  rss_kb: number;
  uid: number | null;
  /** Controlling terminal number, null when /proc/<pid>/stat was unreadable. */
  tty_nr: number | null;
  state: string;
  /** Start time in clock ticks after boot: identifies the process across pid reuse. */
  start_ticks: number;
}

const INTERPRETERS = new Set(["node", "bun", "deno"]);

/**
 * The name a process is matched by: the base name of argv[0] (what `exec -a` and
 * `process.title` set), or of the script when argv[0] is a JS runtime; else the kernel's comm.
 *
 * @example
 * ```ts
 * processName(["node", "/usr/lib/node_modules/codex/bin/codex.js"], "node"); // "codex"
 * ```
 */
export function processName(argv: string[], comm: string): string {
  if (argv.length === 0 || argv[0] === "") return comm.toLowerCase();
  const first = basename(argv[0].split(" ")[0]).toLowerCase();
  if (INTERPRETERS.has(first) && argv[1] && !argv[1].startsWith("-")) {
    return basename(argv[1]).toLowerCase().replace(/\.(?:c|m)?js$/, "");
  }
  return first;
}

/**
 * Read every visible process, sampling CPU over `sampleMs` (one instant reads 0% for nearly
 * everything, which made cmmd's CPU filter a no-op).
 *
 * @example
 * ```ts
 * (await readProcesses(500)).filter((p) => p.name === "claude");
 * ```
 */
export async function readProcesses(sampleMs = 1000): Promise<ProcessInfo[]> {
  const first = new Map<number, ProcStat>();
  for (const pid of listPids()) {
    const s = parseStat(readProc(`/proc/${pid}/stat`) ?? "");
    if (s) first.set(pid, s);
  }
  await new Promise((r) => setTimeout(r, sampleMs));
  const up = uptimeSec();
  const pageKb = 4; // x86-64 and arm64 Linux default page size
  const out: ProcessInfo[] = [];
  for (const [pid, a] of first) {
    const b = parseStat(readProc(`/proc/${pid}/stat`) ?? "");
    if (!b || b.startTicks !== a.startTicks) continue; // exited (or pid reused) meanwhile
    const argv = procArgv(pid);
    out.push({
      pid,
      ppid: b.ppid,
      name: processName(argv, b.comm),
      cmd: argv.join(" ") || `[${b.comm}]`,
      age_sec: Math.max(0, Math.floor(up - b.startTicks / CLOCK_TICKS)),
      cpu_pct: Math.round(((b.cpuTicks - a.cpuTicks) / CLOCK_TICKS) / (sampleMs / 1000) * 1000) /
        10,
      rss_kb: b.rssPages * pageKb,
      uid: procUid(pid),
      tty_nr: b.ttyNr,
      state: b.state,
      start_ticks: b.startTicks,
    });
  }
  return out;
}

/** Filters a caller may set; all can only narrow the candidate set. */
export interface JanitorFilter {
  minAgeSec: number;
  maxCpuPct: number;
  requireNoTty: boolean;
  /** Capped at {@link MAX_KILLS_PER_RUN}. */
  max: number;
  /** Only these pids (narrowing; tests use it so nothing else is ever touched). */
  onlyPids?: readonly number[];
}

/** Who is asking: the janitor never targets itself, its children or its ancestors. */
export interface JanitorSelf {
  pid: number;
  uid: number | null;
  ancestors: ReadonlySet<number>;
}

/**
 * This process's identity, read from /proc.
 *
 * @example
 * ```ts
 * currentSelf().ancestors.has(1); // false: pid 1 is never listed
 * ```
 */
export function currentSelf(): JanitorSelf {
  const ancestors = new Set<number>();
  let pid = parseStat(readProc("/proc/self/stat") ?? "")?.ppid ?? 0;
  while (pid > 1 && !ancestors.has(pid)) {
    ancestors.add(pid);
    pid = parseStat(readProc(`/proc/${pid}/stat`) ?? "")?.ppid ?? 0;
  }
  return { pid: Deno.pid, uid: procUid("self"), ancestors };
}

/**
 * Why a process is not a candidate, or null when it is. Pure; the order is the invariants
 * first, then the filters.
 *
 * @example
 * ```ts
 * rejection(proc, { minAgeSec: 21600, maxCpuPct: 0.5, requireNoTty: true, max: 5 }, self);
 * // "name sleep is not allowlisted"
 * ```
 */
export function rejection(p: ProcessInfo, f: JanitorFilter, self: JanitorSelf): string | null {
  if (!JANITOR_ALLOWLIST.includes(p.name.toLowerCase())) return `name ${p.name} is not allowlisted`;
  if (p.pid <= 1) return "pid 1 or lower";
  if (p.pid === self.pid) return "this process";
  if (p.ppid === self.pid) return "a child of this process";
  if (self.ancestors.has(p.pid)) return "an ancestor of this process";
  if (self.uid === null || p.uid === null || p.uid !== self.uid) return "another (or unknown) uid";
  if (p.state === "Z") return "a zombie";
  if (f.onlyPids && !f.onlyPids.includes(p.pid)) return "not among the requested pids";
  if (f.requireNoTty && p.tty_nr !== 0) return "attached to a terminal";
  if (p.age_sec < f.minAgeSec) return `younger than ${f.minAgeSec}s`;
  if (p.cpu_pct > f.maxCpuPct) return `busy (${p.cpu_pct}% CPU)`;
  return null;
}

/**
 * Candidates, oldest first, at most `min(max, 20)`.
 *
 * @example
 * ```ts
 * janitorCandidates(await readProcesses(), filter, currentSelf()).map((p) => p.pid);
 * ```
 */
export function janitorCandidates(
  procs: ProcessInfo[],
  f: JanitorFilter,
  self: JanitorSelf,
): ProcessInfo[] {
  const limit = Math.max(0, Math.min(f.max, MAX_KILLS_PER_RUN));
  return procs.filter((p) => rejection(p, f, self) === null)
    .sort((a, b) => b.age_sec - a.age_sec || a.pid - b.pid)
    .slice(0, limit);
}

/** One stop attempt (cmmd's `attempted` entry). */
export interface KillAttempt {
  pid: number;
  name: string;
  age_sec: number;
  sigterm_ok: boolean;
  still_alive_after_grace: boolean;
  sigkill_ok: boolean;
}

/** The `apply` report. */
export interface JanitorReport {
  considered: number;
  attempted: KillAttempt[];
  dry_run: boolean;
}

/** The same process still runs: alive, not a zombie, same start time (so not a reused pid). */
function sameAlive(p: ProcessInfo): boolean {
  const s = parseStat(readProc(`/proc/${p.pid}/stat`) ?? "");
  return s !== null && s.state !== "Z" && s.startTicks === p.start_ticks;
}

/**
 * Stop the candidates: SIGTERM, a check every `pollMs` for up to `graceMs`, then SIGKILL.
 * In dry run nothing is signalled and every attempt reports false.
 *
 * @example
 * ```ts
 * await janitorApply(candidates, { dryRun: false, graceMs: 10_000, pollMs: 1000 });
 * ```
 */
export async function janitorApply(
  candidates: ProcessInfo[],
  opts: { dryRun: boolean; graceMs?: number; pollMs?: number; considered?: number },
): Promise<JanitorReport> {
  const graceMs = opts.graceMs ?? 10_000;
  const pollMs = opts.pollMs ?? 1000;
  const list = candidates.slice(0, MAX_KILLS_PER_RUN);
  const attempt = async (p: ProcessInfo): Promise<KillAttempt> => {
    const a = {
      pid: p.pid,
      name: p.name,
      age_sec: p.age_sec,
      sigterm_ok: false,
      still_alive_after_grace: false,
      sigkill_ok: false,
    };
    if (opts.dryRun || !sameAlive(p)) return a;
    a.sigterm_ok = signal(p.pid, "SIGTERM");
    for (let waited = 0; waited < graceMs && sameAlive(p); waited += pollMs) {
      await new Promise((r) => setTimeout(r, Math.min(pollMs, graceMs - waited)));
    }
    a.still_alive_after_grace = sameAlive(p);
    if (a.still_alive_after_grace) a.sigkill_ok = signal(p.pid, "SIGKILL");
    return a;
  };
  return {
    considered: opts.considered ?? candidates.length,
    attempted: await Promise.all(list.map(attempt)),
    dry_run: opts.dryRun,
  };
}

/** Send `sig`; false when the process is gone or not ours, FORBIDDEN when the sandbox refuses. */
function signal(pid: number, sig: Deno.Signal): boolean {
  try {
    Deno.kill(pid, sig);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw deniedError(e, `send ${sig} to pid ${pid}`);
    return false;
  }
}

/**
 * Text table for `lane janitor list`.
 *
 * @example
 * ```ts
 * formatProcesses([]); // "no stale agent processes"
 * ```
 */
export function formatProcesses(procs: ProcessRow[]): string {
  if (procs.length === 0) return "no stale agent processes";
  return procs.map((p) =>
    `${String(p.pid).padStart(7)} ${
      p.name.padEnd(14)
    } age=${p.age_sec}s cpu=${p.cpu_pct}% rss=${p.rss_kb}kB ${p.cmd}`
  ).join("\n");
}

/** The `list --json` row (cmmd's shape). */
export type ProcessRow = Pick<
  ProcessInfo,
  "pid" | "ppid" | "name" | "cmd" | "age_sec" | "cpu_pct" | "rss_kb"
>;

/**
 * One janitor run over the live process table: `list` returns the candidates, `apply` stops
 * them (dry run unless `dryRun` is false).
 *
 * @example
 * ```ts
 * await runJanitor("apply", { minAgeSec: 6 * 3600, maxCpuPct: 0.5, requireNoTty: true, max: 5 });
 * ```
 */
export async function runJanitor(
  action: "list" | "apply",
  filter: JanitorFilter,
  opts: { dryRun?: boolean; sampleMs?: number; graceMs?: number; pollMs?: number } = {},
): Promise<ProcessRow[] | JanitorReport> {
  if (Deno.build.os !== "linux") {
    throw new MemoryossError(
      "UNAVAILABLE",
      "lane janitor reads Linux's /proc; it runs on Linux only",
    );
  }
  const procs = await readProcesses(opts.sampleMs);
  const found = janitorCandidates(procs, filter, currentSelf());
  if (action === "list") {
    return found.map(({ pid, ppid, name, cmd, age_sec, cpu_pct, rss_kb }) => ({
      pid,
      ppid,
      name,
      cmd,
      age_sec,
      cpu_pct,
      rss_kb,
    }));
  }
  const considered = procs.filter((p) => JANITOR_ALLOWLIST.includes(p.name)).length;
  return await janitorApply(found, { ...opts, dryRun: opts.dryRun ?? true, considered });
}

/**
 * Text for `lane janitor apply`.
 *
 * @example
 * ```ts
 * formatJanitorReport({ considered: 0, attempted: [], dry_run: true });
 * ```
 */
export function formatJanitorReport(r: JanitorReport): string {
  const head = `${
    r.dry_run ? "dry run: would stop" : "stopped"
  } ${r.attempted.length} of ${r.considered} agent process(es)`;
  const rows = r.attempted.map((a) =>
    `  ${a.pid} ${a.name} age=${a.age_sec}s sigterm=${a.sigterm_ok} sigkill=${a.sigkill_ok}`
  );
  return [head, ...rows].join("\n");
}
