/**
 * `lane tend`: the tick loop over one or more roots, with its lock, persisted dry-run state,
 * history, metrics listener and control socket. Signals are the caller's business: it calls
 * `stop()`.
 */
import { join } from "node:path";
import type { AccountDir, AccountsSnapshot, AuthmuxState } from "./accounts.ts";
import type { AuditReport } from "./audit.ts";
import type { AgentConfig } from "./agent.ts";
import { serveControl } from "./ctl.ts";
import type { TickRecord } from "./history.ts";
import { serveMetrics } from "./metrics.ts";
import { defaultControlPath, STATE_FILES } from "./paths.ts";
import type { RootStats } from "./root_stats.ts";
import { acquireLock, loadDryRun } from "./tend_state.ts";
import { TendLoop, type TendPaths } from "./tend_loop.ts";

/** Options of the loop; durations in seconds unless named otherwise. */
export interface TendOptions {
  /** Primary root first. */
  roots: string[];
  stateDir: string;
  intervalSec: number;
  minIdleSec: number;
  maxTickSec: number;
  /** Grace between SIGTERM and SIGKILL for a timed-out agent (default 10 000 ms). */
  killGraceMs?: number;
  agent: AgentConfig | null;
  /** Metrics listener; null disables it. */
  metrics: { host: string; port: number } | null;
  /** Control socket path (`.json`: loopback TCP); null disables it (default per OS). */
  socketPath?: string | null;
  /** Dry run when no `lane ctl dry-run on|off` was ever persisted. */
  dryRun: boolean;
  /** GIT_TRACK_MEMORY: snapshot before live work (default true). */
  gitTrack?: boolean;
  /** Files that replace `<stateDir>/…` (cmmd's STATE_FILE, HISTORY_FILE, LOG_FILE, LOCK_FILE,
   * PID_FILE; the pid file is only written when given). */
  files?: { state?: string; history?: string; log?: string; lock?: string; pid?: string | null };
  /** WEBHOOK_URL: each record is POSTed there. */
  webhookUrl?: string | null;
  /** CMMD_LOG: lines below this level are dropped (error, warn, info, debug, trace). */
  logLevel?: string;
  /** The accounts snapshot taken once per pass and recorded with each root's tick. */
  accounts?: () => Promise<AccountsSnapshot | null>;
  once: boolean;
  version: string;
  /** Replaces the /proc open-file guard (tests). */
  openers?: (root: string) => { pid: number; name: string }[];
  audit?: (root: string) => Promise<AuditReport>;
  /** Receives every log line (the file `tend.log` gets them too). */
  onLog?: (line: string) => void;
}

/** The `status` reply (cmmd's DaemonStatus without its account-switching parts). */
export interface DaemonStatus {
  pid: number;
  started_at_unix: number;
  dry_run: boolean;
  agent: string;
  memory_root: string;
  memory_roots: string[];
  ticking: boolean;
  last_tick:
    | Pick<
      TickRecord,
      "started_at_unix" | "finished_at_unix" | "ran" | "reason_skipped" | "exit_code"
    >
    | null;
  memory: RootStats | null;
  /** authmux's state at the last pass (null before the first, or without a snapshot). */
  authmux: AuthmuxState | null;
  claude_account_dirs: AccountDir[];
  config: Record<string, unknown>;
}

/** A running loop. */
export interface TendHandle {
  status(): DaemonStatus;
  /** Wake the loop; with `wait`, resolve with the primary root's record of the next pass. */
  tick(wait: boolean): Promise<TickRecord | null>;
  /** Persist and apply (from the next pass) a dry-run setting; returns whether it was saved. */
  setDryRun(on: boolean): Promise<boolean>;
  lastTick(): TickRecord | null;
  stop(): Promise<void>;
  /** Resolves when the loop has ended and everything is closed. */
  finished: Promise<void>;
  metricsUrl: string | null;
  socketPath: string | null;
}

/**
 * Start the loop. Throws CONFLICT when another `lane tend` holds the state folder's lock.
 *
 * @example
 * ```ts
 * const h = await startTend({ roots: [root], stateDir, intervalSec: 900, minIdleSec: 300,
 *   maxTickSec: 600, agent: null, metrics: { host: "127.0.0.1", port: 9601 }, dryRun: true,
 *   once: false, version: "0.1.0" });
 * Deno.addSignalListener("SIGTERM", () => h.stop());
 * await h.finished;
 * ```
 */
export async function startTend(opts: TendOptions): Promise<TendHandle> {
  await Deno.mkdir(opts.stateDir, { recursive: true, mode: 0o700 });
  const f = opts.files ?? {};
  const releaseLock = await acquireLock(f.lock ?? join(opts.stateDir, STATE_FILES.lock));
  const paths: TendPaths = {
    state: f.state ?? join(opts.stateDir, STATE_FILES.state),
    history: f.history ?? join(opts.stateDir, STATE_FILES.history),
    log: f.log ?? join(opts.stateDir, STATE_FILES.log),
    pid: f.pid,
  };
  if (f.pid) await Deno.writeTextFile(f.pid, `${Deno.pid}\n`, { mode: 0o644 });
  const dryRun = (await loadDryRun(paths.state)) ?? opts.dryRun;
  const loop = new TendLoop(opts, paths, releaseLock, dryRun);
  try {
    if (opts.metrics) {
      loop.metricsServer = serveMetrics(
        opts.metrics.host,
        opts.metrics.port,
        loop.metrics,
        opts.version,
      );
    }
    const socketPath = opts.socketPath === undefined
      ? defaultControlPath(opts.stateDir)
      : opts.socketPath;
    if (socketPath) loop.control = await serveControl(socketPath, (req) => loop.handle(req));
  } catch (e) {
    await loop.metricsServer?.shutdown();
    await releaseLock();
    throw e;
  }
  return loop.start();
}
