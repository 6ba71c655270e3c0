/**
 * The remember queue (`remember_queue`) and the drain's decision log (`remember_decisions`):
 * append a sealed fact, claim, count a try, record a failure, mark done with its decision,
 * counts and listings. `maxAttempts` is the caller's rule (lib/memory `MAX_ATTEMPTS`): a row
 * with that many tries and not done is failed.
 */
import type { Store } from "./store.ts";
import { rememberPayloadRef } from "./sealed.ts";

/**
 * Append one fact to the queue, its payload sealed like memory content, in one transaction.
 * `early`: the payload already sealed (sealed.ts `sealFieldAsync`), kept while its key is
 * still the active one. Returns the queue id.
 */
export function enqueueRememberPayload(
  store: Store,
  namespace: string,
  payloadJson: string,
  at: string,
  early?: string,
): number {
  const row = store.transaction(() =>
    store.db.prepare(
      "INSERT INTO remember_queue (namespace, payload, enqueued_at) VALUES (?, ?, ?) RETURNING id",
    ).get(namespace, store.sealValue(rememberPayloadRef(namespace), payloadJson, early), at)
  ) as { id: number };
  return row.id;
}

/** Queue counts as stored: sums are null on an empty queue. */
export interface QueueCountRow {
  pending: number | null;
  done: number | null;
  failed: number | null;
  stale: number | null;
  oldest: string | null;
}

/**
 * `claimed_by` of a row parked as stale (memman's `scheduler start`: never tried, queued more
 * than 7 days ago). Its tries are raised to the maximum, so no drain claims it; a worker id is
 * `pid<n>-<hex>`, never this.
 */
export const STALE_MARK = "stale";

/** Pending, done, failed and stale rows, and the oldest pending row's enqueue time. */
export function queueCounts(store: Store, maxAttempts: number): QueueCountRow {
  return store.db.prepare(
    `SELECT
       sum(done_at IS NULL AND attempts < :max) AS pending,
       sum(done_at IS NOT NULL) AS done,
       sum(done_at IS NULL AND attempts >= :max AND coalesce(claimed_by, '') <> :stale) AS failed,
       sum(done_at IS NULL AND attempts >= :max AND claimed_by = :stale) AS stale,
       min(CASE WHEN done_at IS NULL AND attempts < :max THEN enqueued_at END) AS oldest
     FROM remember_queue`,
  ).get({ max: maxAttempts, stale: STALE_MARK }) as unknown as QueueCountRow;
}

/** A claimed queue row: its payload still sealed. */
export interface ClaimedQueueRow {
  id: number;
  namespace: string;
  payload: string;
}

/**
 * Mark up to `limit` open rows (not done, fewer than `maxAttempts` tries) after id `cursor`
 * as claimed by `worker` at `at`; returns them in no particular order.
 */
export function claimQueueRows(
  store: Store,
  o: { worker: string; at: string; maxAttempts: number; cursor: number; limit: number },
): ClaimedQueueRow[] {
  return store.db.prepare(
    `UPDATE remember_queue SET claimed_by = ?, claimed_at = ?
     WHERE id IN (SELECT id FROM remember_queue
                  WHERE done_at IS NULL AND attempts < ? AND id > ? ORDER BY id LIMIT ?)
     RETURNING id, namespace, payload`,
  ).all(o.worker, o.at, o.maxAttempts, o.cursor, o.limit) as unknown as ClaimedQueueRow[];
}

/** Count a try of row `id` (claimed by `worker` at `at`); false when it is done already. */
export function countQueueTry(store: Store, id: number, worker: string, at: string): boolean {
  return store.db.prepare(
    `UPDATE remember_queue SET attempts = attempts + 1, claimed_by = ?, claimed_at = ?
     WHERE id = ? AND done_at IS NULL RETURNING attempts`,
  ).get(worker, at, id) !== undefined;
}

/**
 * Record `error` on row `id` unless it is done; a `permanent` failure raises its tries to
 * `maxAttempts` so no drain picks it up again.
 */
export function failQueueRow(
  store: Store,
  id: number,
  error: string,
  permanent: boolean,
  maxAttempts: number,
): void {
  store.db.prepare(
    `UPDATE remember_queue SET error = ?, attempts = CASE WHEN ? THEN max(attempts, ?)
     ELSE attempts END WHERE id = ? AND done_at IS NULL`,
  ).run(error, permanent ? 1 : 0, maxAttempts, id);
}

/** A drain decision as `remember_decisions` records it. */
export interface QueueDecision {
  namespace: string;
  action: string;
  memory_id: string | null;
  target_id: string | null;
  similarity: number | null;
  reason: string;
  worker: string;
}

function markDone(store: Store, id: number, resultJson: string, at: string): boolean {
  return store.db.prepare(
    "UPDATE remember_queue SET done_at = ?, result = ?, error = NULL WHERE id = ? AND done_at IS NULL",
  ).run(at, resultJson, id).changes === 1;
}

/**
 * Mark row `id` done at `at` with its result and record its decision, in one transaction
 * (joining the caller's). False, writing nothing, when the row is done already.
 */
export function markQueueRowDone(
  store: Store,
  id: number,
  resultJson: string,
  d: QueueDecision,
  at: string,
): boolean {
  return store.transaction(() => {
    if (!markDone(store, id, resultJson, at)) return false;
    store.db.prepare(
      `INSERT INTO remember_decisions
       (queue_id, namespace, action, memory_id, target_id, similarity, reason, worker, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      d.namespace,
      d.action,
      d.memory_id,
      d.target_id,
      d.similarity,
      d.reason,
      d.worker,
      at,
    );
    return true;
  });
}

/**
 * Mark row `id` done at `at` without a memory (decision NONE with `reason`), in one
 * transaction. False, writing nothing, when the row is done already.
 */
export function markQueueRowSkipped(
  store: Store,
  row: { id: number; namespace: string },
  resultJson: string,
  reason: string,
  worker: string,
  at: string,
): boolean {
  return store.transaction(() => {
    if (!markDone(store, row.id, resultJson, at)) return false;
    store.db.prepare(
      `INSERT INTO remember_decisions (queue_id, namespace, action, memory_id, reason, worker, at)
       VALUES (?, ?, 'NONE', NULL, ?, ?, ?)`,
    ).run(row.id, row.namespace, reason, worker, at);
    return true;
  });
}

/** A recorded decision as stored (the reason still carries its `source: ` prefix). */
export interface DecisionRow {
  queue_id: number;
  at: string;
  action: string;
  memory_id: string | null;
  target_id: string | null;
  reason: string;
  worker: string;
}

/** The decisions that wrote or targeted any of `ids` (non-empty), oldest first. */
export function decisionsTouching(store: Store, ids: readonly string[]): DecisionRow[] {
  const marks = ids.map(() => "?").join(",");
  return store.db.prepare(
    `SELECT queue_id, at, action, memory_id, target_id, reason, worker FROM remember_decisions
     WHERE memory_id IN (${marks}) OR target_id IN (${marks}) ORDER BY seq`,
  ).all(...ids, ...ids) as unknown as DecisionRow[];
}

/** A queue row as stored, with its derived status. */
export interface QueueListRow {
  id: number;
  namespace: string;
  payload: string;
  attempts: number;
  enqueued_at: string;
  claimed_at: string | null;
  claimed_by: string | null;
  done_at: string | null;
  error: string | null;
  status: "pending" | "done" | "failed" | "stale";
}

/** Queue rows, newest first: all, or those of one status; at most `limit`. */
export function queueListRows(
  store: Store,
  o: { status?: QueueListRow["status"]; maxAttempts: number; limit: number },
): QueueListRow[] {
  const where = {
    pending: "done_at IS NULL AND attempts < :max",
    done: "done_at IS NOT NULL",
    failed: "done_at IS NULL AND attempts >= :max AND coalesce(claimed_by, '') <> :stale",
    stale: "done_at IS NULL AND attempts >= :max AND claimed_by = :stale",
  }[o.status ?? "pending"];
  // A stale row was never tried: its raised tries only keep drains away, so it shows 0.
  return store.db.prepare(
    `SELECT id, namespace, payload, enqueued_at, claimed_at, claimed_by, done_at, error,
       CASE WHEN done_at IS NOT NULL THEN 'done'
            WHEN attempts >= :max AND claimed_by = :stale THEN 'stale'
            WHEN attempts >= :max THEN 'failed'
            ELSE 'pending' END AS status,
       CASE WHEN done_at IS NULL AND attempts >= :max AND claimed_by = :stale THEN 0
            ELSE attempts END AS attempts
     FROM remember_queue ${o.status ? `WHERE ${where}` : ""} ORDER BY id DESC LIMIT :limit`,
  ).all({ max: o.maxAttempts, limit: o.limit, stale: STALE_MARK }) as unknown as QueueListRow[];
}
