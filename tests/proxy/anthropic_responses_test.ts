/** Anthropic messages and OpenAI Responses through the proxy, JSON and SSE. */
import assert from "node:assert/strict";
import { zstdCompressSync } from "node:zlib";
import {
  memoriesWith,
  PROXY_KEY,
  splitEvery,
  sseResponse,
  UPSTREAM_KEY,
  withProxy,
} from "./_support.ts";

const FACT = "The billing service deploys with the blue-green pipeline on Fridays only.";
const ASK = "how does the billing service deploy?";
const TEACH = "We decided to keep the ledger service on Postgres 16 until the audit ends.";

async function anthropicPost(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/anthropic/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": PROXY_KEY, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { res, text: await res.text() };
}

function anthropicSse(words: string[]): string {
  const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  return [
    ev("message_start", { type: "message_start", message: { id: "msg_1", content: [] } }),
    ev("content_block_start", { type: "content_block_start", index: 0 }),
    ...words.map((w) =>
      ev("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: w },
      })
    ),
    ev("content_block_stop", { type: "content_block_stop", index: 0 }),
    ev("message_stop", { type: "message_stop" }),
  ].join("");
}

Deno.test("anthropic JSON: memory goes into the top-level system string", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    const { res, text } = await anthropicPost(env.url, {
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: ASK }] }],
    });
    assert.equal(res.status, 200, text);
    assert.equal(res.headers.get("x-memory-injected-count"), "1");
    const got = env.received[0];
    assert.equal(got.path, "/v1/messages");
    assert.equal(got.headers.get("x-api-key"), UPSTREAM_KEY);
    assert.equal(got.headers.get("anthropic-version"), "2023-06-01");
    assert.ok(got.body.system.startsWith("Be brief.\n\n<memory_context>\n"), got.body.system);
    assert.ok(got.body.system.includes(FACT));
  }, {
    responder: () =>
      Response.json({ type: "message", content: [{ type: "text", text: "Fridays." }] }),
  });
});

Deno.test("anthropic: system blocks get a text block; /v1/v1 alias; bad key is refused", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    const body = {
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: ASK }],
    };
    const res = await fetch(`${env.url}/anthropic/v1/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": PROXY_KEY, "anthropic-version": "2024-01-01" },
      body: JSON.stringify(body),
    });
    await res.body?.cancel();
    assert.equal(res.status, 200);
    const sys = env.received[0].body.system;
    assert.equal(sys.length, 2);
    assert.deepEqual(sys[0], body.system[0]);
    assert.equal(sys[1].type, "text");
    assert.ok(sys[1].text.startsWith("<memory_context>"));
    assert.equal(env.received[0].headers.get("anthropic-version"), "2024-01-01");
    const bad = await anthropicPost(env.url, body, { "x-api-key": "sk-ant-unknown" });
    assert.equal(bad.res.status, 401);
    assert.equal(JSON.parse(bad.text).type, "error");
    assert.equal(env.received.length, 1);
  }, { responder: () => Response.json({ type: "message", content: [] }) });
});

Deno.test("anthropic SSE: split events stream unchanged, message_stop triggers extraction", async () => {
  await withProxy(async (env) => {
    const sse = anthropicSse(["Got ", "it."]);
    env.respond(() => sseResponse(splitEvery(sse, 11)));
    const { res, text } = await anthropicPost(env.url, {
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      stream: true,
      messages: [{ role: "user", content: TEACH }],
    });
    assert.equal(res.status, 200);
    assert.equal(text, sse);
    await env.settle();
    const c = memoriesWith(env.rt, "candidate");
    assert.deepEqual(c.map((m) => m.content), [TEACH]);
  });
});

Deno.test("responses JSON: memory goes into instructions; string input is the query", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    const res = await fetch(`${env.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}` },
      body: JSON.stringify({ model: "gpt-5", input: ASK }),
    });
    const j = await res.json();
    assert.equal(j.output_text, "Fridays.");
    assert.equal(res.headers.get("x-memory-injected-count"), "1");
    const got = env.received[0];
    assert.equal(got.path, "/v1/responses");
    assert.equal(got.body.input, ASK);
    assert.ok(got.body.instructions.startsWith("<memory_context>\n"));
    await fetch(`${env.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}` },
      body: JSON.stringify({
        model: "gpt-5",
        instructions: "Answer in French.",
        input: [{ role: "user", content: [{ type: "input_text", text: ASK }] }],
      }),
    }).then((r) => r.body?.cancel());
    const second = env.received[1].body.instructions;
    assert.ok(second.startsWith("Answer in French.\n\n<memory_context>"), second);
  }, { responder: () => Response.json({ id: "resp_1", output_text: "Fridays." }) });
});

Deno.test("responses SSE: stream unchanged, response.completed triggers extraction", async () => {
  await withProxy(async (env) => {
    const ev = (data: Record<string, unknown>) =>
      `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    const sse = ev({ type: "response.created", response: { id: "r1" } }) +
      ev({ type: "response.output_text.delta", delta: "Noted." }) +
      ev({ type: "response.completed", response: { id: "r1" } });
    env.respond(() => sseResponse(splitEvery(sse, 13)));
    const res = await fetch(`${env.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}` },
      body: JSON.stringify({ model: "gpt-5", stream: true, input: TEACH }),
    });
    assert.equal(await res.text(), sse);
    await env.settle();
    assert.deepEqual(memoriesWith(env.rt, "candidate").map((m) => m.content), [TEACH]);
  });
});

Deno.test("responses: a zstd-compressed body (Codex) is decoded and injected", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    const body = zstdCompressSync(JSON.stringify({ model: "gpt-5", input: ASK }));
    const res = await fetch(`${env.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}`, "content-type": "application/json" },
      body: new Uint8Array(body),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(res.headers.get("x-memory-injected-count"), "1");
    assert.equal(env.received[0].body.input, ASK);
    const bad = await fetch(`${env.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}` },
      body: new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]),
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  }, { responder: () => Response.json({ id: "resp_1", output_text: "ok" }) });
});
