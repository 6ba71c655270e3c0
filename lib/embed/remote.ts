/**
 * Client for remote embedding endpoints; the wire formats (OpenAI-compatible, Voyage AI,
 * Ollama's native API) are in wire.ts. One POST per batch of `batch_size` texts.
 *
 * Failures become `MemoryossError`s whose messages name the endpoint and the problem but
 * never the API key.
 *
 * @module
 */
import { maskSecret } from "../config/redact.ts";
import { fetchWithTimeout } from "../config/fetch.ts";
import { MemoryossError } from "../errors/mod.ts";
import type { Embedder, EmbedderConfig } from "./mod.ts";
import { l2normalize } from "./vector.ts";
import type { Wire } from "./wire.ts";

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_BATCH = 64;
/** How much of an error body to quote; enough for the server's message. */
const BODY_EXCERPT = 300;

/** Resolved settings of a {@link RemoteEmbedder}. */
export interface RemoteSettings {
  wire: Wire;
  model: string;
  /** Full URL of the embeddings endpoint. */
  url: string;
  apiKey?: string;
  timeoutMs: number;
  batchSize: number;
}

/**
 * Embeddings from a remote endpoint. Construct with {@link createRemoteEmbedder}, which also
 * learns `dim` when it is not configured.
 */
export class RemoteEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  readonly #s: RemoteSettings;

  constructor(settings: RemoteSettings, dim: number) {
    this.#s = settings;
    this.dim = dim;
    this.id = `${settings.wire.provider}:${settings.model}@${dim}`;
  }

  /** Embed in batches of `batch_size`, one request at a time, preserving order. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    return await embedAll(this.#s, texts, this.dim);
  }
}

async function embedAll(s: RemoteSettings, texts: string[], dim: number | undefined) {
  const out: Float32Array[] = new Array(texts.length);
  // Endpoints reject empty input; blank text gets a fixed unit vector instead.
  const todo: number[] = [];
  for (let i = 0; i < texts.length; i++) if (texts[i].trim()) todo.push(i);
  for (let start = 0; start < todo.length; start += s.batchSize) {
    const idx = todo.slice(start, start + s.batchSize);
    const vecs = await request(s, idx.map((i) => texts[i]), dim);
    dim ??= vecs[0].length;
    idx.forEach((i, j) => (out[i] = vecs[j]));
  }
  if (todo.length < texts.length) {
    if (dim === undefined) throw new MemoryossError("INTERNAL", "embedding size is not known yet");
    texts.forEach((_, i) => out[i] ??= blankVector(dim!));
  }
  return out;
}

/** The vector for blank text: a fixed unit vector. */
function blankVector(dim: number): Float32Array {
  const v = new Float32Array(dim);
  v[0] = 1;
  return v;
}

/** One POST; returns unit vectors in input order, each `dim` long when `dim` is given. */
async function request(s: RemoteSettings, input: string[], dim: number | undefined) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (s.apiKey) headers.authorization = `Bearer ${s.apiKey}`;
  const t = await fetchWithTimeout(s.url, {
    method: "POST",
    headers,
    body: JSON.stringify(s.wire.body(s.model, input)),
  }, { timeoutMs: s.timeoutMs, what: "embedding endpoint", secret: s.apiKey });
  const text = await t.text();
  if (!t.response.ok) throw httpError(s, t.where, t.response.status, text);
  return parse(s, t.where, t.response.status, text, input.length, dim);
}

function httpError(s: RemoteSettings, where: string, status: number, body: string) {
  let detail = body.slice(0, BODY_EXCERPT);
  try {
    const j = JSON.parse(body);
    const m = j?.error?.message ?? j?.error ?? j?.message ?? j?.detail;
    if (typeof m === "string") detail = m.slice(0, BODY_EXCERPT);
  } catch { /* not JSON: quote the text */ }
  detail = redact(s, detail.replace(/\s+/g, " ").trim());
  const msg = `${where} answered HTTP ${status}${detail ? `: ${detail}` : ""}`;
  if (status === 401 || status === 403) {
    return new MemoryossError("INVALID_CONFIG", `${msg} (check embeddings.api_key)`);
  }
  if (status === 404) {
    return new MemoryossError("INVALID_CONFIG", `${msg} (check embeddings.base_url and model)`);
  }
  if (status === 400 || status === 413 || status === 422) {
    return new MemoryossError("INVALID_INPUT", msg);
  }
  return new MemoryossError("UNAVAILABLE", msg);
}

function parse(
  s: RemoteSettings,
  where: string,
  status: number,
  text: string,
  n: number,
  dim: number | undefined,
): Float32Array[] {
  const bad = (why: string) =>
    new MemoryossError(
      "UNAVAILABLE",
      `${where} sent an unusable response (HTTP ${status}): ${why}`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad(`not JSON: ${JSON.stringify(redact(s, text.slice(0, 80)))}`);
  }
  const data = s.wire.items(body);
  if (typeof data === "string") throw bad(data);
  if (data.length !== n) throw bad(`${data.length} embeddings for ${n} inputs`);
  const out: Float32Array[] = new Array(n);
  for (const [pos, item] of data.entries()) {
    const index = (item?.index ?? pos) as number; // some servers omit index; then order is positional
    if (!Number.isInteger(index) || index < 0 || index >= n || out[index]) {
      throw bad(`bad or repeated index ${JSON.stringify(index)}`);
    }
    const v = toVector(item?.embedding);
    if (!v) throw bad(`item ${index} has no numeric "embedding"`);
    const want = dim ?? out.find((x) => x)?.length ?? v.length;
    if (v.length !== want) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        `${where} returned ${v.length}-dimensional vectors, expected ${want}` +
          (dim ? " (embeddings.dim; run `memoryoss embed reembed` after changing models)" : ""),
      );
    }
    if (!l2normalize(v)) throw bad(`item ${index} is an all-zero or non-finite vector`);
    out[index] = v;
  }
  return out;
}

/** A float array, or base64 of little-endian float32 (encoding_format "base64"). */
function toVector(e: unknown): Float32Array | null {
  if (Array.isArray(e)) {
    if (e.length === 0 || !e.every((x) => typeof x === "number")) return null;
    return Float32Array.from(e);
  }
  if (typeof e === "string" && e.length > 0) {
    try {
      const bytes = Uint8Array.from(atob(e), (c) => c.charCodeAt(0));
      if (bytes.length % 4 !== 0) return null;
      const dv = new DataView(bytes.buffer);
      return Float32Array.from({ length: bytes.length / 4 }, (_, i) => dv.getFloat32(i * 4, true));
    } catch {
      return null;
    }
  }
  return null;
}

/** Remove the API key from text that may quote it (some servers echo the header). */
function redact(s: RemoteSettings, text: string): string {
  return maskSecret(text, s.apiKey);
}

/**
 * Validate the config and build the client for `wire`. Without `dim`, one short request
 * learns it (so a down endpoint fails here, with UNAVAILABLE).
 *
 * @example
 * ```ts
 * const e = await createRemoteEmbedder({
 *   provider: "openai", model: "nomic-embed-text", base_url: "http://127.0.0.1:11434/v1",
 * }, OPENAI_WIRE); // OPENAI_WIRE from wire.ts
 * e.id; // "openai:nomic-embed-text@768"
 * ```
 */
export async function createRemoteEmbedder(
  cfg: EmbedderConfig,
  wire: Wire,
): Promise<RemoteEmbedder> {
  const invalid = (key: string, why: string) =>
    new MemoryossError("INVALID_CONFIG", `embeddings.${key} ${why}`, ["embeddings", key]);
  const model = cfg.model?.trim();
  if (!model) throw invalid("model", `is required when provider = "${wire.provider}"`);
  const apiKey = cfg.api_key || undefined;
  if (wire.needsKey && !apiKey) {
    throw invalid(
      "api_key",
      `is required when provider = "${wire.provider}" (or set MEMORYOSS_EMBEDDINGS_API_KEY)`,
    );
  }
  const base = (cfg.base_url?.trim() || wire.defaultBaseUrl).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(base.endsWith(wire.path) ? base : `${base}${wire.path}`);
  } catch {
    throw invalid("base_url", "is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid("base_url", "must start with http:// or https://");
  }
  const positive = (key: string, v: number | undefined, def: number | undefined) => {
    if (v === undefined) return def;
    if (!Number.isInteger(v) || v <= 0) throw invalid(key, "must be a positive integer");
    return v;
  };
  const settings: RemoteSettings = {
    wire,
    model,
    url: url.toString(),
    apiKey,
    timeoutMs: positive("timeout_ms", cfg.timeout_ms, DEFAULT_TIMEOUT_MS)!,
    batchSize: positive("batch_size", cfg.batch_size, DEFAULT_BATCH)!,
  };
  const dim = positive("dim", cfg.dim, undefined) ??
    (await embedAll(settings, ["dimension probe"], undefined))[0].length;
  return new RemoteEmbedder(settings, dim);
}
