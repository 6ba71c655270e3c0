/**
 * One tick for one root. Guards run in cmmd's order and the first that matches skips the
 * tick: files open by another process → too recently changed → audit clean. Then (live only)
 * a snapshot and the mechanical fixes, then the agent for whatever is left.
 */
import { join } from "node:path";
import { type AuditReport, auditSummary } from "./audit.ts";
import { type AgentConfig, agentInvocation, agentPrompt, runAgent } from "./agent.ts";
import { fromSandbox } from "./denied.ts";
import { runFix } from "./fix.ts";
import { snapshot } from "./git.ts";
import { tickId, type TickRecord } from "./history.ts";
import { emptyRootStats, type RootStats, rootStats } from "./root_stats.ts";

/** Settings a tick reads (the loop may change `dryRun` between ticks). */
export interface TickSettings {
  dryRun: boolean;
  /** cmmd's GIT_TRACK_MEMORY: snapshot before live work (default true). Without a snapshot no
   * mechanical fix runs, since it could not be undone. */
  gitTrack?: boolean;
  minIdleSec: number;
  agent: AgentConfig | null;
  maxTickMs: number;
  killGraceMs: number;
  /** Where transcripts and per-tick audit JSON go. */
  transcriptDir: string;
}

/** I/O a tick needs, passed in so tests control the clock and the guards. */
export interface TickDeps {
  /** Epoch milliseconds. */
  now(): number;
  /** Processes (other than this one) holding files under the root open. */
  openers(root: string): { pid: number; name: string }[];
  audit(root: string): Promise<AuditReport>;
  /** Warnings that do not stop the tick (a failed snapshot, …). */
  warn(message: string): void;
  /** Aborted on shutdown: a running agent is stopped as on timeout. */
  signal?: AbortSignal;
}

/** Everything a tick produced. */
export interface TickOutcome {
  record: TickRecord;
  stats: RootStats;
  report: AuditReport | null;
}

/**
 * Run one tick. An error becomes a skipped tick with the error as its reason, except a refusal
 * by Deno's sandbox, which no later tick could get past: that one is thrown.
 *
 * @example
 * ```ts
 * const { record } = await runTick(root, settings, deps);
 * record.reason_skipped; // "audit clean — files=3 …"
 * ```
 */
export async function runTick(
  root: string,
  settings: TickSettings,
  deps: TickDeps,
): Promise<TickOutcome> {
  const started = deps.now();
  const record: TickRecord = {
    tick_id: tickId(started),
    started_at_unix: Math.floor(started / 1000),
    finished_at_unix: 0,
    dry_run: settings.dryRun,
    memory_root: root,
    ran: false,
    reason_skipped: null,
    exit_code: null,
    audit_total_issues: 0,
    pre_tick_sha: null,
    fixes_applied: [],
    transcript: null,
    duration_ms: 0,
  };
  let stats = emptyRootStats(root);
  let report: AuditReport | null = null;
  try {
    stats = await rootStats(root, started);
    report = await guardsAndWork(root, settings, deps, stats, record);
  } catch (e) {
    if (fromSandbox(e)) throw e;
    record.ran = false;
    record.reason_skipped = `error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const finished = deps.now();
  record.finished_at_unix = Math.floor(finished / 1000);
  record.duration_ms = Math.round(finished - started);
  return { record, stats, report };
}

async function guardsAndWork(
  root: string,
  s: TickSettings,
  deps: TickDeps,
  stats: RootStats,
  record: TickRecord,
): Promise<AuditReport | null> {
  const skip = (reason: string) => {
    record.reason_skipped = reason;
    return null;
  };
  if (!stats.exists) return skip("memory root does not exist");
  const open = deps.openers(await Deno.realPath(root));
  if (open.length) {
    return skip(`memory files open by: ${open.map((o) => `${o.name}(${o.pid})`).join(", ")}`);
  }
  if (stats.idle_sec !== null && stats.idle_sec < s.minIdleSec) {
    return skip(`memory dir mutated ${stats.idle_sec}s ago (< min idle ${s.minIdleSec}s)`);
  }
  let report = await deps.audit(root);
  if (report.total_issues === 0) return skip(`audit clean — ${auditSummary(report)}`);
  record.audit_total_issues = report.total_issues;
  if (!s.dryRun && s.gitTrack !== false) {
    try {
      record.pre_tick_sha =
        (await snapshot(root, `pre-tick snapshot at unix=${record.started_at_unix}`)).sha;
    } catch (e) {
      deps.warn(`snapshot failed, no mechanical fixes this tick: ${(e as Error).message}`);
    }
    if (record.pre_tick_sha && report.fixable_issues > 0) {
      record.fixes_applied = (await runFix(root, { now: record.started_at_unix })).actions;
      report = await deps.audit(root);
      if (report.total_issues === 0) return skip("audit clean after mechanical fixes");
    }
  }
  if (!s.agent) {
    return skip(`${report.total_issues} issue(s) left for a person: no agent configured`);
  }
  const auditPath = join(s.transcriptDir, `tick-${record.tick_id}.audit.json`);
  await Deno.mkdir(s.transcriptDir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(auditPath, JSON.stringify(report, null, 2) + "\n", { mode: 0o600 });
  const inv = agentInvocation(s.agent, agentPrompt(root, s.dryRun, report), {
    root,
    dryRun: s.dryRun,
    tickId: record.tick_id,
    auditPath,
  });
  record.transcript = join(s.transcriptDir, `tick-${record.tick_id}.log`);
  const outcome = await runAgent(inv, {
    cwd: root,
    timeoutMs: s.maxTickMs,
    graceMs: s.killGraceMs,
    transcript: record.transcript,
    signal: deps.signal,
  });
  if (outcome.startError) {
    record.reason_skipped = `agent ${outcome.startError}`;
    return report;
  }
  record.ran = true;
  record.exit_code = outcome.exitCode;
  if (outcome.timedOut) {
    deps.warn(`agent timed out after ${s.maxTickMs} ms (tick ${record.tick_id})`);
  }
  return report;
}
