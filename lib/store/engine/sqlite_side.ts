/**
 * API keys and the activity log on SQLite: the tables and columns of the synchronous store
 * (keys_sql.ts does the key writes), every call bound to a namespace or scope, multi-row writes
 * in one IMMEDIATE transaction. The queue is sqlite_queue.ts.
 *
 * @module
 */
import type { SQLInputValue } from "node:sqlite";
import { MemoryossError } from "../../errors/mod.ts";
import type { ActivityEvent } from "../activity_sql.ts";
import {
  type ApiKeyRow,
  apiKeyRow,
  apiKeyRows,
  countLiveApiKeys,
  insertApiKey,
  markApiKeyRevoked,
  markApiKeyRotated,
  markApiKeyUsed,
} from "../keys_sql.ts";
import type { Store } from "../store.ts";
import {
  activityWhere,
  checkEvents,
  checkKeyRow,
  keyInScope,
  limitOf,
  needDigest,
  type Ph,
} from "./side_shared.ts";
import { run } from "./sqlite_graph.ts";
import type { ActivityEngine, ActivityInput, ActivityQuery, KeyEngine } from "./side_types.ts";
import type { NamespaceScope } from "./types.ts";

function placeholders(): { params: SQLInputValue[]; ph: Ph } {
  const params: SQLInputValue[] = [];
  return { params, ph: (v) => (params.push(v), "?") };
}

/** A row as a plain object (node:sqlite's rows have no prototype), or null. */
function plain<T extends object>(r: T | undefined): T | null {
  return r ? { ...r } : null;
}

const KEY_COLS =
  "key_id, hash, role, namespaces, label, created_at, expires_at, revoked_at, rotated_to, last_used_at";

/** {@link KeyEngine} over a SQLite store. */
export class SqliteKeys implements KeyEngine {
  readonly #s: Store;
  constructor(store: Store) {
    this.#s = store;
  }

  create(row: ApiKeyRow, o: { onlyIfNone?: boolean } = {}): Promise<boolean> {
    return run(() => {
      try {
        return insertApiKey(this.#s, checkKeyRow(row), o.onlyIfNone);
      } catch (e) {
        if (/UNIQUE constraint failed: api_keys/.test((e as Error).message)) {
          throw new MemoryossError("CONFLICT", `key ${row.key_id} exists already`);
        }
        throw e;
      }
    });
  }

  byHash(hash: string): Promise<ApiKeyRow | null> {
    return run(() =>
      plain(
        this.#s.prepare(
          `SELECT ${KEY_COLS} FROM api_keys WHERE hash = ? AND revoked_at IS NULL`,
        ).get(needDigest(hash)) as ApiKeyRow | undefined,
      )
    );
  }

  get(keyId: string): Promise<ApiKeyRow | null> {
    return run(() => plain(apiKeyRow(this.#s, keyId)));
  }

  list(scope: NamespaceScope): Promise<ApiKeyRow[]> {
    return run(() =>
      apiKeyRows(this.#s).filter((r) => keyInScope(r, scope)).map((r) => ({ ...r }))
    );
  }

  revoke(keyId: string, at: string): Promise<boolean> {
    return run(() => markApiKeyRevoked(this.#s, keyId, at));
  }

  rotate(keyId: string, rotatedTo: string, expiresAt: string): Promise<boolean> {
    return run(() =>
      this.#s.transaction(() => {
        if (!apiKeyRow(this.#s, keyId)) return false;
        markApiKeyRotated(this.#s, keyId, rotatedTo, expiresAt);
        return true;
      })
    );
  }

  touch(keyId: string, at: string): Promise<void> {
    return run(() => markApiKeyUsed(this.#s, keyId, at));
  }

  countLive(): Promise<number> {
    return run(() => countLiveApiKeys(this.#s));
  }
}

/** {@link ActivityEngine} over a SQLite store. */
export class SqliteActivity implements ActivityEngine {
  readonly #s: Store;
  constructor(store: Store) {
    this.#s = store;
  }

  append(namespace: string, events: readonly ActivityInput[]): Promise<number[]> {
    return run(() => {
      checkEvents(namespace, events);
      const ins = this.#s.prepare(
        "INSERT INTO activity (at, namespace, kind, memory_id, actor, detail) " +
          "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
      );
      return this.#s.transaction(() =>
        events.map((e) =>
          (ins.get(
            e.at,
            namespace,
            e.kind,
            e.memory_id ?? null,
            e.actor ?? null,
            JSON.stringify(e.detail ?? {}),
          ) as { seq: number }).seq
        )
      );
    });
  }

  list(scope: NamespaceScope, q: ActivityQuery): Promise<ActivityEvent[]> {
    return run(() => {
      const { params, ph } = placeholders();
      const w = activityWhere(scope, q, ph);
      const rows = this.#s.prepare(
        `SELECT seq, at, namespace, kind, memory_id, actor, detail FROM activity WHERE ${w}
         ORDER BY at DESC, seq DESC LIMIT ${ph(limitOf(q.limit) ?? 100)}`,
      ).all(...params) as unknown as (Omit<ActivityEvent, "detail"> & { detail: string })[];
      return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    });
  }
}
