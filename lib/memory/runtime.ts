/**
 * The runtime every surface opens: config, store, embedder and a vector index kept in step
 * with the store (other processes may write at any time; the index catches up by revision).
 */
import type { Config, LoadedConfig } from "../config/mod.ts";
import { preloadNodeCrypto } from "../crypto/mod.ts";
import { createEmbedder, type Embedder } from "../embed/mod.ts";
import {
  encryptionFromConfig,
  rowsPerNamespace,
  statusBit,
  Store,
  type StoredVector,
  vectorPage,
  vectorsByPk,
} from "../store/mod.ts";
import { BruteForceIndex, TermStats } from "../recall/mod.ts";
import { firstLoad } from "./index_load.ts";
import { configAfterSwap, readSwapMarker } from "./embed_swap_marker.ts";

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
  /** Whether `embed swap` (any process) switched the home's embedder since this runtime looked. */
  embedderSwapped(): boolean;
  /**
   * Follow such a swap (embed_swap_marker.ts): `embedder` and `index` become the new
   * embedder's (the index reloads on the next sync) and `config.embeddings` names it. Resolves
   * with the new embedder id, or null when there was nothing to follow. A long-lived process
   * calls it between writes (serve: before a request). Throws when the new embedder cannot be
   * built; the swap is then not retried by this runtime.
   */
  followEmbedderSwap(): Promise<string | null>;
  now(): Date;
  close(): void;
}

/** Options for {@link openRuntime}; tests pass a fake clock or embedder. */
export interface RuntimeOptions {
  embedder?: Embedder;
  now?: () => Date;
  readOnly?: boolean;
  /**
   * Do not load Node's crypto ahead: the caller opens the few sealed values it reads through
   * WebCrypto (`openSealedAsync`; recall), so a one-shot process never loads it (≈ 17 ms).
   */
  webCrypto?: boolean;
}

/**
 * The vector index kept in step with the store, and the embedder it is for: both change when
 * the runtime follows an `embed swap`.
 */
interface IndexState {
  readonly store: Store;
  readonly readOnly: boolean | undefined;
  embedder: Embedder;
  index: BruteForceIndex;
  /** The store revision the index reflects (0: not loaded). */
  rev: number;
  /** The last `embed swap` this runtime knows of (it follows newer ones: followSwap). */
  swapSeq: number;
  /** While a paged warm-up runs: the revision it started at and the last row key it loaded. */
  warming: { start: number; after: number } | null;
  /** By a syncIndex or a warm-up. */
  loaded: boolean;
}

type UsableVector = StoredVector & { embedding: Float32Array };

/** Vectors from another embedder are unusable until `embed reembed` replaces them. */
function usable(s: IndexState, u: StoredVector): u is UsableVector {
  return !u.archived && u.embedding !== null && u.embedder_id === s.embedder.id &&
    u.embedding.length === s.embedder.dim;
}

/** The row's tag in the index, or null when the index does not hold it. */
function tagOf(s: IndexState, u: StoredVector): number | null {
  return usable(s, u) ? statusBit(u.status) : null;
}

/** Bring one row's vector into the index (or out of it); true when it is in. */
function apply(s: IndexState, u: StoredVector): boolean {
  const tag = tagOf(s, u);
  if (tag === null) {
    s.index.remove(u.pk);
    return false;
  }
  s.index.upsert(u.pk, u.namespace, u.embedding!, tag);
  return true;
}

/** {@link Runtime.syncIndex}: the first load, the rest of a warm-up, then the changes since. */
function syncIndex(s: IndexState): void {
  const { store } = s;
  if (!s.loaded) {
    s.loaded = true;
    s.rev = firstLoad(store, s.index, (u) => tagOf(s, u), !s.readOnly);
    return;
  }
  if (s.warming) {
    // A request during the warm-up: load the rest now, then catch up as below.
    for (const u of vectorPage(store, s.warming.after, Number.MAX_SAFE_INTEGER)) apply(s, u);
    s.rev = s.warming.start;
    s.warming = null;
  }
  const changes = store.changesSince(s.rev);
  for (const pk of changes.deletes) s.index.remove(pk);
  for (const u of changes.upserts) apply(s, u);
  s.rev = changes.rev;
}

/** {@link Runtime.warmIndex}. */
async function warmIndex(
  s: IndexState,
  { pageSize = 2000, signal }: Parameters<Runtime["warmIndex"]>[0] = {},
): Promise<number> {
  const { store } = s;
  if (s.rev === 0 && !s.warming) {
    // Rows read in pages reflect some moment after `start`; catching up from `start`
    // re-applies whatever changed meanwhile, so the result equals one syncIndex().
    s.loaded = true;
    const w = s.warming = { start: store.currentRev(), after: 0 };
    // One arena per namespace at its final size: doubling there copies every row and, at
    // the last step, holds both arenas (issue 21: serve's peak memory).
    for (const [ns, n] of rowsPerNamespace(store)) s.index.reserve(ns, n);
    while (s.warming === w) {
      await new Promise((r) => setTimeout(r, 0));
      if (s.warming !== w || signal?.aborted) break; // finished by a syncIndex, or stopped
      const page = vectorPage(store, w.after, pageSize);
      for (const u of page) apply(s, u);
      if (page.length < pageSize) {
        s.rev = w.start;
        s.warming = null;
      } else w.after = page[page.length - 1].pk;
    }
  }
  if (!s.warming && s.rev !== 0) syncIndex(s);
  return s.index.size();
}

/** {@link Runtime.followEmbedderSwap}, without the guard against running twice at once. */
async function followSwap(s: IndexState, config: Config): Promise<string | null> {
  const m = readSwapMarker(s.store);
  if (!m || m.seq === s.swapSeq) return null;
  s.swapSeq = m.seq; // a failure below is reported once, not retried on every request
  if (m.embedder_id === s.embedder.id) return null;
  const next = await createEmbedder(configAfterSwap(config.embeddings, m));
  s.embedder = next;
  s.index = new BruteForceIndex(next.dim);
  [s.rev, s.warming, s.loaded] = [0, null, false];
  Object.assign(config.embeddings, {
    provider: m.provider,
    model: m.model,
    base_url: m.base_url,
    dim: m.provider === "builtin" ? 0 : m.dim,
  });
  return next.id;
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
  // It seals and opens rows: skip the lazy loader's detour (lib/crypto).
  if (!opts.webCrypto) await preloadNodeCrypto();
  const store = Store.open(loaded.dbPath, {
    busyTimeoutMs: config.storage.busy_timeout_ms,
    readOnly: opts.readOnly,
    encryption: encryptionFromConfig(loaded.keyPath, config.encryption, opts),
  });
  const s: IndexState = {
    store,
    readOnly: opts.readOnly,
    embedder,
    index: new BruteForceIndex(embedder.dim),
    rev: 0,
    swapSeq: readSwapMarker(store)?.seq ?? 0,
    warming: null,
    loaded: false,
  };
  let following: Promise<string | null> | null = null;
  return {
    loaded,
    config,
    store,
    get embedder() {
      return s.embedder;
    },
    get index() {
      return s.index;
    },
    stats: new TermStats(store),
    syncIndex: () => syncIndex(s),
    syncLoadedIndex: () => {
      if (s.loaded) syncIndex(s);
    },
    vectorsOf: (pks) =>
      new Map(
        vectorsByPk(store, pks).filter((u): u is UsableVector => usable(s, u))
          .map((u) => [u.pk, u.embedding]),
      ),
    warmIndex: (o) => warmIndex(s, o),
    embedderSwapped: () => (readSwapMarker(store)?.seq ?? 0) !== s.swapSeq,
    followEmbedderSwap: () =>
      following ??= followSwap(s, config).finally(() => {
        following = null;
      }),
    now: opts.now ?? (() => new Date()),
    close: () => store.close(),
  };
}
