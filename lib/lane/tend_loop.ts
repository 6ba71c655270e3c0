/**
 * The running `lane tend` loop behind {@link startTend}: its state, the control requests, one
 * pass over the roots, the sleep between passes and the shutdown.
 *
 * @module
 */
import { join } from "node:path";
import type { AccountsSnapshot } from "./accounts.ts";
import { auditRoot } from "./audit.ts";
import type { ControlServer } from "./ctl.ts";
import type { DaemonStatus, TendHandle, TendOptions } from "./daemon.ts";
import { fromSandbox } from "./denied.ts";
import { appendHistory, type TickRecord } from "./history.ts";
import { type LaneMetrics, type MetricsServer, newMetrics, recordTick } from "./metrics.ts";
import { STATE_FILES } from "./paths.ts";
import { openersOf } from "./procfs.ts";
import type { RootStats } from "./root_stats.ts";
import { runTick } from "./tick.ts";
import { saveDryRun } from "./tend_state.ts";
import { postWebhook } from "./webhook.ts";

/** The loop's files: state, history, log, and the pid file when one was asked for. */
export interface TendPaths {
  state: string;
  history: string;
  log: string;
  pid?: string | null;
}

const LEVELS = ["error", "warn", "info", "debug", "trace"];

/** One loop: construct, attach the servers, then {@link TendLoop.start}. */
export class TendLoop {
  readonly metrics: LaneMetrics;
  metricsServer: MetricsServer | null = null;
  control: ControlServer | null = null;
  #dryRun: boolean;
  #startedAt = Math.floor(Date.now() / 1000);
  #abort = new AbortController();
  #stopping = false;
  #ticking = false;
  #wake: (() => void) | null = null;
  #wakeRequested = false;
  #waiters: ((r: TickRecord | null) => void)[] = [];
  #last: TickRecord | null = null;
  #memory: RootStats | null = null;
  #accounts: AccountsSnapshot | null = null;
  #maxLevel: number;
  #logged = Promise.resolve(); // appends in order, and awaited on shutdown
  #audit: NonNullable<TendOptions["audit"]>;
  #openers: NonNullable<TendOptions["openers"]>;

  constructor(
    readonly opts: TendOptions,
    readonly paths: TendPaths,
    readonly releaseLock: () => Promise<void>,
    dryRun: boolean,
  ) {
    this.#dryRun = dryRun;
    this.metrics = newMetrics(opts.intervalSec, dryRun);
    this.#maxLevel = LEVELS.indexOf(opts.logLevel ?? "info");
    this.#audit = opts.audit ?? ((root: string) => auditRoot(root));
    this.#openers = opts.openers ?? ((root: string) => openersOf(root, Deno.pid));
  }

  /** A line to `onLog` and the log file, when its level is kept. */
  log(level: string, msg: string): void {
    if (LEVELS.indexOf(level) > this.#maxLevel) return;
    const line = `${new Date().toISOString()} ${level} ${msg}`;
    this.opts.onLog?.(line);
    this.#logged = this.#logged.then(() =>
      Deno.writeTextFile(this.paths.log, line + "\n", { append: true, mode: 0o600 }).catch(
        () => {},
      )
    );
  }

  /** Run the loop; the handle the caller keeps. */
  start(): TendHandle {
    const finished = this.#loop();
    return {
      status: () => this.status(),
      tick: (wait) => this.tick(wait),
      setDryRun: (on) => this.setDryRun(on),
      lastTick: () => this.#last,
      stop: async () => {
        this.#stopping = true;
        this.#abort.abort();
        this.#wake?.();
        await finished;
      },
      finished,
      metricsUrl: this.metricsServer?.url ?? null,
      socketPath: this.control?.path ?? null,
    };
  }

  status(): DaemonStatus {
    const { opts, paths } = this;
    const last = this.#last;
    return {
      pid: Deno.pid,
      started_at_unix: this.#startedAt,
      dry_run: this.#dryRun,
      agent: opts.agent
        ? (opts.agent.kind === "claude" ? opts.agent.bin : opts.agent.argv.join(" "))
        : "none",
      memory_root: opts.roots[0],
      memory_roots: opts.roots,
      ticking: this.#ticking,
      last_tick: last && {
        started_at_unix: last.started_at_unix,
        finished_at_unix: last.finished_at_unix,
        ran: last.ran,
        reason_skipped: last.reason_skipped,
        exit_code: last.exit_code,
      },
      memory: this.#memory,
      authmux: this.#accounts?.authmux ?? null,
      claude_account_dirs: this.#accounts?.claude_account_dirs ?? [],
      config: {
        interval_sec: opts.intervalSec,
        min_idle_sec: opts.minIdleSec,
        max_tick_sec: opts.maxTickSec,
        state_dir: opts.stateDir,
        history_file: paths.history,
        log_file: paths.log,
        git_track_memory: opts.gitTrack !== false,
        webhook_url: opts.webhookUrl || null,
        metrics_url: this.metricsServer?.url ?? null,
        socket: this.control?.path ?? null,
      },
    };
  }

  tick(wait: boolean): Promise<TickRecord | null> {
    const done = wait
      ? new Promise<TickRecord | null>((r) => this.#waiters.push(r))
      : Promise.resolve(null);
    this.#wakeRequested = true; // kept if a pass is running now
    this.#wake?.();
    return done;
  }

  async setDryRun(on: boolean): Promise<boolean> {
    this.#dryRun = on;
    this.metrics.dryRun = on;
    const saved = await saveDryRun(this.paths.state, on);
    this.log("info", `dry-run ${on ? "on" : "off"}${saved ? "" : " (could not persist)"}`);
    return saved;
  }

  /** One control-socket request, one reply line. */
  async handle(req: string): Promise<string> {
    switch (req) {
      case "":
      case "status":
        return JSON.stringify(this.status());
      case "ping":
        return "pong\n";
      case "tick":
        this.tick(false);
        return `{"ok":true,"action":"tick"}\n`;
      case "tick-wait":
        return JSON.stringify({ ok: true, action: "tick", record: await this.tick(true) }) + "\n";
      case "dry-run-on":
      case "dry-run-off": {
        const on = req === "dry-run-on";
        return JSON.stringify({ ok: true, dry_run: on, persisted: await this.setDryRun(on) }) +
          "\n";
      }
      case "last-tick":
        return JSON.stringify(this.#last) + "\n";
      case "memory":
        return JSON.stringify(this.#memory) + "\n";
      default:
        return JSON.stringify({ ok: false, error: `unknown:${req.slice(0, 64)}` }) + "\n";
    }
  }

  /** One pass over every root; the waiters of `tick-wait` get the primary root's record. */
  async #pass(): Promise<void> {
    this.#ticking = true;
    const served = this.#waiters;
    this.#waiters = [];
    let primary: TickRecord | null = null;
    this.#accounts = await this.#snapshotAccounts();
    for (const [i, root] of this.opts.roots.entries()) {
      const r = await this.#tickRoot(root, i === 0);
      if (i === 0) primary = r;
      if (this.#stopping) break;
    }
    this.#ticking = false;
    for (const w of served) w(primary);
  }

  /** One root's tick: history, metrics, webhook, log line. */
  async #tickRoot(root: string, isPrimary: boolean): Promise<TickRecord> {
    const { opts } = this;
    const out = await runTick(root, {
      dryRun: this.#dryRun,
      gitTrack: opts.gitTrack,
      minIdleSec: opts.minIdleSec,
      agent: opts.agent,
      maxTickMs: opts.maxTickSec * 1000,
      killGraceMs: opts.killGraceMs ?? 10_000,
      transcriptDir: join(opts.stateDir, STATE_FILES.transcripts),
    }, {
      now: Date.now,
      openers: this.#openers,
      audit: this.#audit,
      warn: (m) => this.log("warn", m),
      signal: this.#abort.signal,
    });
    const r = { ...out.record, accounts: this.#accounts };
    try {
      await appendHistory(this.paths.history, r);
      this.metrics.historyAppends++;
    } catch (e) {
      this.log("error", `history append failed: ${(e as Error).message}`);
    }
    recordTick(this.metrics, r, isPrimary);
    if (opts.webhookUrl) {
      const failed = await postWebhook(opts.webhookUrl, r);
      if (failed) this.log("warn", failed);
    }
    if (isPrimary) {
      this.#last = r;
      this.#memory = out.stats;
    }
    const what = r.ran ? `agent exit=${r.exit_code}` : `skipped: ${r.reason_skipped}`;
    this.log("info", `tick ${r.tick_id} root=${root} issues=${r.audit_total_issues} ${what}`);
    return r;
  }

  async #snapshotAccounts(): Promise<AccountsSnapshot | null> {
    try {
      return (await this.opts.accounts?.()) ?? null;
    } catch (e) {
      if (fromSandbox(e)) throw e;
      this.log("warn", `accounts snapshot failed: ${(e as Error).message}`);
      return null;
    }
  }

  async #loop(): Promise<void> {
    const { opts } = this;
    this.log(
      "info",
      `tend started pid=${Deno.pid} roots=${opts.roots.join(",")} dry_run=${this.#dryRun}`,
    );
    try {
      while (!this.#stopping) {
        this.#wakeRequested = false;
        await this.#pass();
        if (opts.once || this.#stopping) break;
        if (!this.#wakeRequested) await this.#sleep(opts.intervalSec * 1000);
      }
    } finally {
      await this.#shutdown();
    }
  }

  /** Answer the waiters, close the servers, flush the log, remove the pid file, unlock. */
  async #shutdown(): Promise<void> {
    for (const w of this.#waiters) w(null);
    this.#waiters = [];
    await this.control?.close();
    await this.metricsServer?.shutdown();
    this.log("info", "tend stopped");
    await this.#logged;
    if (this.paths.pid) await Deno.remove(this.paths.pid).catch(() => {});
    await this.releaseLock();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.#wake = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
