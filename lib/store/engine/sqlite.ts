/**
 * The SQLite engine: today's `Store` behind the async {@link MemoryEngine} interface, with no
 * change to what it writes. Calls run synchronously inside the returned promises.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { MemoryFilter } from "../filter.ts";
import type { StoredMemory } from "../record.ts";
import { currentVersion } from "../schema.ts";
import { Store, type StoreOptions } from "../store.ts";
import { vectorsByPk } from "../vectors.ts";
import { VectorCache, type VectorSource } from "./vector_cache.ts";
import {
  checkBatch,
  checkedFilter,
  checkScope,
  inScope,
  needNamespace,
  queryDim,
  searchTerms,
  tally,
} from "./shared.ts";
import { sqliteExclusive, sqliteWatch } from "./sqlite_jobs.ts";
import { SqliteGraph } from "./sqlite_graph.ts";
import { SqliteActivity, SqliteKeys } from "./sqlite_side.ts";
import { SqliteQueue } from "./sqlite_queue.ts";
import type {
  EngineChanges,
  EngineHit,
  EngineInfo,
  ExclusiveResult,
  ListPage,
  MemoryEngine,
  MemoryWrite,
  NamespaceCounts,
  NamespaceScope,
  WatchOptions,
} from "./types.ts";

/** An FTS5 phrase: quoted, so operators and punctuation in the term are inert. */
function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/**
 * {@link MemoryEngine} over a SQLite {@link Store}.
 *
 * @example
 * ```ts
 * const engine = SqliteEngine.open("/tmp/home/memoryoss.db");
 * const [pk] = await engine.write("demo", [{ op: "insert", record }]);
 * await engine.close();
 * ```
 */
export class SqliteEngine implements MemoryEngine {
  readonly store: Store;
  readonly graph: SqliteGraph;
  readonly keys: SqliteKeys;
  readonly queue: SqliteQueue;
  readonly activity: SqliteActivity;
  #owned: boolean;
  readonly #watches = new Set<() => Promise<void>>();
  readonly #vectors: VectorCache;

  /** Wrap an open store (closing the engine leaves it open). */
  constructor(store: Store, owned = false) {
    this.store = store;
    this.#owned = owned;
    this.graph = new SqliteGraph(store);
    this.keys = new SqliteKeys(store);
    this.queue = new SqliteQueue(store);
    this.activity = new SqliteActivity(store);
    this.#vectors = new VectorCache(this.#source());
  }

  /** Open (creating and migrating when needed) the database at `path`. */
  static open(path: string, opts: StoreOptions = {}): SqliteEngine {
    return new SqliteEngine(Store.open(path, opts), true);
  }

  describe(): EngineInfo {
    const v = this.store.prepare("SELECT sqlite_version() AS v").get() as { v: string };
    return {
      engine: "sqlite",
      version: v.v,
      schema_version: currentVersion(this.store.db),
      vectors: "blob",
      pgvector: null,
      fts: "FTS5 bm25 (content 1.0, tags 0.5), porter unicode61",
      location: this.store.path,
    };
  }

  write(namespace: string, rows: MemoryWrite[]): Promise<number[]> {
    return run(() => {
      checkBatch(namespace, rows);
      const owner = this.store.prepare("SELECT namespace FROM memories WHERE pk = ?");
      return this.store.transaction(() =>
        rows.map((w) => {
          if (w.op === "insert") return this.#insert(w);
          const row = owner.get(w.pk) as { namespace: string } | undefined;
          if (row?.namespace !== namespace) {
            throw new MemoryossError("NOT_FOUND", `no memory pk ${w.pk} in ${namespace}`);
          }
          this.store.update(w.pk, w.record, w.vector);
          return w.pk;
        })
      );
    });
  }

  #insert(w: Extract<MemoryWrite, { op: "insert" }>): number {
    try {
      return this.store.insert(w.record, w.vector);
    } catch (e) {
      if (/UNIQUE constraint failed: memories\.id/.test((e as Error).message)) {
        throw new MemoryossError("CONFLICT", `memory ${w.record.id} already exists`);
      }
      throw e;
    }
  }

  getById(namespace: string, id: string): Promise<StoredMemory | null> {
    return run(() => {
      const m = this.store.getById(id);
      return m && m.record.namespace === needNamespace(namespace) ? m : null;
    });
  }

  getMany(namespace: string, pks: number[]): Promise<StoredMemory[]> {
    return run(() => {
      needNamespace(namespace);
      return this.store.getMany(pks).filter((m) => m.record.namespace === namespace);
    });
  }

  delete(namespace: string, pks: number[]): Promise<number> {
    return run(() => {
      needNamespace(namespace);
      return this.store.transaction(() => {
        const mine = this.store.getMany(pks).filter((m) => m.record.namespace === namespace);
        return this.store.deleteByPks(mine.map((m) => m.pk));
      });
    });
  }

  list(filter: MemoryFilter, page?: ListPage): Promise<StoredMemory[]> {
    return run(() => this.store.list(checkedFilter(filter), page));
  }

  count(filter: MemoryFilter): Promise<number> {
    return run(() => this.store.count(checkedFilter(filter)));
  }

  searchText(filter: MemoryFilter, terms: string[], limit: number): Promise<EngineHit[]> {
    return run(() => {
      const t = searchTerms(terms);
      if (t.length === 0 || limit <= 0) return [];
      return this.store.fts(t.map(ftsPhrase).join(" OR "), checkedFilter(filter), limit);
    });
  }

  /** From this process's index of the namespace, brought up to the store's revision first. */
  nearest(
    filter: MemoryFilter,
    query: Float32Array,
    k: number,
    opts: { embedderId?: string } = {},
  ): Promise<EngineHit[]> {
    try {
      queryDim(query);
      if (k <= 0) return Promise.resolve([]);
      return this.#vectors.nearest(checkedFilter(filter), query, k, opts.embedderId);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** What the vector index reads: pages of a namespace's vectors, a filter's pks. */
  #source(): VectorSource {
    return {
      currentRev: () => this.currentRev(),
      changesSince: (scope, rev) => this.changesSince(scope, rev),
      watch: (onChange) => this.watch(onChange),
      filterPks: (f) => run(() => this.store.pks(f)),
      vectorPages: (ns, batch, each) =>
        run(() => {
          // Key order by rowid (NOT INDEXED: no namespace index and sort per page), from
          // where the last page ended: one pass over the table in all.
          const page = this.store.prepare(
            "SELECT pk FROM memories NOT INDEXED WHERE pk > ? AND namespace = ? " +
              "AND embedding IS NOT NULL ORDER BY pk LIMIT ?",
          );
          for (let after = 0;;) {
            const pks = (page.all(after, ns, batch) as { pk: number }[]).map((r) => r.pk);
            for (let i = 0; i < pks.length; i += 500) {
              each(vectorsByPk(this.store, pks.slice(i, i + 500)));
            }
            if (pks.length < batch) return;
            after = pks[pks.length - 1];
          }
        }),
    };
  }

  currentRev(): Promise<number> {
    return run(() => this.store.currentRev());
  }

  changesSince(scope: NamespaceScope, rev: number): Promise<EngineChanges> {
    return run(() => {
      checkScope(scope);
      // The store's own reading of vectors (their on-disk format is the store's business).
      const ch = this.store.changesSince(rev);
      if (ch.rev === rev) return { rev, upserts: [], deletes: [] };
      const mine = ch.upserts.filter((u) => inScope(scope, u.namespace));
      const ids = this.#ids(mine.map((u) => u.pk));
      const dels = this.store.prepare(
        "SELECT pk, id, namespace FROM tombstones WHERE rev > ? AND rev <= ? ORDER BY rev",
      ).all(rev, ch.rev) as { pk: number; id: string; namespace: string }[];
      return {
        rev: ch.rev,
        upserts: mine.flatMap((u) => {
          const id = ids.get(u.pk);
          return id === undefined ? [] : [{ ...u, id }];
        }),
        deletes: dels.filter((d) => inScope(scope, d.namespace))
          .map((d) => ({ pk: d.pk, id: d.id, namespace: d.namespace })),
      };
    });
  }

  /** Ids of these pks (without reading the rows' other columns). */
  #ids(pks: number[]): Map<number, string> {
    const out = new Map<number, string>();
    for (let i = 0; i < pks.length; i += 500) {
      const chunk = pks.slice(i, i + 500);
      const rows = this.store.prepare(
        `SELECT pk, id FROM memories WHERE pk IN (${chunk.map(() => "?").join(",")})`,
      ).all(...chunk) as { pk: number; id: string }[];
      for (const r of rows) out.set(r.pk, r.id);
    }
    return out;
  }

  /** A poll of the revision every `intervalMs` (default 1000); stopped by close() too. */
  watch(onChange: (rev: number) => void, opts: WatchOptions = {}): Promise<() => Promise<void>> {
    return run(() => {
      const stop = sqliteWatch(this.store, onChange, opts.intervalMs);
      const wrapped = () => (this.#watches.delete(wrapped), stop());
      this.#watches.add(wrapped);
      return wrapped;
    });
  }

  /** A lease row `job:<name>` in `meta`, renewed while `fn` runs (sqlite_jobs.ts). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<ExclusiveResult<T>> {
    return sqliteExclusive(this.store, name, fn);
  }

  namespaces(scope: NamespaceScope): Promise<string[]> {
    return run(() => {
      checkScope(scope);
      const rows = this.store.prepare(
        "SELECT DISTINCT namespace FROM memories ORDER BY namespace",
      ).all() as { namespace: string }[];
      return rows.map((r) => r.namespace).filter((n) => inScope(scope, n));
    });
  }

  counts(namespace: string): Promise<NamespaceCounts> {
    return run(() => {
      const rows = this.store.prepare(
        "SELECT archived, status, count(*) AS n, count(embedding) AS v FROM memories " +
          "WHERE namespace = ? GROUP BY archived, status",
      ).all(needNamespace(namespace)) as {
        archived: number;
        status: string;
        n: number;
        v: number;
      }[];
      return tally(namespace, rows.map((r) => ({ ...r, archived: r.archived === 1 })));
    });
  }

  async close(): Promise<void> {
    await this.#vectors.close();
    for (const stop of [...this.#watches]) await stop();
    if (this.#owned) this.store.close();
  }
}

/** A synchronous call as a promise (its throw becomes a rejection). */
function run<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}
