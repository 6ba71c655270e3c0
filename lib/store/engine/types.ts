/**
 * The memory engine: the async seam a second database implements (issue 22). It holds the
 * memory core only, the operations lib/memory and lib/recall call most on `Store` (insert,
 * update, get, getMany, list, count, fts, changesSince, deleteByPks), made async and bound to a
 * namespace in every call. Graph edges, API keys, the remember queue and the activity log are
 * reached from it (`graph`, `keys`, `queue`, `activity`: side_types.ts); meta and episode
 * windows stay on the SQLite `Store` for now (docs/scaling.md).
 *
 * @module
 */
import type { MemoryFilter } from "../filter.ts";
import type { MemoryRecord, StoredMemory } from "../record.ts";
import type { ActivityEngine, GraphEngine, KeyEngine, QueueEngine } from "./side_types.ts";

/** A vector with the embedder that made it. */
export interface EngineVector {
  embedding: Float32Array;
  embedderId: string;
}

/**
 * One row of a batch: a new memory, or a rewrite of the memory at `pk` (its vector kept when
 * none is given).
 */
export type MemoryWrite =
  | { op: "insert"; record: MemoryRecord; vector?: EngineVector }
  | { op: "update"; pk: number; record: MemoryRecord; vector?: EngineVector };

/** A ranked hit: memory key and a score, higher is better. */
export interface EngineHit {
  pk: number;
  score: number;
}

/** A vector as stored with its memory (what a cache needs to follow the store). */
export interface EngineVectorRow {
  pk: number;
  id: string;
  namespace: string;
  status: string;
  archived: boolean;
  embedding: Float32Array | null;
  embedder_id: string | null;
}

/** What changed after a revision, within a scope (in no particular order). */
export interface EngineChanges {
  /** The revision the answer is complete up to: pass it to the next call. */
  rev: number;
  upserts: EngineVectorRow[];
  deletes: { pk: number; id: string; namespace: string }[];
}

/** Namespaces a call may see: a key's list, or every one ("*", admin scope). */
export type NamespaceScope = readonly string[] | "*";

/** Counts of one namespace. */
export interface NamespaceCounts {
  namespace: string;
  /** Every row, archived included. */
  memories: number;
  /** Not archived. */
  live: number;
  archived: number;
  /** Rows holding a vector. */
  vectors: number;
  /** Live rows per status. */
  statuses: Record<string, number>;
}

/** What an engine runs on, found when it opened (doctor, status, tests). */
export interface EngineInfo {
  engine: "sqlite" | "postgres";
  /** The database's own version (SQLite library, Postgres server). */
  version: string;
  /** The memoryoss schema version of that engine's schema line. */
  schema_version: number;
  /**
   * "blob": float32 BLOB scored in the app (SQLite); "vector": pgvector column with an HNSW
   * index per dimension; "real[]": Postgres array scored in the app.
   */
  vectors: "blob" | "vector" | "real[]";
  /** pgvector's installed version, or null. */
  pgvector: string | null;
  /** How full-text hits are ranked. */
  fts: string;
  /** Where the data is: a file path, or the server URL without its password. */
  location: string;
}

/** What {@link MemoryEngine.exclusive} did: ran `fn` (its value), or not (held elsewhere). */
export type ExclusiveResult<T> = { ran: true; value: T } | { ran: false };

/** Options of {@link MemoryEngine.watch}. */
export interface WatchOptions {
  /**
   * SQLite: how often the revision is read (ms, default 1000); it has no push. Postgres is
   * told by the server (LISTEN/NOTIFY) and ignores it.
   */
  intervalMs?: number;
}

/** A page of a listing. */
export interface ListPage {
  limit: number;
  offset?: number;
  order?: "newest" | "oldest";
}

/**
 * The memory core, async so a networked database can implement it. Every read and write is
 * bound to a namespace (a filter's `namespace`, or a scope): no call reaches across namespaces
 * it was not given. Every multi-row write is one transaction: a failing row rolls back the
 * batch.
 */
export interface MemoryEngine {
  /** Graph edges between memories of a namespace (`memory_edges`). */
  readonly graph: GraphEngine;
  /** API keys, by digest (`api_keys`). */
  readonly keys: KeyEngine;
  /** The remember queue and its decisions (`remember_queue`, `remember_decisions`). */
  readonly queue: QueueEngine;
  /** The activity log (`activity`). */
  readonly activity: ActivityEngine;
  describe(): EngineInfo;
  /**
   * Insert and update rows of `namespace` in one transaction; returns their pks in order.
   * A record of another namespace, an update of a pk outside `namespace` (NOT_FOUND), an id
   * already stored (CONFLICT) or a vector with a non-finite value fails the whole batch.
   */
  write(namespace: string, rows: MemoryWrite[]): Promise<number[]>;
  getById(namespace: string, id: string): Promise<StoredMemory | null>;
  /** Rows of `namespace` for these pks, in the order given; pks elsewhere are skipped. */
  getMany(namespace: string, pks: number[]): Promise<StoredMemory[]>;
  /** Hard-delete rows of `namespace` (tombstones kept for caches); returns rows deleted. */
  delete(namespace: string, pks: number[]): Promise<number>;
  list(filter: MemoryFilter, page?: ListPage): Promise<StoredMemory[]>;
  count(filter: MemoryFilter): Promise<number>;
  /**
   * Full-text hits for any of `terms` (each a word or a phrase of words), restricted by
   * `filter` before ranking, best first (ties by pk).
   */
  searchText(filter: MemoryFilter, terms: string[], limit: number): Promise<EngineHit[]>;
  /**
   * The `k` rows passing `filter` whose vectors (of `embedderId`, when given, and of the
   * query's dimension) are closest to `query` by cosine similarity, best first (ties by pk).
   * Every write and delete committed by any process before the call began is reflected.
   * Without pgvector the answer comes from an index this engine keeps in memory per namespace
   * (filled by the namespace's first call, then brought up to the store's revision before each
   * answer: vector_cache.ts); with pgvector from the HNSW index in SQL.
   */
  nearest(
    filter: MemoryFilter,
    query: Float32Array,
    k: number,
    opts?: { embedderId?: string },
  ): Promise<EngineHit[]>;
  /** The latest revision committed by any process. */
  currentRev(): Promise<number>;
  /** Rows written and deleted after `rev` in `scope`. */
  changesSince(scope: NamespaceScope, rev: number): Promise<EngineChanges>;
  /**
   * Follow writes of every process: `onChange(rev)` is called once with the current revision
   * when watching starts (and again after a lost connection is back), then whenever a later
   * revision commits (never with a smaller one than before). Call {@link changesSince} from
   * it. Resolves once watching, to a function that stops it. Postgres: LISTEN on its own
   * connection for the NOTIFY every write and delete sends when it commits; SQLite: a poll of
   * the revision every `intervalMs`.
   */
  watch(onChange: (rev: number) => void, opts?: WatchOptions): Promise<() => Promise<void>>;
  /**
   * Run `fn` unless a job of this `name` runs already, in this or any other process on this
   * store (drain, decay): `{ ran: false }` at once when it does, the lock released after `fn`
   * (also when it throws). Postgres: a session advisory lock; SQLite: a lease row in `meta`,
   * renewed while `fn` runs (a process that died leaves it for at most 30 s).
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<ExclusiveResult<T>>;
  /** Namespaces holding rows, in name order, within `scope`. */
  namespaces(scope: NamespaceScope): Promise<string[]>;
  counts(namespace: string): Promise<NamespaceCounts>;
  close(): Promise<void>;
}
