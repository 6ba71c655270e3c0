/**
 * `nearest` for engines that score vectors in the app (SQLite; Postgres without pgvector): an
 * index per namespace held in this process (vector_rows.ts), filled on first use and kept
 * current with the store, so a call no longer reads every vector of the namespace.
 *
 * Never stale: before answering, every call brings its namespace up to the store's revision
 * (`changesSince`, which reads only the revision when nothing changed), so a write committed by
 * any process before the call began is in the answer and a deleted row never is. A notification
 * cannot promise that on its own (Postgres delivers NOTIFY after the commit, asynchronously; a
 * caller told "written" by another server may ask first). `watch` (LISTEN/NOTIFY on Postgres, a
 * revision poll on SQLite) catches up between calls, so a call seldom finds work left.
 *
 * Catch-ups run one at a time; a call arriving while one is queued and not yet started joins it
 * (it starts after the call arrived, so it covers the call).
 *
 * @module
 */
import { type MemoryFilter, needsRowLookup } from "../filter.ts";
import type { EngineChanges, EngineHit, NamespaceScope } from "./types.ts";
import { type IndexRow, NamespaceIndex } from "./vector_rows.ts";

/** What the cache reads from its engine. */
export interface VectorSource {
  currentRev(): Promise<number>;
  changesSince(scope: NamespaceScope, rev: number): Promise<EngineChanges>;
  /**
   * Every row of `namespace` holding a vector (every status, archived ones too), to `each` in
   * batches of about `batch` rows.
   */
  vectorPages(
    namespace: string,
    batch: number,
    each: (rows: IndexRow[]) => void,
  ): Promise<void>;
  /** Pks of the rows passing `filter` (for what the index does not hold: tags, agent, ids…). */
  filterPks(filter: MemoryFilter): Promise<number[]>;
  watch(onChange: (rev: number) => void): Promise<() => Promise<void>>;
}

/** Rows read per batch while filling a namespace. */
const FILL_BATCH = 2000;

/** Per-namespace vector indexes following one store. */
export class VectorCache {
  readonly #src: VectorSource;
  readonly #spaces = new Map<string, NamespaceIndex>();
  readonly #queued = new Map<string, Promise<NamespaceIndex>>();
  #chain: Promise<unknown> = Promise.resolve();
  #watch: Promise<(() => Promise<void>) | null> | null = null;
  #closed = false;

  constructor(src: VectorSource) {
    this.#src = src;
  }

  /** The `k` rows passing `filter` closest to `query` (see {@link MemoryEngine.nearest}). */
  async nearest(
    filter: MemoryFilter,
    query: Float32Array,
    k: number,
    embedderId?: string,
  ): Promise<EngineHit[]> {
    const idx = await this.#fresh(filter.namespace);
    const allow = needsRowLookup(filter) ? new Set(await this.#src.filterPks(filter)) : undefined;
    return idx.search(query, k, {
      archived: filter.archived ?? "exclude",
      statuses: filter.statuses,
      embedderId,
      allow,
    });
  }

  /** Stop following the store and drop every index. */
  async close(): Promise<void> {
    this.#closed = true;
    const stop = await this.#watch?.catch(() => null);
    this.#watch = null;
    this.#spaces.clear();
    await this.#chain;
    await stop?.();
  }

  /** `namespace`'s index, current as of a revision read after this call began. */
  #fresh(ns: string): Promise<NamespaceIndex> {
    const queued = this.#queued.get(ns);
    if (queued) return queued;
    const run = this.#chain.then(() => {
      this.#queued.delete(ns);
      return this.#sync(ns);
    });
    this.#queued.set(ns, run);
    this.#chain = run.catch(() => {});
    return run;
  }

  async #sync(ns: string): Promise<NamespaceIndex> {
    const idx = this.#spaces.get(ns);
    if (idx && await this.#catchUp(ns, idx)) return idx;
    const filled = await this.#fill(ns);
    if (!this.#closed) {
      this.#spaces.set(ns, filled);
      this.#follow();
    }
    return filled;
  }

  /**
   * Apply what changed since the index's revision; false when the store went back in time (a
   * restore), so the index must be filled again.
   */
  async #catchUp(ns: string, idx: NamespaceIndex): Promise<boolean> {
    const ch = await this.#src.changesSince([ns], idx.rev);
    if (ch.rev < idx.rev) return false;
    for (const d of ch.deletes) idx.remove(d.pk);
    for (const u of ch.upserts) idx.upsert(u);
    idx.rev = ch.rev;
    return true;
  }

  /** Every vector of `ns` in batches, then what committed meanwhile. */
  async #fill(ns: string): Promise<NamespaceIndex> {
    const idx = new NamespaceIndex(await this.#src.currentRev());
    await this.#src.vectorPages(ns, FILL_BATCH, (rows) => {
      for (const r of rows) idx.upsert(r);
    });
    // Rows written or deleted while they were read come again, as of now.
    await this.#catchUp(ns, idx);
    return idx;
  }

  /** Start watching the store once: each later revision brings the indexes up to it. */
  #follow(): void {
    if (this.#watch) return;
    this.#watch = this.#src.watch((rev) => {
      for (const [ns, idx] of this.#spaces) {
        if (rev > idx.rev && !this.#closed) this.#fresh(ns).catch(() => {});
      }
    }).catch(() => null); // no watch: every call still catches up before answering
  }
}
