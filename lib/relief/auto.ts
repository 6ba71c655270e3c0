/**
 * `relief auto`: watch memory and clean when used % crosses a threshold (or available drops
 * below a floor, or a periodic interval elapses), with a cooldown that doubles while cleans
 * recover little (Mem Reduct #191/#288: no cleaning loops). Aggressive is never automatic.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { type ReliefOptions, runRelief } from "./engine.ts";
import { usedPct } from "./measure.ts";
import type { ReliefReport } from "./schema.ts";
import type { ReliefState } from "./state.ts";
import type { Backend, Clock, MemSample } from "./types.ts";

/** Auto-clean settings. */
export interface AutoOptions {
  /** Clean when used % ≥ this (0 disables). Default 90. */
  thresholdPct: number;
  /** Clean when available MB < this (0 disables). */
  minAvailableMb: number;
  /** Also clean every this many ms regardless of load (null disables). */
  intervalMs: number | null;
  /** How often to look. Default 5 s. */
  pollMs: number;
  /** Minimum gap between cleans. Default 30 s. */
  cooldownMs: number;
  /** Back-off ceiling. Default 30 min. */
  maxCooldownMs: number;
  /** A clean that recovers less than this counts as low-yield. Default 64 MB. */
  lowYieldMb: number;
  /** Stop after this many polls (tests, or a bounded run). */
  maxIterations?: number;
  signal?: AbortSignal;
  relief: Omit<ReliefOptions, "trigger">;
}

/** What auto needs from outside. */
export interface AutoDeps {
  backend: Backend;
  clock: Clock;
  loadState(): Promise<ReliefState>;
  saveState(s: ReliefState): Promise<void>;
  /** Called with every cleanup report (print it, append history). */
  onReport(r: ReliefReport): Promise<void>;
}

/** Why a poll cleans, or why it does not. */
export type AutoDecision =
  | { run: true; trigger: "threshold" | "available" | "interval" }
  | { run: false; wait: "below_threshold" | "cooldown" };

/**
 * Decide one poll. Pure.
 *
 * @example
 * ```ts
 * autoDecision({ sample, now, lastCleanAt: null, periodFrom: now, cooldownMs: 30000, opts });
 * ```
 */
export function autoDecision(input: {
  sample: Pick<MemSample, "total" | "available">;
  now: number;
  lastCleanAt: number | null;
  periodFrom: number;
  cooldownMs: number;
  opts: Pick<AutoOptions, "thresholdPct" | "minAvailableMb" | "intervalMs">;
}): AutoDecision {
  const { sample, now, lastCleanAt, opts } = input;
  const trigger = opts.thresholdPct > 0 && usedPct(sample) >= opts.thresholdPct
    ? "threshold"
    : opts.minAvailableMb > 0 && sample.available < opts.minAvailableMb * 1048576
    ? "available"
    : opts.intervalMs !== null &&
        now - Math.max(input.periodFrom, lastCleanAt ?? 0) >= opts.intervalMs
    ? "interval"
    : null;
  if (!trigger) return { run: false, wait: "below_threshold" };
  if (lastCleanAt !== null && now - lastCleanAt < input.cooldownMs) {
    return { run: false, wait: "cooldown" };
  }
  return { run: true, trigger };
}

/**
 * The next cooldown: doubled (up to the ceiling) after a low-yield clean, reset otherwise.
 *
 * @example
 * ```ts
 * nextCooldown(30000, 10, { cooldownMs: 30000, maxCooldownMs: 1800000, lowYieldMb: 64 }); // 60000
 * ```
 */
export function nextCooldown(
  current: number,
  freedMb: number,
  opts: Pick<AutoOptions, "cooldownMs" | "maxCooldownMs" | "lowYieldMb">,
): number {
  if (freedMb >= opts.lowYieldMb) return opts.cooldownMs;
  return Math.min(Math.max(current, opts.cooldownMs) * 2, opts.maxCooldownMs);
}

/** Totals of an auto session. */
export interface AutoSummary {
  polls: number;
  runs: number;
  lastExit: number;
}

/**
 * Run the auto-clean loop until aborted or `maxIterations` polls.
 *
 * @example
 * ```ts
 * await runAuto(opts, { backend, clock: systemClock, loadState, saveState, onReport });
 * ```
 */
export async function runAuto(opts: AutoOptions, deps: AutoDeps): Promise<AutoSummary> {
  if (opts.relief.tier === "aggressive") {
    throw new MemoryossError("INVALID_INPUT", "the aggressive tier is never automatic");
  }
  const { clock, backend } = deps;
  let state = await deps.loadState();
  const last = state.auto.last_clean_at ? Date.parse(state.auto.last_clean_at) : null;
  let lastCleanAt = Number.isFinite(last) ? last : null;
  let cooldown = Math.max(state.auto.cooldown_ms, opts.cooldownMs);
  const periodFrom = clock.now();
  const summary: AutoSummary = { polls: 0, runs: 0, lastExit: 0 };
  while (!opts.signal?.aborted) {
    if (opts.maxIterations !== undefined && summary.polls >= opts.maxIterations) break;
    summary.polls++;
    const now = clock.now();
    const sample = await backend.sample();
    const d = autoDecision({ sample, now, lastCleanAt, periodFrom, cooldownMs: cooldown, opts });
    if (d.run) {
      const report = await runRelief(backend, { ...opts.relief, trigger: "auto" }, clock);
      summary.runs++;
      summary.lastExit = report.exit_code;
      await deps.onReport(report);
      lastCleanAt = now;
      cooldown = nextCooldown(cooldown, report.freed_mb, opts);
      const streak = report.freed_mb < opts.lowYieldMb ? state.auto.low_yield_streak + 1 : 0;
      state = {
        ...(await deps.loadState()),
        auto: {
          last_clean_at: new Date(now).toISOString(),
          cooldown_ms: cooldown,
          low_yield_streak: streak,
        },
      };
      await deps.saveState(state);
    }
    if (opts.maxIterations !== undefined && summary.polls >= opts.maxIterations) break;
    await clock.sleep(opts.pollMs, opts.signal);
  }
  return summary;
}
