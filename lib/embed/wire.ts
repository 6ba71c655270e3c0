/**
 * The wire formats of the remote embedding providers: request body, endpoint path and where
 * the vectors are in the response. remote.ts does the HTTP, batching and checks.
 *
 * @module
 */

/** One vector of a response, as the provider numbers it (`index` absent: positional). */
export interface WireItem {
  index?: unknown;
  embedding?: unknown;
}

/** How one provider's embeddings endpoint is spoken. */
export interface Wire {
  /** `[embeddings] provider` value; also the prefix of the embedder id. */
  provider: "openai" | "voyage" | "ollama";
  /** Used when `base_url` is empty. */
  defaultBaseUrl: string;
  /** Appended to `base_url` unless it already ends with it. */
  path: string;
  /** The service refuses requests without a key: fail at start-up, not on the first call. */
  needsKey: boolean;
  body(model: string, input: string[]): unknown;
  /** The response's vectors, or why there are none. */
  items(body: unknown): WireItem[] | string;
}

/** `data: [{index, embedding}]`, shared by OpenAI-compatible servers and Voyage AI. */
function dataItems(body: unknown): WireItem[] | string {
  const data = (body as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data : 'no "data" array';
}

/**
 * OpenAI-compatible `POST /v1/embeddings` {model, input} (OpenAI, Ollama's /v1, llama.cpp's
 * llama-server, LM Studio, vLLM).
 */
export const OPENAI_WIRE: Wire = {
  provider: "openai",
  defaultBaseUrl: "https://api.openai.com/v1",
  path: "/embeddings",
  needsKey: false,
  body: (model, input) => ({ model, input }),
  items: dataItems,
};

/**
 * Voyage AI `POST /v1/embeddings` {input, model, input_type}. The Embedder interface does not
 * tell stored text from queries, so both are embedded as "document": consistent vectors, at
 * the cost of Voyage's query prompt.
 */
export const VOYAGE_WIRE: Wire = {
  provider: "voyage",
  defaultBaseUrl: "https://api.voyageai.com/v1",
  path: "/embeddings",
  needsKey: true,
  body: (model, input) => ({ input, model, input_type: "document" }),
  items: dataItems,
};

/** Ollama's native `POST /api/embed` {model, input} → {embeddings: number[][]}. */
export const OLLAMA_WIRE: Wire = {
  provider: "ollama",
  defaultBaseUrl: "http://127.0.0.1:11434",
  path: "/api/embed",
  needsKey: false,
  body: (model, input) => ({ model, input }),
  items(body) {
    const e = (body as { embeddings?: unknown } | null)?.embeddings;
    if (!Array.isArray(e)) return 'no "embeddings" array';
    return e.map((embedding) => ({ embedding }));
  },
};
