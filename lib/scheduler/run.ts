/**
 * What memman's scheduler does around the drain: `start` parks old never-tried queue rows as
 * `stale` ({@link markStale}), and a drain run keeps memman's limits — 100 rows, 300 s, the
 * stop signal checked before each claim ({@link drainWithin}).
 *
 * @module
 */
import { markStaleQueueRows } from "../store/scheduler_sql.ts"; // a leaf: remember's start-up
import type { Store } from "../store/mod.ts";
import type { DrainSummary } from "../memory/mod.ts";

/** memman: pending rows never attempted and queued longer ago than this become stale. */
export const STALE_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * Park never-attempted pending rows queued more than 7 days before `now` as `stale` (no drain
 * applies them; `scheduler queue --status stale` lists them). Returns how many were marked.
 *
 * @example
 * ```ts
 * markStale(store, new Date(), MAX_ATTEMPTS); // 0 on a queue with nothing a week old
 * ```
 */
export function markStale(store: Store, now: Date, maxAttempts: number): number {
  const at = now.toISOString();
  return markStaleQueueRows(store, {
    before: new Date(now.getTime() - STALE_AFTER_MS).toISOString(),
    at,
    maxAttempts,
    reason: `stale: never attempted, queued more than 7 days before 'scheduler start' at ${at}`,
  });
}

/** memman's limits of one drain run. */
export interface RunLimits {
  /** Rows applied at most (memman: 100). */
  rows: number;
  /** Milliseconds after the start after which no row is claimed (memman: 300 000). */
  deadlineMs: number;
  /** Rows claimed at a time: the limits are checked before each claim (default 10). */
  chunk?: number;
  /** The clock in milliseconds (default `Date.now`). */
  now?: () => number;
  /** Aborted: no further claim (SIGINT/SIGTERM of `serve`). */
  signal?: AbortSignal;
}

/** A run's summary, and which limit ended it (absent when the queue ran dry or was stopped). */
export type LimitedSummary = DrainSummary & { limit?: "rows" | "deadline" | "signal" };

/**
 * One drain run within memman's limits: `step(n)` claims and applies up to `n` rows (one
 * lib/memory `drain` with `once`, which re-reads the scheduler state before its claim); before
 * each step the row budget, the deadline and the signal are checked. A step that found the
 * lock busy, was stopped, had a row fail (retried by the next run), or claimed fewer rows than
 * asked ends the run.
 *
 * @example
 * ```ts
 * await drainWithin((n) => drain(rt, { batch: n, once: true }), { rows: 100, deadlineMs: 300_000 });
 * ```
 */
export async function drainWithin(
  step: (rows: number) => Promise<DrainSummary>,
  limits: RunLimits,
): Promise<LimitedSummary> {
  const now = limits.now ?? Date.now;
  const chunk = Math.max(1, limits.chunk ?? 10);
  const end = now() + limits.deadlineMs;
  let total: LimitedSummary | null = null;
  while (true) {
    const left = limits.rows - (total ? total.processed + total.failed.length : 0);
    const why = left <= 0
      ? "rows"
      : limits.signal?.aborted
      ? "signal"
      : total && now() >= end
      ? "deadline"
      : null;
    if (why && total) return { ...total, limit: why };
    const ask = Math.min(chunk, Math.max(1, left));
    const res = await step(ask);
    total = total ? merge(total, res) : { ...res };
    // A failed row stays pending: the next run retries it, not the next step of this one.
    const claimed = res.processed + res.failed.length;
    if (res.lock === "busy" || res.scheduler || res.failed.length || claimed < ask) return total;
  }
}

/** `a` followed by `b`: counts added, the queue as `b` left it. */
function merge(a: DrainSummary, b: DrainSummary): DrainSummary {
  const add = <K extends string>(x: Record<K, number>, y: Record<K, number>) =>
    Object.fromEntries(Object.keys(x).map((k) => [k, x[k as K] + (y[k as K] ?? 0)])) as Record<
      K,
      number
    >;
  const out: DrainSummary = {
    ...a,
    processed: a.processed + b.processed,
    actions: add(a.actions, b.actions),
    sources: add(a.sources, b.sources),
    failed: [...a.failed, ...b.failed],
    queue: b.queue,
    linked: a.linked + b.linked,
  };
  if (b.scheduler) out.scheduler = b.scheduler;
  if (a.canonical || b.canonical) {
    const z = { rewritten: 0, skipped: 0, kept: 0 };
    out.canonical = add(a.canonical ?? z, b.canonical ?? z);
  }
  return out;
}
