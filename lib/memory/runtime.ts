/**
 * The runtime every surface opens: config, store, embedder and a vector index kept in step
 * with the store (other processes may write at any time; the index catches up by revision).
 */
import type { Config, LoadedConfig } from "../config/mod.ts";
import { createEmbedder, type Embedder } from "../embed/mod.ts";
import { encryptionFromConfig, statusBit, Store } from "../store/mod.ts";
import { BruteForceIndex, TermStats } from "../recall/mod.ts";

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
  const syncIndex = () => {
    const changes = store.changesSince(rev);
    for (const pk of changes.deletes) index.remove(pk);
    for (const u of changes.upserts) {
      // Vectors from another embedder are unusable until `embed reembed` replaces them.
      if (
        u.archived || !u.embedding || u.embedder_id !== embedder.id ||
        u.embedding.length !== embedder.dim
      ) {
        index.remove(u.pk);
      } else {
        index.upsert(u.pk, u.namespace, u.embedding, statusBit(u.status));
      }
    }
    rev = changes.rev;
  };
  return {
    loaded,
    config,
    store,
    embedder,
    index,
    stats: new TermStats(store),
    syncIndex,
    now: opts.now ?? (() => new Date()),
    close: () => store.close(),
  };
}
