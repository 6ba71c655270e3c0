/**
 * Fake local embedding servers for tests: a real HTTP listener on 127.0.0.1:0 that speaks one
 * provider's wire format and returns deterministic hashed bag-of-words vectors, so that cosine
 * similarity between texts is meaningful (shared content words raise it) and computable by the
 * test itself with {@link bowCosine}, independently of lib/embed.
 */

/** Words that carry no topic; left out of the bag so similarity follows content words. */
const STOP = new Set(
  "a an and are at be by do does each for from has have in is it of on or the to what when where which who with"
    .split(" "),
);

/** Content words of `text`: lower-case letter/digit runs, stop words dropped. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w));
}

/** FNV-1a, 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * The fake model: counts of hashed content words, deliberately NOT normalised (real servers
 * differ on that; the client must normalise). A text with no content word gets a fixed vector.
 */
export function bowVector(text: string, dim: number): number[] {
  const v: number[] = new Array(dim).fill(0);
  for (const w of words(text)) v[fnv1a(w) % dim] += 1;
  if (!v.some((x) => x !== 0)) v[dim - 1] = 1;
  return v;
}

/** Cosine of the fake model's vectors for two texts: the oracle for recall's vector channel. */
export function bowCosine(a: string, b: string, dim: number): number {
  const x = bowVector(a, dim), y = bowVector(b, dim);
  let dot = 0, nx = 0, ny = 0;
  for (let i = 0; i < dim; i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return dot / Math.sqrt(nx * ny);
}

/** One request the fake received. */
export interface SeenRequest {
  method: string;
  path: string;
  auth: string | null;
  contentType: string | null;
  body: Record<string, unknown> | null;
}

/** A running fake; `base` is `http://127.0.0.1:PORT`. */
export interface FakeServer extends AsyncDisposable {
  base: string;
  seen: SeenRequest[];
  /** Every text the fake was asked to embed, in order. */
  inputs(): string[];
}

/** Answer one parsed request; the fake has already logged it. */
export type Route = (req: SeenRequest) => Response;

/** Listen on a free port of 127.0.0.1 and answer with `route`; dispose to shut it down. */
export function startFake(route: Route): FakeServer {
  const seen: SeenRequest[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    let body: Record<string, unknown> | null = null;
    try {
      body = await req.json();
    } catch { /* not JSON: the route answers 400 */ }
    const r: SeenRequest = {
      method: req.method,
      path: new URL(req.url).pathname,
      auth: req.headers.get("authorization"),
      contentType: req.headers.get("content-type"),
      body,
    };
    seen.push(r);
    return route(r);
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    seen,
    inputs: () => seen.flatMap((r) => inputOf(r).filter((x): x is string => typeof x === "string")),
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** The texts of a request body: `input`, a string or a list (OpenAI, Ollama, Voyage). */
export function inputOf(r: SeenRequest): unknown[] {
  const input = r.body?.input;
  return Array.isArray(input) ? input : input === undefined ? [] : [input];
}

/** An OpenAI-style error body, as OpenAI, Ollama's /v1, llama.cpp and LM Studio send it. */
export function openaiError(status: number, message: string, type: string): Response {
  return Response.json({ error: { message, type, param: null, code: null } }, { status });
}

/** What distinguishes one OpenAI-compatible server from another. */
export interface OpenAIServerProfile {
  /** Models the server can serve, with their vector size. */
  models: Record<string, number>;
  /** When set, requests without `Authorization: Bearer KEY` get 401 (llama-server --api-key). */
  apiKey?: string;
  /** The server answers with its own model id rather than echoing the request's. */
  modelInResponse?: string;
}

/**
 * `POST /v1/embeddings` {model, input: string | string[]} →
 * {object:"list", data:[{object:"embedding", index, embedding}], model, usage}, with the error
 * shapes of the real servers for a missing key, an unknown model and a malformed body.
 */
export function openaiCompatible(p: OpenAIServerProfile): Route {
  return (r) => {
    if (r.method !== "POST" || r.path !== "/v1/embeddings") {
      return openaiError(
        404,
        `Unknown request URL: ${r.method} ${r.path}`,
        "invalid_request_error",
      );
    }
    if (p.apiKey && r.auth !== `Bearer ${p.apiKey}`) {
      return openaiError(401, "Invalid API Key", "authentication_error");
    }
    if (!r.contentType?.startsWith("application/json") || !r.body) {
      return openaiError(400, "request body must be JSON", "invalid_request_error");
    }
    const model = r.body.model;
    const dim = typeof model === "string" ? p.models[model] : undefined;
    if (!dim) {
      return openaiError(
        404,
        `model "${model}" not found, try pulling it first`,
        "invalid_request_error",
      );
    }
    const input = inputOf(r);
    if (input.length === 0 || !input.every((t) => typeof t === "string" && t.length > 0)) {
      return openaiError(
        400,
        "input must be a non-empty string or list of them",
        "invalid_request_error",
      );
    }
    const texts = input as string[];
    const data = texts.map((t, index) => ({
      object: "embedding",
      index,
      embedding: bowVector(t, dim),
    }));
    const tokens = texts.reduce((n, t) => n + words(t).length, 0);
    return Response.json({
      object: "list",
      data,
      model: p.modelInResponse ?? model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };
}

/**
 * Voyage AI: `POST /v1/embeddings` {input, model, input_type} with `Authorization: Bearer KEY`
 * → {object:"list", data:[{object:"embedding", embedding, index}], model, usage:{total_tokens}};
 * errors are `{detail}`.
 */
export function voyage(p: { models: Record<string, number>; apiKey: string }): Route {
  const fail = (status: number, detail: string) => Response.json({ detail }, { status });
  return (r) => {
    if (r.method !== "POST" || r.path !== "/v1/embeddings") return fail(404, "Not Found");
    if (r.auth !== `Bearer ${p.apiKey}`) return fail(401, "Provided API key is invalid.");
    const model = r.body?.model;
    const dim = typeof model === "string" ? p.models[model] : undefined;
    if (!dim) return fail(400, `Model ${model} is not supported.`);
    const it = r.body?.input_type;
    if (!(it === undefined || it === null || it === "query" || it === "document")) {
      return fail(400, "input_type must be None, 'query' or 'document'");
    }
    const texts = inputOf(r) as string[];
    return Response.json({
      object: "list",
      data: texts.map((t, index) => ({ object: "embedding", embedding: bowVector(t, dim), index })),
      model,
      usage: { total_tokens: texts.reduce((n, t) => n + words(t).length, 0) },
    });
  };
}

/** Ollama's native `POST /api/embed` {model, input} → {model, embeddings: number[][], …}. */
export function ollamaNative(p: { models: Record<string, number> }): Route {
  return (r) => {
    if (r.method !== "POST" || r.path !== "/api/embed") {
      return new Response("404 page not found", { status: 404 });
    }
    const model = r.body?.model;
    const dim = typeof model === "string" ? p.models[model] : undefined;
    if (!dim) {
      return Response.json({ error: `model "${model}" not found, try pulling it first` }, {
        status: 404,
      });
    }
    const texts = inputOf(r) as string[];
    return Response.json({
      model,
      embeddings: texts.map((t) => bowVector(t, dim)),
      total_duration: 14143917,
      load_duration: 1019500,
      prompt_eval_count: texts.reduce((n, t) => n + words(t).length, 0),
    });
  };
}
