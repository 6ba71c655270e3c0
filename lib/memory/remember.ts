/**
 * `remember`: the cheap write. One validated INSERT into the durable `remember_queue` table; no
 * embedding, no network, no reconciliation. A later `drain` applies each row exactly once
 * (lib/memory/drain.ts), so a remembered fact is recallable only after a drain commits it.
 */
import type { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import type { Config } from "../config/mod.ts";
import { rememberPayloadRef, type Store } from "../store/mod.ts";
import { parseInput, StoreInputSchema } from "./schemas.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";

/** What `remember` accepts: a store input without status, confidence or backdating. */
export const RememberInputSchema = StoreInputSchema.omit({
  status: true,
  confidence: true,
  created_at: true,
});
export type RememberInput = z.infer<typeof RememberInputSchema>;

/** The queue row's payload: the input minus its namespace (kept in its own column). */
export type RememberPayload = Omit<RememberInput, "namespace">;

/** What `remember` returns. */
export interface RememberResult {
  action: "queued";
  queue_id: number;
  namespace: string;
  enqueued_at: string;
}

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
  const input = parseInput(RememberInputSchema, raw);
  const lim = config.limits;
  const bytes = new TextEncoder().encode(input.content).length;
  if (bytes > lim.max_content_bytes) {
    throw new MemoryossError(
      "PAYLOAD_TOO_LARGE",
      `content is ${bytes} bytes; the limit is ${lim.max_content_bytes} (limits.max_content_bytes)`,
      ["content"],
    );
  }
  if ((input.tags?.length ?? 0) > lim.max_tags) {
    throw new MemoryossError("INVALID_INPUT", `at most ${lim.max_tags} tags`, ["tags"]);
  }
  const { namespace, ...payload } = input;
  const ns = namespace ?? DEFAULT_NAMESPACE;
  const at = now.toISOString();
  // Sealed like memory content (the queue holds the fact until a drain applies it).
  const row = store.transaction(() =>
    store.db.prepare(
      "INSERT INTO remember_queue (namespace, payload, enqueued_at) VALUES (?, ?, ?) RETURNING id",
    ).get(ns, store.sealValue(rememberPayloadRef(ns), JSON.stringify(payload)), at)
  ) as { id: number };
  return { action: "queued", queue_id: row.id, namespace: ns, enqueued_at: at };
}

/** Queue counts: pending (waiting or retrying), done, failed (gave up). */
export interface QueueStats {
  pending: number;
  done: number;
  failed: number;
  oldest_pending_at: string | null;
}

/** Most tries of one item before it is left as failed for a person to look at. */
export const MAX_ATTEMPTS = 5;

/** Counts of the queue, for `drain --json` and status output. */
export function queueStats(store: Store): QueueStats {
  const row = store.db.prepare(
    `SELECT
       sum(done_at IS NULL AND attempts < ?) AS pending,
       sum(done_at IS NOT NULL) AS done,
       sum(done_at IS NULL AND attempts >= ?) AS failed,
       min(CASE WHEN done_at IS NULL AND attempts < ? THEN enqueued_at END) AS oldest
     FROM remember_queue`,
  ).get(MAX_ATTEMPTS, MAX_ATTEMPTS, MAX_ATTEMPTS) as {
    pending: number | null;
    done: number | null;
    failed: number | null;
    oldest: string | null;
  };
  return {
    pending: row.pending ?? 0,
    done: row.done ?? 0,
    failed: row.failed ?? 0,
    oldest_pending_at: row.oldest,
  };
}
