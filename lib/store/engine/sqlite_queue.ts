/**
 * The remember queue on SQLite: `remember_queue` and `remember_decisions` as the synchronous
 * store writes them (queue_sql.ts does the appends and the done-with-decision write), every
 * call bound to a namespace or scope; a claim is one `UPDATE … RETURNING` inside an IMMEDIATE
 * transaction, so a row is held by one worker at a time.
 *
 * @module
 */
import type { SQLInputValue } from "node:sqlite";
import { enqueueRememberPayload, markQueueRowDone, STALE_MARK } from "../queue_sql.ts";
import { rememberPayloadRef } from "../sealed.ts";
import type { Store } from "../store.ts";
import { needNamespace } from "./shared.ts";
import {
  checkClaim,
  inList,
  leaseCutoff,
  limitOf,
  type Ph,
  queueStatusSql,
  scopeSql,
} from "./side_shared.ts";
import { run } from "./sqlite_graph.ts";
import type {
  ClaimedItem,
  ClaimOptions,
  QueueCounts,
  QueueDecisionInput,
  QueueDecisionRow,
  QueueEngine,
  QueueItem,
  QueueStatus,
} from "./side_types.ts";
import type { NamespaceScope } from "./types.ts";

function placeholders(): { params: SQLInputValue[]; ph: Ph } {
  const params: SQLInputValue[] = [];
  return { params, ph: (v) => (params.push(v), "?") };
}

/** {@link QueueEngine} over a SQLite store. */
export class SqliteQueue implements QueueEngine {
  readonly #s: Store;
  constructor(store: Store) {
    this.#s = store;
  }

  enqueue(namespace: string, payloads: readonly string[], at: string): Promise<number[]> {
    return run(() => {
      needNamespace(namespace);
      return this.#s.transaction(() =>
        payloads.map((p) => enqueueRememberPayload(this.#s, namespace, p, at))
      );
    });
  }

  /** One IMMEDIATE transaction: the rows are marked before another writer can read them. */
  claim(scope: NamespaceScope, o: ClaimOptions): Promise<ClaimedItem[]> {
    return run(() => {
      checkClaim(o);
      const { params, ph } = placeholders();
      const set = `claimed_by = ${ph(o.worker)}, claimed_at = ${ph(o.at)}`;
      const open = `done_at IS NULL AND attempts < ${ph(o.maxAttempts)} AND ` +
        `(claimed_at IS NULL OR claimed_at < ${ph(leaseCutoff(o.at, o.leaseMs))})`;
      const q = `UPDATE remember_queue SET ${set}, attempts = attempts + 1
        WHERE id IN (SELECT id FROM remember_queue WHERE ${open} AND ${scopeSql(scope, ph)}
                     ORDER BY id LIMIT ${ph(o.limit)})
        RETURNING id, namespace, payload, attempts`;
      return this.#s.transaction(() => {
        const rows = this.#s.prepare(q).all(...params) as unknown as ClaimedItem[];
        // Opened inside the transaction: a missing key leaves the rows unclaimed.
        return rows.sort((a, b) => a.id - b.id).map((r) => ({
          ...r,
          payload: this.#s.openValue(rememberPayloadRef(r.namespace), r.payload),
        }));
      });
    });
  }

  complete(
    namespace: string,
    id: number,
    worker: string,
    done: { result: string; decision: QueueDecisionInput },
    at: string,
  ): Promise<boolean> {
    return run(() =>
      this.#s.transaction(() => {
        const held = this.#s.prepare(
          "SELECT 1 AS ok FROM remember_queue WHERE id = ? AND namespace = ? AND claimed_by = ? " +
            "AND done_at IS NULL",
        ).get(id, needNamespace(namespace), worker);
        if (!held) return false;
        const d = done.decision;
        return markQueueRowDone(this.#s, id, done.result, {
          namespace,
          action: d.action,
          memory_id: d.memory_id ?? null,
          target_id: d.target_id ?? null,
          similarity: d.similarity ?? null,
          reason: d.reason,
          worker,
        }, at);
      })
    );
  }

  fail(
    namespace: string,
    id: number,
    worker: string,
    error: string,
    o: { permanent: boolean; maxAttempts: number },
  ): Promise<boolean> {
    return run(() =>
      this.#s.transaction(() =>
        Number(
          this.#s.prepare(
            `UPDATE remember_queue SET error = ?, claimed_at = NULL,
             attempts = CASE WHEN ? THEN max(attempts, ?) ELSE attempts END
             WHERE id = ? AND namespace = ? AND claimed_by = ? AND done_at IS NULL`,
          ).run(error, o.permanent ? 1 : 0, o.maxAttempts, id, needNamespace(namespace), worker)
            .changes,
        ) === 1
      )
    );
  }

  counts(scope: NamespaceScope, maxAttempts: number): Promise<QueueCounts> {
    return run(() => {
      const { params, ph } = placeholders();
      const max = () => ph(maxAttempts);
      const stale = () => ph(STALE_MARK);
      const r = this.#s.prepare(
        `SELECT
           coalesce(sum(done_at IS NULL AND attempts < ${max()}), 0) AS pending,
           coalesce(sum(done_at IS NOT NULL), 0) AS done,
           coalesce(sum(done_at IS NULL AND attempts >= ${max()}
             AND coalesce(claimed_by, '') <> ${stale()}), 0) AS failed,
           coalesce(sum(done_at IS NULL AND attempts >= ${max()}
             AND claimed_by = ${stale()}), 0) AS stale,
           min(CASE WHEN done_at IS NULL AND attempts < ${max()} THEN enqueued_at END) AS oldest
         FROM remember_queue WHERE ${scopeSql(scope, ph)}`,
      ).get(...params) as unknown as QueueCounts;
      return { ...r };
    });
  }

  list(
    scope: NamespaceScope,
    o: { status?: QueueStatus; maxAttempts: number; limit: number },
  ): Promise<QueueItem[]> {
    return run(() => {
      const { params, ph } = placeholders();
      const st = queueStatusSql(ph, o.maxAttempts, STALE_MARK);
      const rows = this.#s.prepare(
        `SELECT id, namespace, payload, enqueued_at, claimed_at, claimed_by, done_at, error,
           ${st.status()} AS status, ${st.attempts()} AS attempts
         FROM remember_queue WHERE ${scopeSql(scope, ph)}
           ${o.status ? `AND ${st.where(o.status)}` : ""}
         ORDER BY id DESC LIMIT ${ph(limitOf(o.limit) ?? 100)}`,
      ).all(...params) as unknown as QueueItem[];
      return rows.map((r) => ({
        ...r,
        payload: this.#s.openValue(rememberPayloadRef(r.namespace), r.payload),
      }));
    });
  }

  decisions(namespace: string, memoryIds: readonly string[]): Promise<QueueDecisionRow[]> {
    return run(() => {
      const { params, ph } = placeholders();
      const ns = ph(needNamespace(namespace));
      if (memoryIds.length === 0) return [];
      const rows = this.#s.prepare(
        `SELECT queue_id, namespace, at, action, memory_id, target_id, similarity, reason, worker
         FROM remember_decisions WHERE namespace = ${ns} AND (memory_id IN (${
          inList(memoryIds, ph, "ids")
        }) OR target_id IN (${inList(memoryIds, ph, "ids")})) ORDER BY seq`,
      ).all(...params) as unknown as QueueDecisionRow[];
      return rows.map((r) => ({ ...r }));
    });
  }
}
