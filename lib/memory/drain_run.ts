/**
 * The drain's process-level state: the exclusive lock file beside the database, and the record
 * of the last run (meta key `drain.last_run`) that `worker status` reports.
 */
import { MemoryossError } from "../errors/mod.ts";
import type { Store } from "../store/mod.ts";
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
