/**
 * The mark `embed swap` leaves in the store (meta `embed_swap`, written in the cutover
 * transaction itself): which embedder the vectors now come from, and a sequence number. A
 * long-lived process (`serve`) that opened the home before the swap sees the number change on
 * its next request and switches to that embedder (runtime.ts, `followEmbedderSwap`), so it
 * needs no restart. No secret is stored: the API key is the process's own when the provider
 * stays, as `embed swap` itself decides.
 *
 * @module
 */
import type { EmbedderConfig } from "../embed/mod.ts";
import { metaValue, setMetaValue, type Store } from "../store/mod.ts";

const KEY = "embed_swap";

/** What the store records about the last swap. */
export interface SwapMarker {
  seq: number;
  embedder_id: string;
  provider: EmbedderConfig["provider"];
  model: string;
  base_url: string;
  dim: number;
  at: string;
}

/** The last swap's mark, or null when the home was never swapped. */
export function readSwapMarker(store: Store): SwapMarker | null {
  const value = metaValue(store, KEY);
  if (value === undefined) return null;
  try {
    const m = JSON.parse(value) as SwapMarker;
    return typeof m.seq === "number" && typeof m.embedder_id === "string" ? m : null;
  } catch {
    return null;
  }
}

/** Record a swap to `target` (call inside the cutover transaction). */
export function writeSwapMarker(store: Store, target: Omit<SwapMarker, "seq">): SwapMarker {
  const m: SwapMarker = { seq: (readSwapMarker(store)?.seq ?? 0) + 1, ...target };
  setMetaValue(store, KEY, JSON.stringify(m));
  return m;
}

/**
 * The embedder settings a process should use after swap `m`, from its own `current` settings:
 * the marked provider, model, base URL and size; timeouts and batch size kept; the API key
 * kept only when the provider is unchanged (`embed swap` builds its target the same way).
 */
export function configAfterSwap(
  current: {
    provider: string;
    api_key?: string;
    timeout_ms?: number;
    batch_size?: number;
  },
  m: SwapMarker,
): EmbedderConfig {
  const cfg: EmbedderConfig = {
    provider: m.provider,
    timeout_ms: current.timeout_ms,
    batch_size: current.batch_size,
  };
  if (m.model) cfg.model = m.model;
  if (m.base_url) cfg.base_url = m.base_url;
  if (m.provider !== "builtin") cfg.dim = m.dim;
  if (current.api_key && current.provider === m.provider) cfg.api_key = current.api_key;
  return cfg;
}
