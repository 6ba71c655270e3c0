/** Fail-open recall, memory modes, auth and the small routes of the proxy. */
import assert from "node:assert/strict";
import { post, PROXY_KEY, withProxy } from "./_support.ts";
import type { Candidate } from "../../lib/proxy/mod.ts";

const FACT = "The billing service deploys with the blue-green pipeline on Fridays only.";
const ASK = "how does the billing service deploy?";
const ok = () => Response.json({ choices: [{ message: { role: "assistant", content: "ok" } }] });
const chat = (content = ASK) => ({ model: "gpt-4o", messages: [{ role: "user", content }] });

Deno.test("proxy fail-open: a throwing recall forwards the request unchanged", async () => {
  await withProxy(async (env) => {
    const r = await post(`${env.url}/v1/chat/completions`, chat());
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-memory-fail-open"), "recall_error");
    assert.equal(r.headers.get("x-memory-injected-count"), "0");
    assert.deepEqual(env.received[0].body, chat());
    assert.equal(env.stats.fail_open, 1);
    assert.ok(env.logs.some((l) => l.includes("recall_error")));
  }, {
    responder: ok,
    recall: () => Promise.reject(new Error("index exploded")),
  });
});

Deno.test("proxy fail-open: a recall slower than the budget is skipped", async () => {
  const late: Candidate[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  await withProxy(async (env) => {
    const t0 = performance.now();
    const r = await post(`${env.url}/v1/chat/completions`, chat());
    // The recall answers after 2 s: the request must not have waited for it.
    assert.ok(performance.now() - t0 < 1800);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-memory-fail-open"), "recall_timeout");
    assert.deepEqual(env.received[0].body, chat());
    clearTimeout(timer);
  }, {
    config: "recall_timeout_ms = 50",
    responder: ok,
    recall: () => new Promise((res) => timer = setTimeout(() => res(late), 2000)),
  });
});

Deno.test("proxy modes: off skips recall, readonly recalls but never extracts", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    env.respond(ok);
    const off = await post(`${env.url}/v1/chat/completions`, chat(), { "x-memory-mode": "none" });
    assert.equal(off.headers.get("x-memory-mode"), "off");
    assert.equal(off.headers.get("x-memory-injected-count"), "0");
    assert.deepEqual(env.received[0].body, chat());
    const bypass = await post(`${env.url}/v1/chat/completions`, chat(), { "x-memory-bypass": "1" });
    assert.equal(bypass.headers.get("x-memory-mode"), "off");

    const text = `${ASK}\nWe decided to move the ledger to Postgres 16.`;
    const ro = await post(`${env.url}/v1/chat/completions`, chat(text), { "x-memory-mode": "ro" });
    assert.equal(ro.headers.get("x-memory-mode"), "readonly");
    await env.settle();
    assert.equal(env.extractor.stats().enqueued, 0);

    const full = await post(`${env.url}/v1/chat/completions`, chat(text));
    assert.equal(full.headers.get("x-memory-mode"), "full");
    await env.settle();
    assert.equal(env.extractor.stats().stored, 1);
  });
});

Deno.test("proxy modes: after drops memories created before the cutoff", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    env.respond(ok);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const h = { "x-memory-mode": "after", "x-memory-after": tomorrow };
    const r = await post(`${env.url}/v1/chat/completions`, chat(), h);
    assert.equal(r.headers.get("x-memory-mode"), "after");
    assert.equal(r.headers.get("x-memory-injected-count"), "0");
    const old = { "x-memory-mode": "after", "x-memory-after": "2020-01-01T00:00:00Z" };
    const all = await post(`${env.url}/v1/chat/completions`, chat(), old);
    assert.equal(all.headers.get("x-memory-injected-count"), "1");
  });
});

Deno.test("proxy modes: client headers are ignored when client control is off", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    env.respond(ok);
    const r = await post(`${env.url}/v1/chat/completions`, chat(), { "x-memory-mode": "full" });
    assert.equal(r.headers.get("x-memory-mode"), "off");
    assert.equal(r.headers.get("x-memory-injected-count"), "0");
  }, { config: 'allow_client_memory_control = false\ndefault_memory_mode = "off"' });
});

Deno.test("proxy auth: unknown keys are refused, no upstream call", async () => {
  await withProxy(async (env) => {
    const r = await post(`${env.url}/v1/chat/completions`, chat(), {
      authorization: "Bearer sk-someone-else",
    });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.type, "authentication_error");
    const none = await fetch(`${env.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    assert.equal(none.status, 401);
    await none.body?.cancel();
    assert.equal(env.received.length, 0);
  }, { responder: ok });
});

Deno.test("proxy auth: loopback passthrough forwards the client's own key", async () => {
  await withProxy(async (env) => {
    const r = await post(`${env.url}/v1/chat/completions`, chat(), {
      authorization: "Bearer sk-client-own-key",
    });
    assert.equal(r.status, 200);
    assert.equal(env.received[0].headers.get("authorization"), "Bearer sk-client-own-key");
  }, { responder: ok, config: "passthrough_auth = true" });
});

Deno.test("proxy: bad bodies get OpenAI-style 400s; upstream down gives 502", async () => {
  await withProxy(async (env) => {
    const bad = await post(`${env.url}/v1/chat/completions`, { model: "x" });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.type, "invalid_request_error");
    const res = await fetch(`${env.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}` },
      body: "{not json",
    });
    assert.equal(res.status, 400);
    await res.body?.cancel();
  }, { responder: ok });
  await withProxy(async (env) => {
    const r = await post(`${env.url}/v1/chat/completions`, chat());
    assert.equal(r.status, 502);
    assert.equal(r.json.error.type, "upstream_error");
  }, { upstreamUrl: "http://127.0.0.1:9/v1" });
});

Deno.test("proxy models adds `models`; debug stats need a key", async () => {
  await withProxy(async (env) => {
    const res = await fetch(`${env.url}/v1/models`, {
      headers: { authorization: `Bearer ${PROXY_KEY}` },
    });
    const j = await res.json();
    assert.deepEqual(j.models, [{ id: "gpt-4o" }]);
    assert.deepEqual(j.data, [{ id: "gpt-4o" }]);
    assert.equal(env.received[0].path, "/v1/models");
    const s = await fetch(`${env.url}/v1/debug/stats`, {
      headers: { authorization: `Bearer ${PROXY_KEY}` },
    });
    assert.equal((await s.json()).memory_coprocessor, "local_heuristic");
    const anon = await fetch(`${env.url}/v1/debug/stats`);
    assert.equal(anon.status, 401);
    await anon.body?.cancel();
  }, { responder: () => Response.json({ object: "list", data: [{ id: "gpt-4o" }] }) });
});

Deno.test("proxy passthrough: other /v1/ paths go upstream without memory; bad paths refused", async () => {
  await withProxy(async (env) => {
    const res = await fetch(`${env.url}/v1/embeddings?x=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "text-embedding-3-small", input: "hi" }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: [] });
    assert.equal(env.received[0].path, "/v1/embeddings");
    assert.equal(env.received[0].body.input, "hi");
    for (const p of ["/v1/a%2F%2E%2E%2Fb", "/v1/a//b"]) {
      const bad = await fetch(`${env.url}${p}`, {
        headers: { authorization: `Bearer ${PROXY_KEY}` },
      });
      assert.equal(bad.status, 400, p);
      await bad.body?.cancel();
    }
    const anon = await fetch(`${env.url}/v1/embeddings`, { method: "POST", body: "{}" });
    assert.equal(anon.status, 401);
    await anon.body?.cancel();
    assert.equal(env.received.length, 1);
  }, { responder: () => Response.json({ data: [] }) });
});
