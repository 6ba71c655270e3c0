/**
 * The OpenAI-compatible client against a real local HTTP server speaking the wire format
 * of `POST /v1/embeddings`.
 */
import assert from "node:assert/strict";
import { cosine, createEmbedder, type EmbedderConfig } from "../../lib/embed/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

const KEY = "sk-test-SECRET-0123456789";

interface Call {
  path: string;
  auth: string | null;
  body: { model: string; input: string[] };
}

type Handler = (call: Call) => Response | Promise<Response>;

/** Run `fn` against a server on a free port; the server is always shut down. */
async function withServer(handler: Handler, fn: (base: string, calls: Call[]) => Promise<void>) {
  const calls: Call[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const call: Call = {
      path: new URL(req.url).pathname,
      auth: req.headers.get("authorization"),
      body: await req.json(),
    };
    calls.push(call);
    return await handler(call);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/v1`, calls);
  } finally {
    await server.shutdown();
  }
}

/** A deterministic, deliberately un-normalised vector per input text. */
function fakeVector(text: string, dim: number): number[] {
  return Array.from(
    { length: dim },
    (_, d) => ((text.charCodeAt(d % text.length) * (d + 1)) % 17) + 1,
  );
}

function embeddingsResponse(input: string[], dim: number, opts: { reverse?: boolean } = {}) {
  const data = input.map((t, index) => ({
    object: "embedding",
    index,
    embedding: fakeVector(t, dim),
  }));
  if (opts.reverse) data.reverse();
  return Response.json({ object: "list", data, model: "fake", usage: { prompt_tokens: 1 } });
}

function cfg(base: string, extra: Partial<EmbedderConfig> = {}): EmbedderConfig {
  return {
    provider: "openai",
    model: "fake-embed",
    base_url: base,
    api_key: KEY,
    dim: 3,
    ...extra,
  };
}

/** Assert a MemoryossError with `code` whose message matches `re` and never leaks the key. */
async function rejects(p: Promise<unknown>, code: string, re: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MemoryossError, `not a MemoryossError: ${e}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    assert.ok(!e.message.includes(KEY), `key leaked: ${e.message}`);
    return true;
  });
}

Deno.test("openai: batches, auth, index order and normalisation", async () => {
  await withServer(
    (c) => embeddingsResponse(c.body.input, 3, { reverse: true }),
    async (base, calls) => {
      const e = await createEmbedder(cfg(base, { batch_size: 2 }));
      assert.equal(e.id, "openai:fake-embed@3");
      assert.equal(e.dim, 3);
      const texts = ["alpha", "beta", "gamma", "delta", "epsilon"];
      const vecs = await e.embed(texts);
      assert.deepEqual(calls.map((c) => c.body.input), [["alpha", "beta"], ["gamma", "delta"], [
        "epsilon",
      ]]);
      for (const c of calls) {
        assert.equal(c.path, "/v1/embeddings");
        assert.equal(c.auth, `Bearer ${KEY}`);
        assert.equal(c.body.model, "fake-embed");
      }
      texts.forEach((t, i) => {
        const want = Float32Array.from(fakeVector(t, 3));
        const n = Math.sqrt(cosine(want, want));
        assert.ok(Math.abs(cosine(vecs[i], want) / n - 1) < 1e-6, `vector ${i} out of order`);
        assert.ok(Math.abs(cosine(vecs[i], vecs[i]) - 1) < 1e-6, `vector ${i} not unit`);
      });
      assert.deepEqual(await e.embed([]), []);
    },
  );
});

Deno.test("openai: blank text is not sent and still gets a unit vector", async () => {
  await withServer((c) => embeddingsResponse(c.body.input, 3), async (base, calls) => {
    const e = await createEmbedder(cfg(base, { api_key: undefined }));
    const vecs = await e.embed(["", "real text", "   "]);
    assert.deepEqual(calls.map((c) => c.body.input), [["real text"]]);
    assert.equal(calls[0].auth, null);
    for (const v of vecs) assert.ok(Math.abs(cosine(v, v) - 1) < 1e-6);
    assert.deepEqual(vecs[0], vecs[2]);
  });
});

Deno.test("openai: without dim, one probe request learns it", async () => {
  await withServer((c) => embeddingsResponse(c.body.input, 5), async (base, calls) => {
    const e = await createEmbedder(cfg(`${base}/`, { dim: undefined }));
    assert.equal(e.dim, 5);
    assert.equal(e.id, "openai:fake-embed@5");
    assert.equal(calls.length, 1);
    assert.equal((await e.embed(["x"]))[0].length, 5);
  });
});

Deno.test("openai: HTTP errors map to codes and never show the key", async () => {
  const cases: [number, string, RegExp][] = [
    [401, "INVALID_CONFIG", /HTTP 401: Incorrect API key provided: \*\*\*.*api_key/],
    [404, "INVALID_CONFIG", /HTTP 404.*base_url and model/],
    [400, "INVALID_INPUT", /HTTP 400/],
    [429, "UNAVAILABLE", /HTTP 429/],
    [503, "UNAVAILABLE", /HTTP 503/],
  ];
  for (const [status, code, re] of cases) {
    const body = { error: { message: `Incorrect API key provided: ${KEY}`, type: "invalid" } };
    await withServer(() => Response.json(body, { status }), async (base) => {
      const e = await createEmbedder(cfg(base));
      await rejects(e.embed(["hello"]), code, re);
    });
  }
  await withServer(
    () => new Response("upstream <b>exploded</b>", { status: 502 }),
    async (base) => {
      await rejects((await createEmbedder(cfg(base))).embed(["x"]), "UNAVAILABLE", /502: upstream/);
    },
  );
});

Deno.test("openai: malformed responses are rejected clearly", async () => {
  const cases: [Handler, string, RegExp][] = [
    [() => new Response("not json {", { status: 200 }), "UNAVAILABLE", /not JSON/],
    [() => Response.json({ nope: 1 }), "UNAVAILABLE", /no "data" array/],
    [() => Response.json({ data: [] }), "UNAVAILABLE", /0 embeddings for 1 inputs/],
    [
      () => Response.json({ data: [{ index: 7, embedding: [1, 2, 3] }] }),
      "UNAVAILABLE",
      /bad or repeated index 7/,
    ],
    [
      () => Response.json({ data: [{ index: 0, embedding: "??" }] }),
      "UNAVAILABLE",
      /no numeric "embedding"/,
    ],
    [
      () => Response.json({ data: [{ index: 0, embedding: [0, 0, 0] }] }),
      "UNAVAILABLE",
      /all-zero/,
    ],
    [
      (c) => embeddingsResponse(c.body.input, 4),
      "INVALID_CONFIG",
      /returned 4-dimensional vectors, expected 3/,
    ],
  ];
  for (const [handler, code, re] of cases) {
    await withServer(handler, async (base) => {
      await rejects((await createEmbedder(cfg(base))).embed(["hello"]), code, re);
    });
  }
});

Deno.test("openai: base64-encoded embeddings are decoded", async () => {
  const f32 = new Float32Array([3, 0, 4]);
  const b64 = btoa(String.fromCharCode(...new Uint8Array(f32.buffer)));
  await withServer(() => Response.json({ data: [{ index: 0, embedding: b64 }] }), async (base) => {
    const [v] = await (await createEmbedder(cfg(base))).embed(["x"]);
    assert.deepEqual(Array.from(v), [0.6000000238418579, 0, 0.800000011920929]);
  });
});

Deno.test("openai: a slow endpoint times out with UNAVAILABLE", async () => {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await withServer(async (c) => {
    await held;
    return embeddingsResponse(c.body.input, 3);
  }, async (base) => {
    try {
      const e = await createEmbedder(cfg(base, { timeout_ms: 100 }));
      const t0 = performance.now();
      await rejects(e.embed(["hello"]), "UNAVAILABLE", /did not answer within 100 ms/);
      assert.ok(performance.now() - t0 < 5000);
    } finally {
      release(); // let the handler finish so the server can shut down
    }
  });
});

Deno.test("openai: an endpoint that is not listening is UNAVAILABLE", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(),
  );
  const port = server.addr.port;
  await server.shutdown();
  const e = createEmbedder(cfg(`http://127.0.0.1:${port}/v1`, { dim: undefined }));
  await rejects(e, "UNAVAILABLE", /could not be reached/);
});

Deno.test("openai: config errors are INVALID_CONFIG with a path", async () => {
  const cases: [Partial<EmbedderConfig>, string][] = [
    [{ model: "" }, "model"],
    [{ model: undefined }, "model"],
    [{ base_url: "not a url" }, "base_url"],
    [{ base_url: "ftp://example.com/v1" }, "base_url"],
    [{ batch_size: 0 }, "batch_size"],
    [{ timeout_ms: -1 }, "timeout_ms"],
    [{ dim: 1.5 }, "dim"],
  ];
  for (const [extra, key] of cases) {
    await assert.rejects(createEmbedder(cfg("http://127.0.0.1:9/v1", extra)), (e: unknown) => {
      assert.ok(e instanceof MemoryossError);
      assert.equal(e.code, "INVALID_CONFIG");
      assert.deepEqual(e.path, ["embeddings", key]);
      return true;
    });
  }
});
