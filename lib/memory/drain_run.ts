/**
 * The drain's process-level state: the exclusive lock file beside the database, and the record
 * of the last run (meta key `drain.last_run`) that `worker status` reports.
 */
import { MemoryossError } from "../errors/mod.ts";
import { rememberPayloadRef, type Store } from "../store/mod.ts";
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
    rt.store.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)").run(
      LAST_RUN_KEY,
      JSON.stringify(run),
    );
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
  const row = store.db.prepare("SELECT value FROM meta WHERE key = ?").get(LAST_RUN_KEY) as
    | { value: string }
    | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value) as DrainRun;
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
  const marks = ids.map(() => "?").join(",");
  const rows = store.db.prepare(
    `SELECT queue_id, at, action, memory_id, target_id, reason, worker FROM remember_decisions
     WHERE memory_id IN (${marks}) OR target_id IN (${marks}) ORDER BY seq`,
  ).all(...ids, ...ids) as unknown as Omit<RecordedDecision, "source">[];
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
  /** pending: waiting or retrying; done: applied; failed: gave up after MAX_ATTEMPTS. */
  status: "pending" | "done" | "failed";
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
  const where = {
    pending: "done_at IS NULL AND attempts < :max",
    done: "done_at IS NOT NULL",
    failed: "done_at IS NULL AND attempts >= :max",
  }[opts.status ?? "pending"];
  const rows = store.db.prepare(
    `SELECT id, namespace, payload, attempts, enqueued_at, claimed_at, claimed_by, done_at, error,
       CASE WHEN done_at IS NOT NULL THEN 'done' WHEN attempts >= :max THEN 'failed'
            ELSE 'pending' END AS status
     FROM remember_queue ${opts.status ? `WHERE ${where}` : ""} ORDER BY id DESC LIMIT :limit`,
  ).all({ max: MAX_ATTEMPTS, limit: opts.limit ?? 50 }) as Record<string, string | number | null>[];
  return rows.map((r) => ({
    id: r.id as number,
    store: r.namespace as string,
    content: openContent(store, r.namespace as string, r.payload as string),
    status: r.status as QueueRow["status"],
    attempts: r.attempts as number,
    queued_at: r.enqueued_at as string,
    claimed_at: r.claimed_at as string | null,
    worker: r.claimed_by as string | null,
    last_error: r.error as string | null,
    processed_at: r.done_at as string | null,
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
