/**
 * memman's `embed swap`: switch the home to another embedder online. Every memory gets a new
 * vector from the target embedder while the old vectors stay in place (recall keeps using
 * them); rows written or changed meanwhile are caught up; then ONE transaction replaces the
 * vectors and `[embeddings]` in memoryoss.toml names the target. An interrupted swap leaves
 * the store untouched (the new vectors are held until the cutover) and is simply run again.
 * The cutover also marks the store (embed_swap_marker.ts), so a running `serve` follows the
 * swap on its next request instead of needing a restart.
 *
 * The embedder is one per home, so the swap covers every store and namespace of the home.
 *
 * @module
 */
import { join } from "node:path";
import { CONFIG_TEMPLATE, setConfigKey } from "../config/mod.ts";
import { createEmbedder, type Embedder, type EmbedderConfig } from "../embed/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { namespaceStats, pksNeedingEmbedding } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { writeSwapMarker } from "./embed_swap_marker.ts";

/** memman's batch size variable (default 200). */
export const SWAP_BATCH_ENV = "MEMMAN_EMBED_SWAP_BATCH_SIZE";
const CATCH_UP_ROUNDS = 5;

/** What to switch to. */
export interface SwapTarget {
  /** `[embeddings] provider`; default the current one. */
  provider?: EmbedderConfig["provider"];
  /** `--to MODEL` (ignored by builtin). */
  model?: string;
  /** Base URL of the target (default: the current one when the provider stays, else empty). */
  baseUrl?: string;
}

/** `embed swap --json` (memman's `{store, state, fingerprint}` plus memoryoss's counts). */
export interface SwapResult {
  store: string;
  state: "done" | "planned";
  fingerprint: { provider: string; model: string; dim: number };
  embedder_id: string;
  previous_embedder_id: string;
  /** Vectors replaced (0 with --dry-run). */
  reembedded: number;
  /** With --dry-run: vectors the swap would compute. */
  would_reembed?: number;
  /** The config file whose `[embeddings]` now names the target (null with --dry-run). */
  config_file: string | null;
}

/** Options of {@link embedSwap}. */
export interface SwapOptions {
  store: string;
  dryRun?: boolean;
  env?: (k: string) => string | undefined;
  onProgress?: (done: number, total: number) => void;
  /** Tests: the target embedder instead of one built from the config. */
  embedder?: Embedder;
}

function batchSize(env: (k: string) => string | undefined): number {
  const n = Number(env(SWAP_BATCH_ENV));
  return Number.isInteger(n) && n > 0 ? n : 200;
}

function targetConfig(rt: Runtime, t: SwapTarget): EmbedderConfig {
  const cur = rt.config.embeddings;
  const provider = t.provider ?? cur.provider;
  const same = provider === cur.provider;
  const cfg: EmbedderConfig = { provider, timeout_ms: cur.timeout_ms, batch_size: cur.batch_size };
  const model = t.model ?? (same ? cur.model : "");
  const base = t.baseUrl ?? (same ? cur.base_url : "");
  if (model) cfg.model = model;
  if (base) cfg.base_url = base;
  if (cur.api_key && same) cfg.api_key = cur.api_key;
  if (provider !== "builtin" && !model) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--to MODEL is required for provider ${provider}`,
      ["to"],
    );
  }
  return cfg;
}

/** Every pk (all namespaces) whose vector is not the target's. */
function stalePks(rt: Runtime, id: string): number[] {
  return namespaceStats(rt.store).flatMap((s) =>
    pksNeedingEmbedding(rt.store, { namespace: s.namespace }, id)
  );
}

/**
 * Switch the home's embedder to `target`, re-embedding every memory before one cutover.
 *
 * @example
 * ```ts
 * await embedSwap(rt, { provider: "ollama", model: "nomic-embed-text" }, { store: "default" });
 * ```
 */
export async function embedSwap(
  rt: Runtime,
  target: SwapTarget,
  opts: SwapOptions,
): Promise<SwapResult> {
  const env = opts.env ?? ((k) => Deno.env.get(k));
  const cfg = targetConfig(rt, target);
  const next = opts.embedder ?? await createEmbedder(cfg);
  const base = {
    store: opts.store,
    fingerprint: { provider: cfg.provider, model: cfg.model ?? "", dim: next.dim },
    embedder_id: next.id,
    previous_embedder_id: rt.embedder.id,
  };
  if (opts.dryRun) {
    const n = stalePks(rt, next.id).length;
    return { ...base, state: "planned", reembedded: 0, would_reembed: n, config_file: null };
  }
  const fresh = new Map<number, { content: string; vector: Float32Array }>();
  const size = batchSize(env);
  // Round 1 embeds every stale row; later rounds only rows written or changed meanwhile.
  for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
    const stale = stalePks(rt, next.id);
    let embedded = 0;
    for (let i = 0; i < stale.length; i += size) {
      const rows = rt.store.getMany(stale.slice(i, i + size))
        .filter((r) => fresh.get(r.pk)?.content !== r.record.content);
      if (rows.length === 0) continue;
      const vectors = await next.embed(rows.map((r) => r.record.content));
      rows.forEach((r, j) => fresh.set(r.pk, { content: r.record.content, vector: vectors[j] }));
      embedded += rows.length;
      opts.onProgress?.(Math.min(i + size, stale.length), stale.length);
    }
    if (embedded === 0) break;
  }
  let replaced = 0;
  rt.store.transaction(() => {
    for (const [pk, f] of fresh) {
      const row = rt.store.getMany([pk])[0];
      if (!row || row.record.content !== f.content) continue; // changed at the last moment
      rt.store.setEmbedding(pk, f.vector, next.id);
      replaced++;
    }
    // In the same commit: a running `serve` switches embedders on its next request.
    writeSwapMarker(rt.store, {
      embedder_id: next.id,
      provider: cfg.provider,
      model: cfg.model ?? "",
      base_url: cfg.base_url ?? "",
      dim: next.dim,
      at: rt.now().toISOString(),
    });
  });
  const file = await writeTarget(rt, cfg, next.dim);
  return { ...base, state: "done", reembedded: replaced, config_file: file };
}

async function writeTarget(rt: Runtime, cfg: EmbedderConfig, dim: number): Promise<string> {
  const file = rt.loaded.configPath ?? join(rt.loaded.home, "memoryoss.toml");
  const set = (k: string, v: string) =>
    setConfigKey(file, `embeddings.${k}`, v, { template: CONFIG_TEMPLATE });
  await set("provider", cfg.provider);
  await set("model", cfg.model ?? "");
  await set("base_url", cfg.base_url ?? "");
  await set("dim", cfg.provider === "builtin" ? "0" : String(dim));
  return file;
}
