/**
 * The runtime every surface opens: config, store, embedder and a vector index kept in step
 * with the store (other processes may write at any time; the index catches up by revision).
 */
import type { Config, LoadedConfig } from "../config/mod.ts";
import { createEmbedder, type Embedder } from "../embed/mod.ts";
import { encryptionFromConfig, statusBit, Store, type StoredVector } from "../store/mod.ts";
import { BruteForceIndex, TermStats } from "../recall/mod.ts";
import { firstLoad, snapshotKey } from "./vector_snapshot.ts";

/** An open runtime. Close it to release the database. */
export interface Runtime {
  readonly loaded: LoadedConfig;
  readonly config: Config;
  readonly store: Store;
  readonly embedder: Embedder;
  readonly index: BruteForceIndex;
  readonly stats: TermStats;
  /** Bring the vector index up to the latest committed revision. */
  syncIndex(): void;
  /**
   * {@link syncIndex} when the index has been loaded (a long-lived process that searches);
   * otherwise nothing, so a one-shot write does not read every vector of the home.
   */
  syncLoadedIndex(): void;
  /**
   * The usable vectors of these memories (what the index holds for them), read from the
   * store: the few neighbours a write compares against, without loading the index.
   */
  vectorsOf(pks: number[]): Map<number, Float32Array>;
  /**
   * Load the vector index in pages of `pageSize` rows, yielding to the event loop between
   * pages, then catch up like {@link syncIndex} (serve's warm start). Resolves with the vectors
   * indexed. A `syncIndex()` meanwhile (a request) loads the rest in one go; `signal` stops
   * between pages, and the next `syncIndex()` loads the rest.
   */
  warmIndex(opts?: { pageSize?: number; signal?: AbortSignal }): Promise<number>;
  now(): Date;
  close(): void;
}

/** Options for {@link openRuntime}; tests pass a fake clock or embedder. */
export interface RuntimeOptions {
  embedder?: Embedder;
  now?: () => Date;
  readOnly?: boolean;
}

/** Open the store and embedder described by a loaded config. */
export async function openRuntime(
  loaded: LoadedConfig,
  opts: RuntimeOptions = {},
): Promise<Runtime> {
  const { config } = loaded;
  const embedder = opts.embedder ?? await createEmbedder({
    provider: config.embeddings.provider,
    model: config.embeddings.model || undefined,
    base_url: config.embeddings.base_url || undefined,
    api_key: config.embeddings.api_key || undefined,
    dim: config.embeddings.dim || undefined,
    timeout_ms: config.embeddings.timeout_ms,
    batch_size: config.embeddings.batch_size,
  });
  const store = Store.open(loaded.dbPath, {
    busyTimeoutMs: config.storage.busy_timeout_ms,
    readOnly: opts.readOnly,
    encryption: encryptionFromConfig(loaded.keyPath, config.encryption, opts),
  });
  const index = new BruteForceIndex(embedder.dim);
  let rev = 0;
  // Vectors from another embedder are unusable until `embed reembed` replaces them.
  const usable = (u: StoredVector): u is StoredVector & { embedding: Float32Array } =>
    !u.archived && u.embedding !== null && u.embedder_id === embedder.id &&
    u.embedding.length === embedder.dim;
  /** Bring one row's vector into the index (or out of it); true when it is in. */
  const apply = (u: StoredVector): boolean => {
    if (!usable(u)) {
      index.remove(u.pk);
      return false;
    }
    index.upsert(u.pk, u.namespace, u.embedding, statusBit(u.status));
    return true;
  };
  // While a paged warm-up runs: the revision it started at and the last row key it loaded.
  let warming: { start: number; after: number } | null = null;
  let indexLoaded = false; // by a syncIndex or a warm-up
  const syncIndex = () => {
    if (!indexLoaded) {
      indexLoaded = true;
      rev = firstLoad(store, index, apply, usable, snapshotKey(store, embedder), !opts.readOnly);
      return;
    }
    if (warming) {
      // A request during the warm-up: load the rest now, then catch up as below.
      for (const u of store.vectorsAfter(warming.after, Number.MAX_SAFE_INTEGER)) apply(u);
      rev = warming.start;
      warming = null;
    }
    const changes = store.changesSince(rev);
    for (const pk of changes.deletes) index.remove(pk);
    for (const u of changes.upserts) apply(u);
    rev = changes.rev;
  };
  const warmIndex = async (
    { pageSize = 2000, signal }: Parameters<Runtime["warmIndex"]>[0] = {},
  ) => {
    if (rev === 0 && !warming) {
      // Rows read in pages reflect some moment after `start`; catching up from `start`
      // re-applies whatever changed meanwhile, so the result equals one syncIndex().
      indexLoaded = true;
      const w = warming = { start: store.currentRev(), after: 0 };
      while (warming === w) {
        await new Promise((r) => setTimeout(r, 0));
        if (warming !== w || signal?.aborted) break; // finished by a syncIndex, or stopped
        const page = store.vectorsAfter(w.after, pageSize);
        for (const u of page) apply(u);
        if (page.length < pageSize) {
          rev = w.start;
          warming = null;
        } else w.after = page[page.length - 1].pk;
      }
    }
    if (!warming && rev !== 0) syncIndex();
    return index.size();
  };
  return {
    loaded,
    config,
    store,
    embedder,
    index,
    stats: new TermStats(store),
    syncIndex,
    syncLoadedIndex: () => {
      if (indexLoaded) syncIndex();
    },
    vectorsOf: (pks) =>
      new Map(store.vectorsOf(pks).filter(usable).map((u) => [u.pk, u.embedding])),
    warmIndex,
    now: opts.now ?? (() => new Date()),
    close: () => store.close(),
  };
}
