/**
 * The engine's parts beside the memory core (issue 22, item 1): graph edges, API keys, the
 * remember queue with its decisions, and the activity log, reached from a {@link MemoryEngine}
 * as `engine.graph`, `engine.keys`, `engine.queue` and `engine.activity`. Both engines keep
 * them in the tables the synchronous `Store` uses (`memory_edges`, `api_keys`,
 * `remember_queue`/`remember_decisions`, `activity`), with the same columns, so a home written
 * by one is read by the other.
 *
 * @module
 */
import type { ActivityEvent } from "../activity_sql.ts";
import type { Edge, EdgeKind, EdgeOrigin } from "../graph_sql.ts";
import type { ApiKeyRow } from "../keys_sql.ts";
import type { QueueListRow } from "../queue_sql.ts";
import type { NamespaceScope } from "./types.ts";

/** Which edges of a namespace a delete removes: every given condition must hold. */
export interface EdgeSelector {
  /** Edges between these two memories, either direction. */
  between?: readonly [string, string];
  /** Edges with either end among these memory ids. */
  touching?: readonly string[];
  kinds?: readonly EdgeKind[];
  origin?: EdgeOrigin;
}

/** Typed, weighted links between memories of one namespace (`memory_edges`). */
export interface GraphEngine {
  /**
   * Upsert edges of `namespace` in one transaction, in order (as `upsertEdges`): an automatic
   * edge never replaces a manual one, self-links are skipped, weights are kept to 4 decimals,
   * `detail` is sealed like memory content. Every edge must be of `namespace`
   * (FORBIDDEN_NAMESPACE) and join two memories stored there (NOT_FOUND); else nothing is
   * written.
   */
  add(namespace: string, edges: readonly Edge[]): Promise<void>;
  /** Edges of `namespace` (optionally some kinds / one origin), by src, dst, kind. */
  list(
    namespace: string,
    opts?: { kinds?: readonly EdgeKind[]; origin?: EdgeOrigin; limit?: number },
  ): Promise<Edge[]>;
  /** Edges of `namespace` touching any of `ids`, strongest first (ties by src, dst, kind). */
  neighbours(
    namespace: string,
    ids: readonly string[],
    opts?: { kinds?: readonly EdgeKind[]; limit?: number },
  ): Promise<Edge[]>;
  /** Remove the selected edges of `namespace` (an empty selector is refused); returns how many. */
  delete(namespace: string, sel: EdgeSelector): Promise<number>;
  /** Edges of `namespace` per kind. */
  counts(namespace: string): Promise<Record<EdgeKind, number>>;
}

/**
 * API keys (`api_keys`): rows hold the SHA-256 digest of the secret (64 lower-case hex), never
 * the secret; `key_id` is the digest's first 16 characters. A call given anything else than a
 * digest (a raw `ek_…` key, say) is refused without echoing it.
 */
export interface KeyEngine {
  /** Store a key row; with `onlyIfNone`, only when no live key exists (same transaction). */
  create(row: ApiKeyRow, opts?: { onlyIfNone?: boolean }): Promise<boolean>;
  /** The key, not revoked, whose digest is `hash` (expiry is the caller's rule), or null. */
  byHash(hash: string): Promise<ApiKeyRow | null>;
  get(keyId: string): Promise<ApiKeyRow | null>;
  /** Keys whose namespaces lie inside `scope` (a `"*"` key only in `"*"`), newest first. */
  list(scope: NamespaceScope): Promise<ApiKeyRow[]>;
  /** Mark revoked at `at`; false when there is no such key or it was revoked already. */
  revoke(keyId: string, at: string): Promise<boolean>;
  /** Record the replacement and the old key's new end of life; false for an unknown key. */
  rotate(keyId: string, rotatedTo: string, expiresAt: string): Promise<boolean>;
  /** Record a use. */
  touch(keyId: string, at: string): Promise<void>;
  /** Keys not revoked. */
  countLive(): Promise<number>;
}

/** A row handed to a worker by {@link QueueEngine.claim}: its payload opened. */
export interface ClaimedItem {
  id: number;
  namespace: string;
  /** The queued JSON text, unsealed. */
  payload: string;
  /** Tries including this one. */
  attempts: number;
}

/** What the drain decided for a row (`remember_decisions`). */
export interface QueueDecisionInput {
  action: string;
  memory_id?: string | null;
  target_id?: string | null;
  similarity?: number | null;
  reason: string;
}

/** Queue counts within a scope (as `queueCounts`, zeros instead of nulls). */
export interface QueueCounts {
  pending: number;
  done: number;
  failed: number;
  stale: number;
  /** Enqueue time of the oldest pending row. */
  oldest: string | null;
}

/** A queue row's state, as `scheduler queue` shows it. */
export type QueueStatus = QueueListRow["status"];

/** A queue row as listed: its payload opened, its status derived (`attempts`: 0 for a stale row). */
export type QueueItem = QueueListRow;

/** A recorded decision (`remember_decisions`). */
export interface QueueDecisionRow {
  queue_id: number;
  namespace: string;
  at: string;
  action: string;
  memory_id: string | null;
  target_id: string | null;
  similarity: number | null;
  reason: string;
  worker: string;
}

/** Options of {@link QueueEngine.claim}. */
export interface ClaimOptions {
  worker: string;
  /** Now, ISO 8601 (claims and leases are compared as the stored text). */
  at: string;
  limit: number;
  /** Rows with this many tries are failed, never claimed. */
  maxAttempts: number;
  /** A claim older than this (ms, default 300000) is taken to be a dead worker's. */
  leaseMs?: number;
}

/**
 * The remember queue. Rows are claimed, not just read: a claim counts a try and holds the row
 * for `leaseMs`, so two workers (in one process or many) never get the same row;
 * `complete`/`fail` are accepted only from the worker holding it.
 */
export interface QueueEngine {
  /** Append facts (JSON text, sealed like memory content) in one transaction; their ids. */
  enqueue(namespace: string, payloads: readonly string[], at: string): Promise<number[]>;
  /**
   * Up to `limit` open rows of `scope` (not done, fewer tries than `maxAttempts`, not held
   * by a live claim), oldest first. Postgres: `FOR UPDATE SKIP LOCKED`; SQLite: one
   * IMMEDIATE transaction.
   */
  claim(scope: NamespaceScope, o: ClaimOptions): Promise<ClaimedItem[]>;
  /**
   * Mark row `id` of `namespace`, held by `worker`, done with its result and record the
   * decision, in one transaction. False, writing nothing, when it is done or not held.
   */
  complete(
    namespace: string,
    id: number,
    worker: string,
    done: { result: string; decision: QueueDecisionInput },
    at: string,
  ): Promise<boolean>;
  /**
   * Record `error` on row `id` held by `worker` and release it for a later claim; a
   * `permanent` failure raises its tries to `maxAttempts` so it is never claimed again.
   */
  fail(
    namespace: string,
    id: number,
    worker: string,
    error: string,
    o: { permanent: boolean; maxAttempts: number },
  ): Promise<boolean>;
  counts(scope: NamespaceScope, maxAttempts: number): Promise<QueueCounts>;
  /** Rows of `scope`, newest first: all, or those of one status; at most `limit`. */
  list(
    scope: NamespaceScope,
    o: { status?: QueueStatus; maxAttempts: number; limit: number },
  ): Promise<QueueItem[]>;
  /** Decisions of `namespace` that wrote or targeted any of `memoryIds`, oldest first. */
  decisions(namespace: string, memoryIds: readonly string[]): Promise<QueueDecisionRow[]>;
}

/** An event to log (its namespace is the call's). */
export type ActivityInput = Omit<ActivityEvent, "seq" | "namespace">;

/** Options of {@link ActivityEngine.list}. */
export interface ActivityQuery {
  limit: number;
  /** Events at or after this time (ISO 8601). */
  since?: string;
  /** Events before this time. */
  until?: string;
  kinds?: readonly string[];
}

/** The activity log (`activity`): ids and counts, never memory content. */
export interface ActivityEngine {
  /** Append events of `namespace` in one transaction; their `seq`s in order. */
  append(namespace: string, events: readonly ActivityInput[]): Promise<number[]>;
  /** Events of `scope`, newest first by `at` (then `seq`). */
  list(scope: NamespaceScope, q: ActivityQuery): Promise<ActivityEvent[]>;
}
