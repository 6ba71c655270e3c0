/**
 * API keys and the activity log on Postgres: the tables `migrate --to` creates
 * (lib/store/postgres/schema.ts, same columns as SQLite), every call bound to a namespace or
 * scope, multi-row writes in one transaction. The queue is pg_queue.ts.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { ActivityEvent } from "../activity_sql.ts";
import type { ApiKeyRow } from "../keys_sql.ts";
import type { Sql } from "../postgres/connect.ts";
import { pgPlaceholders } from "./pg_graph.ts";
import {
  activityWhere,
  checkEvents,
  checkKeyRow,
  keyInScope,
  limitOf,
  needDigest,
} from "./side_shared.ts";
import type { ActivityEngine, ActivityInput, ActivityQuery, KeyEngine } from "./side_types.ts";
import type { NamespaceScope } from "./types.ts";

const KEY_COLS =
  "key_id, hash, role, namespaces, label, created_at, expires_at, revoked_at, rotated_to, last_used_at";
const C = 'COLLATE "C"';

type Row = Record<string, unknown>;
const keyRow = (r: Row): ApiKeyRow => ({ ...r }) as unknown as ApiKeyRow;

/** Run `fn` in one transaction. */
function tx<T>(sql: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin((t) => fn(t as unknown as Sql)) as Promise<T>;
}

/** {@link KeyEngine} over a Postgres schema. */
export class PgKeys implements KeyEngine {
  readonly #sql: Sql;
  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async create(row: ApiKeyRow, o: { onlyIfNone?: boolean } = {}): Promise<boolean> {
    const r = checkKeyRow(row);
    return await tx(this.#sql, async (t) => {
      if (o.onlyIfNone) {
        // Two first keys at once: the table lock makes the second see the first.
        await t.unsafe("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE");
        if (await liveKeys(t) > 0) return false;
      }
      const got = await t.unsafe(
        `INSERT INTO api_keys (${KEY_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT DO NOTHING RETURNING key_id`,
        [
          r.key_id,
          r.hash,
          r.role,
          r.namespaces,
          r.label,
          r.created_at,
          r.expires_at,
          r.revoked_at,
          r.rotated_to,
          r.last_used_at,
        ],
      );
      if (got.length === 0) throw new MemoryossError("CONFLICT", `key ${r.key_id} exists already`);
      return true;
    });
  }

  async byHash(hash: string): Promise<ApiKeyRow | null> {
    const [r] = await this.#sql.unsafe(
      `SELECT ${KEY_COLS} FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`,
      [needDigest(hash)],
    );
    return r ? keyRow(r) : null;
  }

  async get(keyId: string): Promise<ApiKeyRow | null> {
    const [r] = await this.#sql.unsafe(`SELECT ${KEY_COLS} FROM api_keys WHERE key_id = $1`, [
      keyId,
    ]);
    return r ? keyRow(r) : null;
  }

  async list(scope: NamespaceScope): Promise<ApiKeyRow[]> {
    const rows = await this.#sql.unsafe(
      `SELECT ${KEY_COLS} FROM api_keys ORDER BY created_at ${C} DESC, key_id ${C}`,
    );
    return rows.map(keyRow).filter((r) => keyInScope(r, scope));
  }

  async revoke(keyId: string, at: string): Promise<boolean> {
    const rows = await this.#sql.unsafe(
      "UPDATE api_keys SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL RETURNING 1",
      [at, keyId],
    );
    return rows.length > 0;
  }

  async rotate(keyId: string, rotatedTo: string, expiresAt: string): Promise<boolean> {
    const rows = await this.#sql.unsafe(
      "UPDATE api_keys SET rotated_to = $1, expires_at = $2 WHERE key_id = $3 RETURNING 1",
      [rotatedTo, expiresAt, keyId],
    );
    return rows.length > 0;
  }

  async touch(keyId: string, at: string): Promise<void> {
    await this.#sql.unsafe("UPDATE api_keys SET last_used_at = $1 WHERE key_id = $2", [at, keyId]);
  }

  async countLive(): Promise<number> {
    return await liveKeys(this.#sql);
  }
}

async function liveKeys(sql: Sql): Promise<number> {
  const [r] = await sql.unsafe(
    "SELECT count(*)::bigint AS n FROM api_keys WHERE revoked_at IS NULL",
  );
  return Number(r.n);
}

/** {@link ActivityEngine} over a Postgres schema. */
export class PgActivity implements ActivityEngine {
  readonly #sql: Sql;
  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async append(namespace: string, events: readonly ActivityInput[]): Promise<number[]> {
    checkEvents(namespace, events);
    if (events.length === 0) return [];
    const rows = events.map((e) => ({
      at: e.at,
      kind: e.kind,
      memory_id: e.memory_id ?? null,
      actor: e.actor ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    }));
    const got = await tx(this.#sql, (t) =>
      t.unsafe(
        `INSERT INTO activity (at, namespace, kind, memory_id, actor, detail)
         SELECT at, $1, kind, memory_id, actor, detail FROM ROWS FROM (jsonb_to_recordset(
           $2::text::jsonb) AS (at text, kind text, memory_id text, actor text, detail text))
           WITH ORDINALITY AS x(at, kind, memory_id, actor, detail, n)
         ORDER BY n RETURNING seq`,
        [namespace, JSON.stringify(rows)],
      ));
    return got.map((r) => Number(r.seq)).sort((a, b) => a - b);
  }

  async list(scope: NamespaceScope, q: ActivityQuery): Promise<ActivityEvent[]> {
    const { params, ph } = pgPlaceholders();
    const w = activityWhere(scope, q, ph, ` ${C}`);
    const rows = await this.#sql.unsafe(
      `SELECT seq, at, namespace, kind, memory_id, actor, detail FROM activity WHERE ${w}
       ORDER BY at ${C} DESC, seq DESC LIMIT ${ph(limitOf(q.limit) ?? 100)}`,
      params as never[],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: String(r.at),
      namespace: String(r.namespace),
      kind: String(r.kind),
      memory_id: (r.memory_id as string | null) ?? null,
      actor: (r.actor as string | null) ?? null,
      detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
    }));
  }
}
