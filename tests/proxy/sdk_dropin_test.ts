/**
 * memoryOSS's drop-in URLs (issue 19, item 2): the official `openai` and `@anthropic-ai/sdk`
 * clients, pointed unchanged at the server's own `http://127.0.0.1:PORT/v1`, talk to a fake
 * upstream through the proxy (JSON and streaming), while the memory API keeps its paths.
 * The SDKs are test-only dependencies, pinned here and not in deno.json's import map.
 */
import assert from "node:assert/strict";
// Test-only clients, pinned here so they stay out of the runtime import map (deno.json).
// deno-lint-ignore no-import-prefix
import OpenAI from "npm:openai@7.60.0";
// deno-lint-ignore no-import-prefix
import Anthropic from "npm:@anthropic-ai/sdk@1.17.0";
import { storeMemories, validateStoreInput } from "../../lib/memory/mod.ts";
import { request, type TestServer, withServer } from "../server/_api_support.ts";
import { type Json, PROXY_KEY, splitEvery, sseResponse, UPSTREAM_KEY } from "./_support.ts";

const FACT = "The billing service deploys with the blue-green pipeline on Fridays only.";
const ASK = "how does the billing service deploy?";

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: Json;
}

/** A fake OpenAI + Anthropic upstream speaking their wire formats, recording each request. */
function fakeUpstream(seen: Seen[]): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const text = await req.text();
    const body = text ? JSON.parse(text) : null;
    const path = new URL(req.url).pathname;
    seen.push({ method: req.method, path, headers: req.headers, body });
    const sse = (events: string[]) => sseResponse(splitEvery(events.join(""), 17));
    const data = (o: unknown, event?: string) =>
      `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(o)}\n\n`;
    switch (path) {
      case "/v1/chat/completions":
        if (body.stream) {
          return sse([
            ...["Blue", "-green", " on Fridays."].map((w) =>
              data({
                id: "c1",
                object: "chat.completion.chunk",
                created: 0,
                model: body.model,
                choices: [{ index: 0, delta: { content: w }, finish_reason: null }],
              })
            ),
            "data: [DONE]\n\n",
          ]);
        }
        return Response.json({
          id: "c1",
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [{
            index: 0,
            message: { role: "assistant", content: "Blue-green on Fridays." },
            finish_reason: "stop",
          }],
        });
      case "/v1/responses": {
        const done = responseObject("Fridays only.");
        if (!body.stream) return Response.json(done);
        return sse([
          data({ type: "response.created", sequence_number: 0, response: responseObject("") }),
          data({
            type: "response.output_text.delta",
            sequence_number: 1,
            delta: "Fridays",
            item_id: "m1",
            output_index: 0,
            content_index: 0,
          }, "response.output_text.delta"),
          data({
            type: "response.output_text.delta",
            sequence_number: 2,
            delta: " only.",
            item_id: "m1",
            output_index: 0,
            content_index: 0,
          }, "response.output_text.delta"),
          data(
            { type: "response.completed", sequence_number: 3, response: done },
            "response.completed",
          ),
        ]);
      }
      case "/v1/models":
        return Response.json({
          object: "list",
          data: [{ id: "gpt-4o", object: "model", created: 0, owned_by: "openai" }],
        });
      case "/v1/embeddings":
        return Response.json({
          object: "list",
          data: [{ object: "embedding", index: 0, embedding: [0.25, -0.5] }],
          model: body.model,
          usage: { prompt_tokens: 2, total_tokens: 2 },
        });
      case "/v1/messages":
        return body.stream ? sse(anthropicEvents(body.model, data)) : Response.json({
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: body.model,
          content: [{ type: "text", text: "Blue-green on Fridays." }],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 5 },
        });
    }
    return Response.json({ error: { message: `fake: no ${path}` } }, { status: 404 });
  });
}

function responseObject(text: string): Json {
  return {
    id: "resp_1",
    object: "response",
    created_at: 0,
    status: text ? "completed" : "in_progress",
    model: "gpt-4o",
    output: text
      ? [{
        type: "message",
        id: "m1",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      }]
      : [],
  };
}

function anthropicEvents(model: string, data: (o: unknown, e?: string) => string): string[] {
  const ev = (type: string, o: Json) => data({ type, ...o }, type);
  return [
    ev("message_start", {
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 0 },
      },
    }),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Blue-green" } }),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: " on Fridays." } }),
    ev("content_block_stop", { index: 0 }),
    ev("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 5 },
    }),
    ev("message_stop", {}),
  ];
}

/** A full server (memory API + proxy on one port) over the fake upstream, one memory seeded. */
async function withDropIn(
  fn: (s: TestServer, seen: Seen[]) => Promise<void>,
  extra = "",
): Promise<void> {
  const seen: Seen[] = [];
  const up = fakeUpstream(seen);
  const base = `http://127.0.0.1:${up.addr.port}`;
  const config = `[proxy]
enabled = true
upstream_url = "${base}/v1"
anthropic_upstream_url = "${base}/v1/messages"
key_mapping = [{ proxy_key = "${PROXY_KEY}", upstream_key = "${UPSTREAM_KEY}" }]
${extra}`;
  try {
    await withServer(async (s) => {
      await storeMemories(s.rt, [validateStoreInput(s.rt, { content: FACT })]);
      await fn(s, seen);
    }, { config });
  } finally {
    await up.shutdown();
  }
}

const openai = (s: TestServer) =>
  new OpenAI({ apiKey: PROXY_KEY, baseURL: `${s.url}/v1`, maxRetries: 0 });

Deno.test("openai SDK at /v1: chat completions JSON and stream, with memory", async () => {
  await withDropIn(async (s, seen) => {
    const { data, response } = await openai(s).chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: ASK }],
    }).withResponse();
    assert.equal(data.choices[0].message.content, "Blue-green on Fridays.");
    assert.equal(response.headers.get("x-memory-gate-decision"), "inject");
    assert.equal(seen[0].path, "/v1/chat/completions");
    assert.equal(seen[0].headers.get("authorization"), `Bearer ${UPSTREAM_KEY}`);
    assert.ok(JSON.stringify(seen[0].body.messages).includes(FACT), "memory injected");

    const stream = await openai(s).chat.completions.create({
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: ASK }],
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    assert.equal(text, "Blue-green on Fridays.");
    assert.equal(seen[1].body.stream, true);
  });
});

Deno.test("openai SDK at /v1: responses JSON and stream, models, embeddings passthrough", async () => {
  await withDropIn(async (s, seen) => {
    const client = openai(s);
    const r = await client.responses.create({ model: "gpt-4o", input: ASK });
    assert.equal(r.output_text, "Fridays only.");
    assert.equal(seen.at(-1)!.path, "/v1/responses");

    const stream = await client.responses.create({ model: "gpt-4o", input: ASK, stream: true });
    let text = "";
    let completed = false;
    for await (const ev of stream) {
      if (ev.type === "response.output_text.delta") text += ev.delta;
      if (ev.type === "response.completed") completed = true;
    }
    assert.equal(text, "Fridays only.");
    assert.ok(completed);

    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.deepEqual(ids, ["gpt-4o"]);

    const e = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: "hello",
      encoding_format: "float",
    });
    assert.deepEqual(e.data[0].embedding, [0.25, -0.5]);
    const emb = seen.at(-1)!;
    assert.equal(emb.path, "/v1/embeddings");
    assert.equal(emb.headers.get("authorization"), `Bearer ${UPSTREAM_KEY}`);
  });
});

Deno.test("anthropic SDK: messages JSON and stream at the root and at /v1", async () => {
  await withDropIn(async (s, seen) => {
    // ANTHROPIC_BASE_URL=http://127.0.0.1:PORT, and the same with /v1 (the SDK appends /v1).
    for (const baseURL of [s.url, `${s.url}/v1`]) {
      const client = new Anthropic({ apiKey: PROXY_KEY, baseURL, maxRetries: 0 });
      const msg = await client.messages.create({
        model: "claude-sonnet-4-5",
        max_tokens: 64,
        messages: [{ role: "user", content: ASK }],
      });
      assert.deepEqual(msg.content, [{ type: "text", text: "Blue-green on Fridays." }]);
      const got = seen.at(-1)!;
      assert.equal(got.path, "/v1/messages");
      assert.equal(got.headers.get("x-api-key"), UPSTREAM_KEY);
      assert.ok(JSON.stringify(got.body.system ?? "").includes(FACT), "memory injected");

      const stream = client.messages.stream({
        model: "claude-sonnet-4-5",
        max_tokens: 64,
        messages: [{ role: "user", content: ASK }],
      });
      assert.equal(await stream.finalText(), "Blue-green on Fridays.");
    }
  });
});

Deno.test("drop-in: memory routes win, /proxy stays an alias, our keys never go upstream", async () => {
  await withDropIn(async (s, seen) => {
    // A memory route with the proxy key: the memory API answers (401), nothing goes upstream.
    const mem = await request(`${s.url}/v1/memories`, "GET", { key: PROXY_KEY });
    assert.equal(mem.status, 401, mem.text);
    const recall = await request(`${s.url}/v1/recall`, "POST", {
      key: s.admin,
      body: { query: ASK },
    });
    assert.equal(recall.status, 200, recall.text);
    assert.equal(recall.json.memories[0].memory.content, FACT);
    // A family of ours with a method it lacks stays ours.
    assert.equal((await request(`${s.url}/v1/store`, "GET", { key: PROXY_KEY })).status, 401);
    assert.equal((await request(`${s.url}/v1/store`, "GET", { key: s.admin })).status, 404);
    // A memoryoss API key on an unknown path is not forwarded, even with passthrough on.
    const typo = await request(`${s.url}/v1/recal`, "POST", { key: s.admin, body: {} });
    assert.equal(typo.status, 404, typo.text);
    assert.equal(seen.length, 0, "nothing reached the upstream");
    // The /proxy alias.
    const alias = await request(`${s.url}/proxy/v1/chat/completions`, "POST", {
      key: PROXY_KEY,
      body: { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] },
    });
    assert.equal(alias.status, 200, alias.text);
    assert.equal(seen[0].path, "/v1/chat/completions");
    // An unmapped, non-memoryoss key on loopback with passthrough: forwarded as given.
    const other = await request(`${s.url}/v1/embeddings`, "POST", {
      key: "sk-client-own-key",
      body: { model: "m", input: "x" },
    });
    assert.equal(other.status, 200, other.text);
    assert.equal(seen[1].headers.get("authorization"), "Bearer sk-client-own-key");
  }, "passthrough_auth = true\n");
});

Deno.test("drop-in: with the proxy off, /v1/chat/completions says so; memory API unchanged", async () => {
  await withServer(async (s) => {
    const r = await request(`${s.url}/v1/chat/completions`, "POST", { key: s.admin, body: {} });
    assert.equal(r.status, 404);
    assert.match(r.json.error.message, /proxy is disabled/);
    const other = await request(`${s.url}/v1/embeddings`, "POST", { body: {} });
    assert.equal(other.status, 401, "not a proxy path when the proxy is off");
  });
});
