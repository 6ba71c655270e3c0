/**
 * The OS-neutral relief run: plan the tier, sample before and after every stage (so each stage
 * reports its own honest deltas), run the guarded per-process pass, and assemble the schema
 * 1.0 report. All I/O goes through the injected `Backend` and `Clock`.
 *
 * @module
 */
import { guardProcesses, type GuardReason } from "./guard.ts";
import { sampleDelta, toMb, toSnapshot } from "./measure.ts";
import { exitStatusFor, exitStatusName, honestyNotes } from "./report.ts";
import type { ProcessTrim, ReliefReport, SnapshotReport, StageReport } from "./schema.ts";
import { type Plan, type PlannedStage, planStages } from "./tiers.ts";
import {
  type Backend,
  type Clock,
  type ForegroundInfo,
  type MemSample,
  type StageOutcome,
  systemClock,
  type Tier,
} from "./types.ts";

/** What to do. */
export interface ReliefOptions {
  tier: Tier;
  /** Who asked: `relief` by hand ("manual", the default) or `relief auto` ("auto"). */
  trigger?: "manual" | "auto";
  /** Plan and list targets, change nothing. */
  dryRun?: boolean;
  /** Spare the foreground app and its process tree (default true). */
  excludeForeground?: boolean;
  /** Image names never trimmed. */
  whitelist?: string[];
  /** Skip processes whose working set is below this (default 50 MB). */
  minWsMb?: number;
  /** Trim only these PIDs (and run no other stage). */
  pids?: number[] | null;
  /** Wait this long after the last stage and sample again to show the rebound. */
  settleMs?: number;
  /** Our PID (injectable for tests). */
  selfPid?: number;
}

// Reported per process; the rest are only counted (there can be hundreds).
const REPORTED: Set<GuardReason> = new Set([
  null,
  "whitelisted",
  "foreground",
  "foreground_tree",
  "critical",
  "access_denied",
]);

/**
 * Take one snapshot (`relief --snap`): Memoria's snapshot fields at the top level. Changes
 * nothing.
 *
 * @example
 * ```ts
 * const snap = await runSnapshot(backend);
 * console.log(snap.used_pct, snap.available_gb);
 * ```
 */
export async function runSnapshot(
  backend: Backend,
  clock: Clock = systemClock,
): Promise<SnapshotReport> {
  const t0 = clock.now();
  const facts = await backend.facts();
  const sample = await backend.sample();
  return {
    schema_version: "1.0",
    mode: "snapshot",
    exit_status: "ok",
    ...toSnapshot(sample),
    exit_code: 0,
    when: new Date(t0).toISOString(),
    platform: backend.platform,
    is_admin: facts.isAdmin,
    notes: [...facts.notes],
  };
}

/**
 * Run one cleanup and return the report (history_persisted is false: the caller persists and
 * sets it).
 *
 * @example
 * ```ts
 * const report = await runRelief(backend, { tier: "safe" });
 * console.log(report.exit_status, report.report.reclaimed_mb);
 * ```
 */
export async function runRelief(
  backend: Backend,
  opts: ReliefOptions,
  clock: Clock = systemClock,
): Promise<ReliefReport> {
  const t0 = clock.now();
  const facts = await backend.facts();
  const before = await backend.sample();
  const plan = planStages(backend.platform, opts.tier, facts, {
    dryRun: opts.dryRun ?? false,
    onlyPids: !!opts.pids?.length,
  });
  const notes = [...facts.notes, ...plan.notes];
  const privileges = await backend.prepare(plan.stages.filter((s) => s.run).map((s) => s.name));
  const run = await runStages(backend, opts, { plan, privileges, before, notes }, clock);
  const { stages, trims, fg, guardRan } = run;
  const after = run.last ?? await backend.sample();
  let settled: MemSample | null = null;
  if ((opts.settleMs ?? 0) > 0) {
    await clock.sleep(opts.settleMs!);
    settled = await backend.sample();
  }
  const deltas = sampleDelta(before, after);
  notes.push(...honestyNotes(deltas));
  if (fg?.note) notes.push(fg.note);
  const spared = sparedImage(opts, fg, stages, notes);
  const exitCode = exitStatusFor(stages, plan.downgraded);
  return {
    schema_version: "1.0",
    mode: "memory_relief",
    exit_status: exitStatusName(exitCode),
    freed_mb: deltas.available_mb,
    reclaimed_mb: deltas.available_mb,
    is_admin: facts.isAdmin,
    privileges,
    tier_requested: opts.tier,
    tier_effective: plan.tierEffective,
    platform: backend.platform,
    exit_code: exitCode,
    trigger: opts.trigger ?? "manual",
    when: new Date(t0).toISOString(),
    dry_run: opts.dryRun ?? false,
    before: toSnapshot(before),
    after: toSnapshot(after),
    settled: settled ? toSnapshot(settled) : null,
    process_guard_run: guardRan,
    history_persisted: false,
    report: {
      stages,
      process_trims: trims,
      foreground_excluded: spared,
      reclaimed_mb: deltas.available_mb,
      elapsed_ms: clock.now() - t0,
      is_admin: facts.isAdmin,
      exclude_foreground: opts.excludeForeground ?? true,
      foreground_pids: fg?.detected && opts.excludeForeground !== false ? fg.pids : [],
      whitelist: opts.whitelist ?? [],
      deltas,
      rebound_mb: settled ? toMb(settled.available - after.available) : null,
      notes,
    },
  };
}

/** What running the planned stages left behind. */
interface StagesRun {
  stages: StageReport[];
  trims: ProcessTrim[];
  fg: ForegroundInfo | null;
  /** Whether the per-process pass (with its guard) ran. */
  guardRan: boolean;
  /** The sample after the last stage that ran, or null when none ran. */
  last: MemSample | null;
}

/** The plan, the privileges `prepare` enabled, the first sample and the notes so far. */
type StageInputs = {
  plan: Plan;
  privileges: Record<string, string>;
  before: MemSample;
  notes: string[];
};

/** Every planned stage in order, each sampled after it ran (so its deltas are its own). */
async function runStages(
  backend: Backend,
  opts: ReliefOptions,
  { plan, privileges, before, notes }: StageInputs,
  clock: Clock,
): Promise<StagesRun> {
  const run: StagesRun = { stages: [], trims: [], fg: null, guardRan: false, last: null };
  let cur = before;
  for (const planned of plan.stages) {
    const s0 = clock.now();
    const outcome = await stageOutcome(backend, opts, planned, privileges, run, notes);
    const executed = planned.run && outcome.status !== "skipped" &&
      outcome.reason !== "privilege_not_held";
    let after: MemSample | null = null;
    if (executed) {
      after = await backend.sample();
      run.last = after;
    }
    run.stages.push(stageReport(planned, outcome, clock.now() - s0, cur, after));
    if (after) cur = after;
  }
  return run;
}

/**
 * One stage's outcome: the per-process pass (also listed in a dry run), a skip as planned, a
 * privilege that is not held, or the backend's stage.
 */
async function stageOutcome(
  backend: Backend,
  opts: ReliefOptions,
  planned: PlannedStage,
  privileges: Record<string, string>,
  run: StagesRun,
  notes: string[],
): Promise<StageOutcome> {
  const doTrims = planned.name === "process_trim" &&
    (planned.run || planned.reason === "dry_run");
  if (doTrims) {
    const pass = await processPass(backend, opts, planned.run);
    run.fg = pass.foreground;
    run.guardRan = true;
    run.trims.push(...pass.trims);
    notes.push(...pass.notes);
    return pass.outcome;
  }
  if (!planned.run) return { status: "skipped", reason: planned.reason ?? undefined };
  if (planned.meta.privilege && privileges[planned.meta.privilege] !== "enabled") {
    return { status: "error", reason: "privilege_not_held" };
  }
  return await backend.runStage(planned.name);
}

/**
 * Memoria's `foreground_excluded`: the foreground image the per-process pass spared, or null
 * (toggle off, `--pid` chosen, no foreground window, Linux's tree-only rule, or an aggressive
 * `global_ws_empty` that emptied every working set anyway).
 */
function sparedImage(
  opts: ReliefOptions,
  fg: ForegroundInfo | null,
  stages: StageReport[],
  notes: string[],
): string | null {
  if (opts.excludeForeground === false || opts.pids?.length || !fg?.detected || !fg.image) {
    return null;
  }
  if (stages.some((s) => s.name === "global_ws_empty" && s.status === "ok")) {
    notes.push(
      `global_ws_empty emptied ${fg.image}'s working set too: the foreground was not spared`,
    );
    return null;
  }
  return fg.image.split(/[\\/]/).pop() ?? fg.image;
}

function stageReport(
  planned: PlannedStage,
  o: StageOutcome,
  elapsed: number,
  before: MemSample,
  after: MemSample | null,
): StageReport {
  const delta = after ? sampleDelta(before, after) : null;
  const note = o.note ? `${planned.meta.note}; ${o.note}` : after ? planned.meta.note : null;
  return {
    name: planned.name,
    status: o.status,
    reason: o.reason ?? null,
    api: o.api ?? planned.meta.api,
    ntstatus: o.ntstatus ?? null,
    errno: o.errno ?? null,
    requires_admin: planned.meta.requiresAdmin,
    elapsed_ms: elapsed,
    delta,
    freed_mb: delta ? delta.available_mb : null,
    note,
  };
}

/** The guarded per-process pass (or, in a dry run, the list of what it would trim). */
async function processPass(
  backend: Backend,
  opts: ReliefOptions,
  live: boolean,
): Promise<
  { outcome: StageOutcome; trims: ProcessTrim[]; foreground: ForegroundInfo; notes: string[] }
> {
  const procs = await backend.listProcesses();
  const excludeForeground = opts.excludeForeground ?? true;
  const foreground: ForegroundInfo = excludeForeground
    ? await backend.foreground(procs)
    : { detected: false, pid: null, image: null, pids: [] };
  const decisions = guardProcesses(procs, {
    platform: backend.platform,
    selfPid: opts.selfPid ?? Deno.pid,
    whitelist: opts.whitelist ?? [],
    excludeForeground,
    foreground,
    minWsBytes: (opts.minWsMb ?? 50) * 1024 * 1024,
    onlyPids: opts.pids?.length ? opts.pids : null,
  });
  const trims: ProcessTrim[] = [];
  let trimmed = 0, errors = 0, small = 0;
  for (const { proc, reason } of decisions) {
    if (reason === "below_min_ws") small++;
    if (!REPORTED.has(reason)) continue;
    const row: ProcessTrim = {
      pid: proc.pid,
      image: proc.image,
      ws_before_mb: toMb(proc.ws),
      ws_after_mb: null,
      private_mb: toMb(proc.private),
      status: "skipped",
      reason,
    };
    if (reason === null) {
      if (!live) row.reason = "dry_run";
      else {
        const t = await backend.trimProcess(proc);
        row.status = t.status;
        row.reason = t.reason ?? null;
        row.ws_after_mb = toMb(t.wsAfter);
        if (t.status === "ok") trimmed++;
        if (t.status === "error") errors++;
      }
    }
    trims.push(row);
  }
  const notes: string[] = [];
  if (small) notes.push(`${small} processes below --min-ws-mb ${opts.minWsMb ?? 50} left alone`);
  if (opts.pids?.length) {
    const missing = opts.pids.filter((p) => !procs.some((q) => q.pid === p));
    if (missing.length) notes.push(`--pid not found: ${missing.join(", ")}`);
  }
  if (!live) return { outcome: { status: "skipped", reason: "dry_run" }, trims, foreground, notes };
  const summary = `trimmed ${trimmed} process${trimmed === 1 ? "" : "es"}` +
    (errors ? `, ${errors} failed` : "");
  return {
    outcome: errors
      ? { status: "error", reason: "process_errors", note: summary }
      : { status: "ok", note: summary },
    trims,
    foreground,
    notes,
  };
}
