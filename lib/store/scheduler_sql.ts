/**
 * The remember queue's `stale` rows (memman's `scheduler start`: never-attempted pending rows
 * queued more than 7 days ago are parked as `stale`, not applied).
 *
 * The queue has no status column (status is derived: done, failed at `maxAttempts` tries,
 * else pending), so a stale row is stored as one no drain claims: its tries raised to
 * `maxAttempts`, `claimed_by` {@link STALE_MARK} and `error` saying why. The rows and counts
 * of queue_sql.ts tell it apart from a failed row; `attempts` of a stale row is reported as 0
 * (it was never tried: only rows with 0 tries are marked).
 */
import { STALE_MARK } from "./queue_sql.ts";
import type { Store } from "./store.ts";

/**
 * Park never-attempted pending rows queued before `before` as stale, at `at`; returns how many
 * were marked. Rows already done, tried or failed are untouched (so it is idempotent).
 */
export function markStaleQueueRows(
  store: Store,
  o: { before: string; at: string; maxAttempts: number; reason: string },
): number {
  return Number(
    store.db.prepare(
      `UPDATE remember_queue SET attempts = ?, claimed_by = ?, claimed_at = ?, error = ?
       WHERE done_at IS NULL AND attempts = 0 AND enqueued_at < ?`,
    ).run(o.maxAttempts, STALE_MARK, o.at, o.reason, o.before).changes,
  );
}
