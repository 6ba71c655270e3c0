/**
 * `lane tend`: the tick loop over one or more roots, with its lock, persisted dry-run state,
 * history, metrics listener and control socket. Signals are the caller's business: it calls
 * `stop()`.
 */
import { join } from "node:path";
import type { AccountDir, AccountsSnapshot, AuthmuxState } from "./accounts.ts";
import { type AuditReport, auditRoot } from "./audit.ts";
import type { AgentConfig } from "./agent.ts";
import { type ControlServer, serveControl } from "./ctl.ts";
import { fromSandbox } from "./denied.ts";
import { appendHistory, type TickRecord } from "./history.ts";
import {
  type LaneMetrics,
  type MetricsServer,
  newMetrics,
  recordTick,
  serveMetrics,
} from "./metrics.ts";
import { defaultControlPath, STATE_FILES } from "./paths.ts";
import { openersOf } from "./procfs.ts";
import type { RootStats } from "./root_stats.ts";
import { runTick } from "./tick.ts";
import { acquireLock, loadDryRun, saveDryRun } from "./tend_state.ts";
import { postWebhook } from "./webhook.ts";

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
  const statePath = f.state ?? join(opts.stateDir, STATE_FILES.state);
  const historyPath = f.history ?? join(opts.stateDir, STATE_FILES.history);
  const logPath = f.log ?? join(opts.stateDir, STATE_FILES.log);
  if (f.pid) await Deno.writeTextFile(f.pid, `${Deno.pid}\n`, { mode: 0o644 });
  let dryRun = (await loadDryRun(statePath)) ?? opts.dryRun;
  const metrics: LaneMetrics = newMetrics(opts.intervalSec, dryRun);
  const startedAt = Math.floor(Date.now() / 1000);
  const abort = new AbortController();
  let stopping = false;
  let ticking = false;
  let wake: (() => void) | null = null;
  let wakeRequested = false;
  let waiters: ((r: TickRecord | null) => void)[] = [];
  let last: TickRecord | null = null;
  let memory: RootStats | null = null;
  let accounts: AccountsSnapshot | null = null;
  const levels = ["error", "warn", "info", "debug", "trace"];
  const maxLevel = levels.indexOf(opts.logLevel ?? "info");

  let logged = Promise.resolve(); // appends in order, and awaited on shutdown
  const log = (level: string, msg: string) => {
    if (levels.indexOf(level) > maxLevel) return;
    const line = `${new Date().toISOString()} ${level} ${msg}`;
    opts.onLog?.(line);
    logged = logged.then(() =>
      Deno.writeTextFile(logPath, line + "\n", { append: true, mode: 0o600 }).catch(() => {})
    );
  };
  const audit = opts.audit ?? ((root: string) => auditRoot(root));
  const openers = opts.openers ?? ((root: string) => openersOf(root, Deno.pid));

  let metricsServer: MetricsServer | null = null;
  let control: ControlServer | null = null;
  try {
    if (opts.metrics) {
      metricsServer = serveMetrics(opts.metrics.host, opts.metrics.port, metrics, opts.version);
    }
    const socketPath = opts.socketPath === undefined
      ? defaultControlPath(opts.stateDir)
      : opts.socketPath;
    if (socketPath) control = await serveControl(socketPath, (req) => handle(req));
  } catch (e) {
    await metricsServer?.shutdown();
    await releaseLock();
    throw e;
  }

  const status = (): DaemonStatus => ({
    pid: Deno.pid,
    started_at_unix: startedAt,
    dry_run: dryRun,
    agent: opts.agent
      ? (opts.agent.kind === "claude" ? opts.agent.bin : opts.agent.argv.join(" "))
      : "none",
    memory_root: opts.roots[0],
    memory_roots: opts.roots,
    ticking,
    last_tick: last && {
      started_at_unix: last.started_at_unix,
      finished_at_unix: last.finished_at_unix,
      ran: last.ran,
      reason_skipped: last.reason_skipped,
      exit_code: last.exit_code,
    },
    memory,
    authmux: accounts?.authmux ?? null,
    claude_account_dirs: accounts?.claude_account_dirs ?? [],
    config: {
      interval_sec: opts.intervalSec,
      min_idle_sec: opts.minIdleSec,
      max_tick_sec: opts.maxTickSec,
      state_dir: opts.stateDir,
      history_file: historyPath,
      log_file: logPath,
      git_track_memory: opts.gitTrack !== false,
      webhook_url: opts.webhookUrl || null,
      metrics_url: metricsServer?.url ?? null,
      socket: control?.path ?? null,
    },
  });

  const tick = (wait: boolean): Promise<TickRecord | null> => {
    const done = wait
      ? new Promise<TickRecord | null>((r) => waiters.push(r))
      : Promise.resolve(null);
    wakeRequested = true; // kept if a pass is running now
    wake?.();
    return done;
  };

  const setDryRun = async (on: boolean) => {
    dryRun = on;
    metrics.dryRun = on;
    const saved = await saveDryRun(statePath, on);
    log("info", `dry-run ${on ? "on" : "off"}${saved ? "" : " (could not persist)"}`);
    return saved;
  };

  async function handle(req: string): Promise<string> {
    switch (req) {
      case "":
      case "status":
        return JSON.stringify(status());
      case "ping":
        return "pong\n";
      case "tick":
        tick(false);
        return `{"ok":true,"action":"tick"}\n`;
      case "tick-wait":
        return JSON.stringify({ ok: true, action: "tick", record: await tick(true) }) + "\n";
      case "dry-run-on":
      case "dry-run-off": {
        const on = req === "dry-run-on";
        return JSON.stringify({ ok: true, dry_run: on, persisted: await setDryRun(on) }) + "\n";
      }
      case "last-tick":
        return JSON.stringify(last) + "\n";
      case "memory":
        return JSON.stringify(memory) + "\n";
      default:
        return JSON.stringify({ ok: false, error: `unknown:${req.slice(0, 64)}` }) + "\n";
    }
  }

  async function pass(): Promise<void> {
    ticking = true;
    const served = waiters;
    waiters = [];
    let primary: TickRecord | null = null;
    accounts = await snapshotAccounts();
    for (const [i, root] of opts.roots.entries()) {
      const out = await runTick(root, {
        dryRun,
        gitTrack: opts.gitTrack,
        minIdleSec: opts.minIdleSec,
        agent: opts.agent,
        maxTickMs: opts.maxTickSec * 1000,
        killGraceMs: opts.killGraceMs ?? 10_000,
        transcriptDir: join(opts.stateDir, STATE_FILES.transcripts),
      }, { now: Date.now, openers, audit, warn: (m) => log("warn", m), signal: abort.signal });
      const r = { ...out.record, accounts };
      try {
        await appendHistory(historyPath, r);
        metrics.historyAppends++;
      } catch (e) {
        log("error", `history append failed: ${(e as Error).message}`);
      }
      recordTick(metrics, r, i === 0);
      if (opts.webhookUrl) {
        const failed = await postWebhook(opts.webhookUrl, r);
        if (failed) log("warn", failed);
      }
      if (i === 0) {
        primary = last = r;
        memory = out.stats;
      }
      const what = r.ran ? `agent exit=${r.exit_code}` : `skipped: ${r.reason_skipped}`;
      log("info", `tick ${r.tick_id} root=${root} issues=${r.audit_total_issues} ${what}`);
      if (stopping) break;
    }
    ticking = false;
    for (const w of served) w(primary);
  }

  async function snapshotAccounts(): Promise<AccountsSnapshot | null> {
    try {
      return (await opts.accounts?.()) ?? null;
    } catch (e) {
      if (fromSandbox(e)) throw e;
      log("warn", `accounts snapshot failed: ${(e as Error).message}`);
      return null;
    }
  }

  const loop = async () => {
    log("info", `tend started pid=${Deno.pid} roots=${opts.roots.join(",")} dry_run=${dryRun}`);
    try {
      while (!stopping) {
        wakeRequested = false;
        await pass();
        if (opts.once || stopping) break;
        if (!wakeRequested) await sleep(opts.intervalSec * 1000);
      }
    } finally {
      for (const w of waiters) w(null);
      waiters = [];
      await control?.close();
      await metricsServer?.shutdown();
      log("info", "tend stopped");
      await logged;
      if (f.pid) await Deno.remove(f.pid).catch(() => {});
      await releaseLock();
    }
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  const finished = loop();

  return {
    status,
    tick,
    setDryRun,
    lastTick: () => last,
    stop: async () => {
      stopping = true;
      abort.abort();
      wake?.();
      await finished;
    },
    finished,
    metricsUrl: metricsServer?.url ?? null,
    socketPath: control?.path ?? null,
  };
}
