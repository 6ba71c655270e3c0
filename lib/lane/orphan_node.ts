/**
 * cmmd's `orphan-node`: Node helper processes left behind by dead MCP clients
 * (`mcpvault-stdio-keepalive`, `mcp-server.cjs`, `worker-service.cjs` in the command line),
 * owned by this user and reparented to init (ppid 1). `list` only reads; `reap` sends SIGTERM
 * (cmmd's only signal). JSON shapes as cmmd's: `[{pid, ppid, cmdline, rss_kb}]` and
 * `{scanned, reaped}`.
 */
import { deniedError } from "./denied.ts";
import { listPids, PROC, procArgv, procUid, readProc } from "./procfs.ts";

/** The command-line fragments that mark a reapable orphan (cmmd's list). */
export const ORPHAN_PATTERNS: readonly string[] = Object.freeze([
  "mcpvault-stdio-keepalive",
  "mcp-server.cjs",
  "worker-service.cjs",
]);

/** One orphan, as cmmd prints it. */
export interface OrphanProc {
  pid: number;
  ppid: number;
  cmdline: string;
  rss_kb: number;
}

/** `orphan-node reap --json` (plus `dry_run`, memoryoss's preview). */
export interface ReapResult {
  scanned: number;
  reaped: OrphanProc[];
  dry_run: boolean;
}

const field = (status: string, name: string) =>
  Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, "m"))?.[1] ?? NaN);

/**
 * This user's orphaned Node helpers (`onlyPids` narrows the scan).
 *
 * @example
 * ```ts
 * findOrphans(); // [{ pid: 4242, ppid: 1, cmdline: "node …/mcp-server.cjs", rss_kb: 51200 }]
 * ```
 */
export function findOrphans(opts: { onlyPids?: number[]; proc?: string } = {}): OrphanProc[] {
  const proc = opts.proc ?? PROC;
  const me = procUid("self", proc);
  const out: OrphanProc[] = [];
  for (const pid of opts.onlyPids ?? listPids(proc)) {
    const status = readProc(`${proc}/${pid}/status`);
    if (!status || me === null || field(status, "Uid") !== me) continue;
    if (field(status, "PPid") !== 1) continue;
    const cmdline = procArgv(pid, proc).join(" ").trim();
    if (!ORPHAN_PATTERNS.some((p) => cmdline.includes(p))) continue;
    const rss = field(status, "VmRSS");
    out.push({ pid, ppid: 1, cmdline, rss_kb: Number.isFinite(rss) ? rss : 0 });
  }
  return out;
}

/**
 * SIGTERM every orphan (nothing with `dryRun`); `reaped` lists those the signal reached.
 *
 * @example
 * ```ts
 * reapOrphans({ dryRun: true }); // { scanned: 1, reaped: [], dry_run: true }
 * ```
 */
export function reapOrphans(opts: { dryRun?: boolean; onlyPids?: number[] } = {}): ReapResult {
  const orphans = findOrphans(opts);
  const reaped: OrphanProc[] = [];
  for (const o of orphans) {
    if (opts.dryRun) continue;
    try {
      Deno.kill(o.pid, "SIGTERM");
      reaped.push(o);
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable) throw deniedError(e, `signal pid ${o.pid}`);
    }
  }
  return { scanned: orphans.length, reaped, dry_run: opts.dryRun === true };
}

/** cmmd's text for `orphan-node list`. */
export function formatOrphans(list: OrphanProc[]): string {
  if (list.length === 0) return "(no orphan node processes)";
  return [
    `found ${list.length} orphan node process(es):`,
    ...list.map((o) =>
      `  pid=${o.pid} ppid=${o.ppid} rss_kb=${o.rss_kb} cmd=${[...o.cmdline].slice(0, 80).join("")}`
    ),
  ].join("\n");
}

/** cmmd's text for `orphan-node reap` (`[dry-run] ` first when nothing was signalled). */
export function formatReap(r: ReapResult): string {
  return [
    `${r.dry_run ? "[dry-run] " : ""}scanned=${r.scanned} reaped=${r.reaped.length}`,
    ...r.reaped.map((o) => `  killed pid=${o.pid} (${[...o.cmdline].slice(0, 60).join("")})`),
  ].join("\n");
}
