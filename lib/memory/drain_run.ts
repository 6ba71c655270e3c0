/**
 * The drain's process-level state: the exclusive lock file beside the database, and the record
 * of the last run (meta key `drain.last_run`) that `worker status` reports.
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  decisionsTouching,
  metaValue,
  queueListRows,
  rememberPayloadRef,
  setMetaValue,
  type Store,
} from "../store/mod.ts";
import { MAX_ATTEMPTS } from "./remember.ts";
import type { Runtime } from "./runtime.ts";
import type { DrainSummary } from "./drain.ts";

/** The lock file beside a database. */
export function drainLockPath(dbPath: string): string {
  return `${dbPath}.drain.lock`;
}

/** A held drain lock. */
export interface DrainLock {
  release(): void;
}

/**
 * Take the exclusive drain lock without waiting; null when another process (or another open
 * handle) holds it. The kernel releases it if the holder dies, so a crash never wedges drains.
 */
export function tryDrainLock(path: string): DrainLock | null {
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(path, { read: true, write: true, create: true });
  } catch (e) {
    throw new MemoryossError("IO", `cannot open drain lock ${path}: ${(e as Error).message}`);
  }
  if (!f.tryLockSync(true)) {
    f.close();
    return null;
  }
  try {
    f.truncateSync(0);
    f.writeSync(new TextEncoder().encode(`${Deno.pid}\n`));
  } catch { /* the pid is only a hint for people */ }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      f.unlockSync();
      f.close();
    },
  };
}

/** What the last drain that held the lock did (`worker status`). */
export interface DrainRun {
  started_at: string;
  finished_at: string;
  worker: string;
  /** ok: everything applied; partial: some items failed; error: the run stopped early. */
  outcome: "ok" | "partial" | "error";
  processed: number;
  failed: number;
  actions: DrainSummary["actions"];
  sources: DrainSummary["sources"];
  pending: number;
  error: string | null;
}

const LAST_RUN_KEY = "drain.last_run";

/** Record a finished run (best effort: a locked database never fails the drain). */
export function recordLastRun(
  rt: Runtime,
  startedAt: string,
  s: DrainSummary,
  error: string | null,
): void {
  const run: DrainRun = {
    started_at: startedAt,
    finished_at: rt.now().toISOString(),
    worker: s.worker,
    outcome: error ? "error" : s.failed.length ? "partial" : "ok",
    processed: s.processed,
    failed: s.failed.length,
    actions: s.actions,
    sources: s.sources,
    pending: s.queue.pending,
    error: error?.slice(0, 500) ?? null,
  };
  try {
    setMetaValue(rt.store, LAST_RUN_KEY, JSON.stringify(run));
  } catch { /* status only */ }
}

/**
 * The last recorded drain run of a database, or null when none ran yet.
 *
 * @example
 * ```ts
 * lastDrainRun(store)?.outcome; // "ok"
 * ```
 */
export function lastDrainRun(store: Store): DrainRun | null {
  const value = metaValue(store, LAST_RUN_KEY);
  if (value === undefined) return null;
  try {
    return JSON.parse(value) as DrainRun;
  } catch {
    return null;
  }
}

/** One recorded reconciliation decision (`remember_decisions`), for lineage views. */
export interface RecordedDecision {
  queue_id: number;
  at: string;
  action: string;
  source: string;
  memory_id: string | null;
  target_id: string | null;
  reason: string;
  worker: string;
}

/**
 * The drain decisions that wrote or targeted any of `ids`, oldest first.
 *
 * @example
 * ```ts
 * reconcileDecisions(rt.store, [id]).map((d) => `${d.action} (${d.source})`);
 * ```
 */
export function reconcileDecisions(store: Store, ids: readonly string[]): RecordedDecision[] {
  if (ids.length === 0) return [];
  const rows = decisionsTouching(store, ids);
  return rows.map((r) => {
    const m = r.reason.match(/^(llm|rules|fallback): ([\s\S]*)$/);
    return { ...r, source: m ? m[1] : "rules", reason: m ? m[2] : r.reason };
  });
}

/** A queue row as `scheduler queue` shows it, in memman's column names. */
export interface QueueRow {
  id: number;
  /** The namespace (memman's store). */
  store: string;
  /** The queued text, or null when it cannot be opened (a sealed row without its key). */
  content: string | null;
  /**
   * pending: waiting or retrying; done: applied; failed: gave up after MAX_ATTEMPTS; stale:
   * parked by `scheduler start` (never tried, older than 7 days), never drained.
   */
  status: "pending" | "done" | "failed" | "stale";
  attempts: number;
  queued_at: string;
  claimed_at: string | null;
  worker: string | null;
  last_error: string | null;
  processed_at: string | null;
}

/**
 * Queue rows, newest first: all, or those of one status (memman's `scheduler queue`).
 *
 * @example
 * ```ts
 * listQueue(store, { status: "failed", limit: 20 }).map((r) => r.last_error);
 * ```
 */
export function listQueue(
  store: Store,
  opts: { status?: QueueRow["status"]; limit?: number } = {},
): QueueRow[] {
  const rows = queueListRows(store, {
    status: opts.status,
    maxAttempts: MAX_ATTEMPTS,
    limit: opts.limit ?? 50,
  });
  return rows.map((r) => ({
    id: r.id,
    store: r.namespace,
    content: openContent(store, r.namespace, r.payload),
    status: r.status,
    attempts: r.attempts,
    queued_at: r.enqueued_at,
    claimed_at: r.claimed_at,
    worker: r.claimed_by,
    last_error: r.error,
    processed_at: r.done_at,
  }));
}

function openContent(store: Store, namespace: string, payload: string): string | null {
  try {
    const p = JSON.parse(store.openValue(rememberPayloadRef(namespace), payload));
    return typeof p.content === "string" ? p.content : null;
  } catch {
    return null;
  }
}
