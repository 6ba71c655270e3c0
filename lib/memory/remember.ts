/**
 * `remember`: the cheap write. One validated INSERT into the durable `remember_queue` table; no
 * embedding, no network, no reconciliation. A later `drain` applies each row exactly once
 * (lib/memory/drain.ts), so a remembered fact is recallable only after a drain commits it.
 */
import { z } from "zod";
import type { Config } from "../config/mod.ts";
import { queueCounts, type Store } from "../store/mod.ts";
import { parseInput, StoreInputSchema } from "./schemas.ts";
import { enqueueValid, plainRememberInput, type RememberResult } from "./remember_queue.ts";

export { type RememberResult } from "./remember_queue.ts";

/**
 * What `remember` accepts: a store input without status, confidence or backdating, plus
 * memman's `no_reconcile` hint (`remember --no-reconcile`: the drain stores the text as written,
 * with no canonical rewrite and no reconciliation against similar memories).
 */
export const RememberInputSchema = StoreInputSchema.omit({
  status: true,
  confidence: true,
  created_at: true,
}).extend({ no_reconcile: z.boolean().optional() });
export type RememberInput = z.infer<typeof RememberInputSchema>;

/** The queue row's payload: the input minus its namespace (kept in its own column). */
export type RememberPayload = Omit<RememberInput, "namespace">;

/**
 * Validate and append one fact to the queue (one INSERT, autocommitted).
 *
 * @example
 * ```ts
 * const r = enqueueRemember(store, config, { content: "The API listens on port 8080" });
 * // r.queue_id → drain applies it later
 * ```
 */
export function enqueueRemember(
  store: Store,
  config: Config,
  raw: unknown,
  now: Date = new Date(),
): RememberResult {
  return enqueueValid(store, config, parseRememberInput(raw), now);
}

/** `raw` checked by {@link RememberInputSchema} (the plain check first: same result, faster). */
export function parseRememberInput(raw: unknown): RememberInput {
  return plainRememberInput(raw) ?? parseInput(RememberInputSchema, raw);
}

/**
 * Queue counts: pending (waiting or retrying), done, failed (gave up), stale (parked by
 * `scheduler start`: never tried, queued more than 7 days ago; never drained).
 */
export interface QueueStats {
  pending: number;
  done: number;
  failed: number;
  stale: number;
  oldest_pending_at: string | null;
}

/** Most tries of one item before it is left as failed for a person to look at. */
export const MAX_ATTEMPTS = 5;

/** Counts of the queue, for `drain --json` and status output. */
export function queueStats(store: Store): QueueStats {
  const row = queueCounts(store, MAX_ATTEMPTS);
  return {
    pending: row.pending ?? 0,
    done: row.done ?? 0,
    failed: row.failed ?? 0,
    stale: row.stale ?? 0,
    oldest_pending_at: row.oldest,
  };
}
