/**
 * The remember queue on Postgres: `remember_queue` and `remember_decisions` of the schema
 * `migrate --to` creates, every call bound to a namespace or scope. A claim picks its rows with
 * `SELECT … FOR UPDATE SKIP LOCKED` and marks them in the same statement, so concurrent workers
 * (other connections, other processes) never get the same row.
 *
 * @module
 */
import type { Sql } from "../postgres/connect.ts";
import { STALE_MARK } from "../queue_sql.ts";
import { openField, rememberPayloadRef, sealField, type StoreEncryption } from "../sealed.ts";
import { pgPlaceholders } from "./pg_graph.ts";
import { needNamespace } from "./shared.ts";
import {
  checkClaim,
  inList,
  leaseCutoff,
  limitOf,
  queueStatusSql,
  scopeSql,
} from "./side_shared.ts";
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

const C = 'COLLATE "C"';
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Run `fn` in one transaction. */
function tx<T>(sql: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin((t) => fn(t as unknown as Sql)) as Promise<T>;
}

/** {@link QueueEngine} over a Postgres schema. */
export class PgQueue implements QueueEngine {
  readonly #sql: Sql;
  readonly #enc: StoreEncryption | undefined;
  constructor(sql: Sql, enc: StoreEncryption | undefined) {
    this.#sql = sql;
    this.#enc = enc;
  }

  async enqueue(namespace: string, payloads: readonly string[], at: string): Promise<number[]> {
    needNamespace(namespace);
    if (payloads.length === 0) return [];
    const sealed = payloads.map((p) => sealField(this.#enc, rememberPayloadRef(namespace), p));
    const rows = await tx(this.#sql, (t) =>
      t.unsafe(
        `INSERT INTO remember_queue (namespace, payload, enqueued_at)
         SELECT $1, p, $3 FROM jsonb_array_elements_text($2::text::jsonb) WITH ORDINALITY AS x(p, n)
         ORDER BY n RETURNING id`,
        [namespace, JSON.stringify(sealed), at],
      ));
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  async claim(scope: NamespaceScope, o: ClaimOptions): Promise<ClaimedItem[]> {
    checkClaim(o);
    const { params, ph } = pgPlaceholders();
    const open = `done_at IS NULL AND attempts < ${ph(o.maxAttempts)} AND ` +
      `(claimed_at IS NULL OR claimed_at ${C} < ${ph(leaseCutoff(o.at, o.leaseMs))})`;
    const q = `WITH c AS (SELECT id FROM remember_queue WHERE ${open} AND ${scopeSql(scope, ph)}
        ORDER BY id LIMIT ${ph(o.limit)} FOR UPDATE SKIP LOCKED)
      UPDATE remember_queue q SET claimed_by = ${ph(o.worker)}, claimed_at = ${ph(o.at)},
        attempts = q.attempts + 1
      FROM c WHERE q.id = c.id RETURNING q.id, q.namespace, q.payload, q.attempts`;
    return await tx(this.#sql, async (t) => {
      const rows = await t.unsafe(q, params as never[]);
      // Opened inside the transaction: a missing key leaves the rows unclaimed.
      return rows.map((r) => ({
        id: Number(r.id),
        namespace: String(r.namespace),
        payload: openField(this.#enc, rememberPayloadRef(String(r.namespace)), String(r.payload)),
        attempts: Number(r.attempts),
      })).sort((a, b) => a.id - b.id);
    });
  }

  async complete(
    namespace: string,
    id: number,
    worker: string,
    done: { result: string; decision: QueueDecisionInput },
    at: string,
  ): Promise<boolean> {
    needNamespace(namespace);
    const d = done.decision;
    return await tx(this.#sql, async (t) => {
      const marked = await t.unsafe(
        `UPDATE remember_queue SET done_at = $1, result = $2, error = NULL
         WHERE id = $3 AND namespace = $4 AND claimed_by = $5 AND done_at IS NULL RETURNING 1`,
        [at, done.result, id, namespace, worker],
      );
      if (marked.length === 0) return false;
      await t.unsafe(
        `INSERT INTO remember_decisions
         (queue_id, namespace, action, memory_id, target_id, similarity, reason, worker, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          namespace,
          d.action,
          d.memory_id ?? null,
          d.target_id ?? null,
          d.similarity ?? null,
          d.reason,
          worker,
          at,
        ],
      );
      return true;
    });
  }

  async fail(
    namespace: string,
    id: number,
    worker: string,
    error: string,
    o: { permanent: boolean; maxAttempts: number },
  ): Promise<boolean> {
    const rows = await this.#sql.unsafe(
      `UPDATE remember_queue SET error = $1, claimed_at = NULL,
       attempts = CASE WHEN $2 = 1 THEN greatest(attempts, $3) ELSE attempts END
       WHERE id = $4 AND namespace = $5 AND claimed_by = $6 AND done_at IS NULL RETURNING 1`,
      [error, o.permanent ? 1 : 0, o.maxAttempts, id, needNamespace(namespace), worker],
    );
    return rows.length === 1;
  }

  async counts(scope: NamespaceScope, maxAttempts: number): Promise<QueueCounts> {
    const { params, ph } = pgPlaceholders();
    const m = ph(maxAttempts);
    const s = ph(STALE_MARK);
    const [r] = await this.#sql.unsafe(
      `SELECT
         count(*) FILTER (WHERE done_at IS NULL AND attempts < ${m})::bigint AS pending,
         count(*) FILTER (WHERE done_at IS NOT NULL)::bigint AS done,
         count(*) FILTER (WHERE done_at IS NULL AND attempts >= ${m}
           AND coalesce(claimed_by, '') <> ${s})::bigint AS failed,
         count(*) FILTER (WHERE done_at IS NULL AND attempts >= ${m}
           AND claimed_by = ${s})::bigint AS stale,
         min(CASE WHEN done_at IS NULL AND attempts < ${m} THEN enqueued_at END ${C}) AS oldest
       FROM remember_queue WHERE ${scopeSql(scope, ph)}`,
      params as never[],
    );
    return {
      pending: Number(r.pending),
      done: Number(r.done),
      failed: Number(r.failed),
      stale: Number(r.stale),
      oldest: (r.oldest as string | null) ?? null,
    };
  }

  async list(
    scope: NamespaceScope,
    o: { status?: QueueStatus; maxAttempts: number; limit: number },
  ): Promise<QueueItem[]> {
    const { params, ph } = pgPlaceholders();
    const st = queueStatusSql(ph, o.maxAttempts, STALE_MARK);
    const rows = await this.#sql.unsafe(
      `SELECT id, namespace, payload, enqueued_at, claimed_at, claimed_by, done_at, error,
         ${st.status()} AS status, ${st.attempts()} AS attempts
       FROM remember_queue WHERE ${scopeSql(scope, ph)}
         ${o.status ? `AND ${st.where(o.status)}` : ""}
       ORDER BY id DESC LIMIT ${ph(limitOf(o.limit) ?? 100)}`,
      params as never[],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      namespace: String(r.namespace),
      payload: openField(this.#enc, rememberPayloadRef(String(r.namespace)), String(r.payload)),
      attempts: Number(r.attempts),
      enqueued_at: String(r.enqueued_at),
      claimed_at: text(r.claimed_at),
      claimed_by: text(r.claimed_by),
      done_at: text(r.done_at),
      error: text(r.error),
      status: r.status as QueueStatus,
    }));
  }

  async decisions(namespace: string, memoryIds: readonly string[]): Promise<QueueDecisionRow[]> {
    const { params, ph } = pgPlaceholders();
    const ns = ph(needNamespace(namespace));
    if (memoryIds.length === 0) return [];
    const rows = await this.#sql.unsafe(
      `SELECT queue_id, namespace, at, action, memory_id, target_id, similarity, reason, worker
       FROM remember_decisions WHERE namespace = ${ns} AND (memory_id IN (${
        inList(memoryIds, ph, "ids")
      }) OR target_id IN (${inList(memoryIds, ph, "ids")})) ORDER BY seq`,
      params as never[],
    );
    return rows.map((r) => ({
      queue_id: Number(r.queue_id),
      namespace: String(r.namespace),
      at: String(r.at),
      action: String(r.action),
      memory_id: text(r.memory_id),
      target_id: text(r.target_id),
      similarity: r.similarity === null ? null : Number(r.similarity),
      reason: String(r.reason),
      worker: String(r.worker),
    }));
  }
}
