/**
 * Text embeddings. Providers behind one interface:
 *
 * - `builtin` (the default): offline, deterministic, no downloads (GloVe word vectors with SIF
 *   weighting plus hashed character n-grams; see builtin.ts).
 * - `openai`: any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, llama.cpp's
 *   llama-server, LM Studio, vLLM); `voyage`: Voyage AI; `ollama`: Ollama's native `/api/embed`.
 *   The HTTP client is remote.ts, the wire formats wire.ts; see docs/embeddings.md.
 *
 * Every stored vector carries its embedder's `id`; vectors with another id are stale.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { createLazyBuiltinEmbedder } from "./builtin.ts";
import { createRemoteEmbedder } from "./remote.ts";
import { OLLAMA_WIRE, OPENAI_WIRE, VOYAGE_WIRE } from "./wire.ts";

export { cosine } from "./vector.ts";
export { loadVocab, type Vocab } from "./vocab.ts";

/** Turns texts into unit vectors. */
export interface Embedder {
  /** Stable fingerprint stored with every vector, e.g. "builtin:glove50k-sif-ng256@1"; changes whenever outputs would change. */
  readonly id: string;
  readonly dim: number;
  /** L2-normalised vectors, one per input text, same order. Blank text also gets a unit vector. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** The `[embeddings]` config section, with empty values left out. */
export interface EmbedderConfig {
  provider: "builtin" | "openai" | "voyage" | "ollama";
  model?: string;
  base_url?: string;
  api_key?: string;
  dim?: number;
  timeout_ms?: number;
  batch_size?: number;
}

/**
 * Create the configured embedder. The builtin one ignores the other keys, except that a
 * `dim` other than its own is a config error; it reads its word table on the first `embed`
 * call, so commands that never embed (list, inspect, forget) skip the 6 MB load.
 *
 * @example
 * ```ts
 * const e = await createEmbedder({ provider: "builtin" });
 * const [v] = await e.embed(["User prefers tabs over spaces"]);
 * v.length === e.dim; // true
 * ```
 */
export async function createEmbedder(cfg: EmbedderConfig): Promise<Embedder> {
  switch (cfg.provider) {
    case "builtin": {
      const e = await createLazyBuiltinEmbedder();
      if (cfg.dim !== undefined && cfg.dim !== e.dim) {
        throw new MemoryossError(
          "INVALID_CONFIG",
          `embeddings.dim is ${cfg.dim} but the builtin embedder makes ${e.dim}-dimensional vectors; set dim = 0`,
          ["embeddings", "dim"],
        );
      }
      return e;
    }
    case "openai":
      return await createRemoteEmbedder(cfg, OPENAI_WIRE);
    case "voyage":
      return await createRemoteEmbedder(cfg, VOYAGE_WIRE);
    case "ollama":
      return await createRemoteEmbedder(cfg, OLLAMA_WIRE);
    default:
      throw new MemoryossError(
        "INVALID_CONFIG",
        `embeddings.provider must be "builtin", "openai", "voyage" or "ollama", not ${
          JSON.stringify(cfg.provider)
        }`,
        ["embeddings", "provider"],
      );
  }
}
