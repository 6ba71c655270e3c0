/**
 * Reconciliation by a chat model, against a fake OpenAI-compatible server on 127.0.0.1 that
 * speaks the non-streaming /v1/chat/completions JSON shape: valid answers, invalid JSON, an
 * unknown target id and slow answers (timeout) — each retried once, then the rules decide.
 */
import assert from "node:assert/strict";
import { enqueueRemember } from "../../lib/memory/remember.ts";
import { drain } from "../../lib/memory/drain.ts";
import { storeMemory } from "../../lib/memory/write_input.ts";
import { parseLlmDecision, reconcilePrompt } from "../../lib/memory/reconcile_llm.ts";
import { showHistory } from "../../lib/portable/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { cliWith } from "../cli/_helpers.ts";

type Reply = { content?: string; delayMs?: number; raw?: string; status?: number };

/**
 * A fake chat server answering reconciliation questions from a script (the last reply
 * repeats). The drain's causal-link questions (tests/graph/llm_causal_test.ts) get no links
 * and are neither scripted nor counted; nor are its canonical-rewrite questions
 * (tests/llm/drain_canonical_test.ts), whose unusable answer keeps each note as written.
 */
function fakeLlm(script: Reply[]) {
  const requests: { body: Record<string, unknown>; auth: string | null; path: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    if (/cause-and-effect|canonical form/.test(body.messages?.[0]?.content ?? "")) {
      return Response.json({ choices: [{ message: { content: '{"links":[]}' } }] });
    }
    requests.push({
      body,
      auth: req.headers.get("authorization"),
      path: new URL(req.url).pathname,
    });
    const r = script[Math.min(requests.length - 1, script.length - 1)];
    if (r.delayMs) await new Promise((ok) => setTimeout(ok, r.delayMs));
    if (r.raw !== undefined) return new Response(r.raw, { status: r.status ?? 200 });
    return Response.json({
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{
        index: 0,
        message: { role: "assistant", content: r.content },
        finish_reason: "stop",
      }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  });
  const base = `http://127.0.0.1:${server.addr.port}/v1`;
  return { server, base, requests };
}

const settings = (base: string, timeoutMs = 2000) => ({
  baseUrl: base,
  model: "fake-model",
  apiKey: "sk-test",
  timeoutMs,
});

const OLD = "The API server listens on port 8080";
const FACT = "The API server listens on port 9090";

async function oneItem(script: Reply[], timeoutMs = 2000) {
  const t = await tempRuntime();
  const llm = fakeLlm(script);
  const old = await storeMemory(t.rt, { content: OLD, namespace: "llm" });
  const q = enqueueRemember(t.rt.store, t.rt.config, { content: FACT, namespace: "llm" });
  const s = await drain(t.rt, { worker: "test", llm: settings(llm.base, timeoutMs) });
  const row = t.rt.store.db.prepare("SELECT result FROM remember_queue WHERE id = ?")
    .get(q.queue_id) as { result: string };
  const dec = t.rt.store.db.prepare("SELECT * FROM remember_decisions WHERE queue_id = ?")
    .get(q.queue_id) as { action: string; reason: string; target_id: string | null };
  return {
    t,
    llm,
    old,
    s,
    result: JSON.parse(row.result),
    dec,
    async [Symbol.asyncDispose]() {
      await llm.server.shutdown();
      await t[Symbol.asyncDispose]();
    },
  };
}

Deno.test("llm reconcile: a valid UPDATE decision is applied and recorded with source llm", async () => {
  await using r = await oneItem([{
    content: JSON.stringify({ decision: "update", target_id: "0", reason: "the port moved" }),
  }]);
  assert.equal(r.llm.requests.length, 1);
  const req = r.llm.requests[0];
  assert.equal(req.path, "/v1/chat/completions");
  assert.equal(req.auth, "Bearer sk-test");
  assert.equal(req.body.model, "fake-model");
  assert.equal(req.body.stream, false);
  const user = (req.body.messages as { content: string }[])[1].content;
  assert.match(user, /\[0\] The API server listens on port 8080/);
  assert.doesNotMatch(user, new RegExp(r.old.id), "real ids are never shown to the model");
  assert.equal(r.result.action, "UPDATE");
  assert.equal(r.result.source, "llm");
  assert.equal(r.result.target_id, r.old.id);
  assert.equal(r.dec.reason, "llm: the port moved");
  assert.deepEqual(r.s.sources, { llm: 1, rules: 0, fallback: 0 });
  assert.equal(r.t.rt.store.getById(r.old.id)!.record.superseded_by, r.result.memory_id);
  const h = showHistory(r.t.rt, r.result.memory_id);
  assert.equal(h.decisions.length, 1);
  assert.equal(h.decisions[0].source, "llm");
  assert.equal(h.decisions[0].reason, "the port moved");
});

Deno.test("llm reconcile: invalid JSON then a valid answer: retried once, llm wins", async () => {
  await using r = await oneItem([
    { content: "Sure! I think you should add it." },
    { content: '```json\n{"decision":"ADD","reason":"unrelated to the port"}\n```' },
  ]);
  assert.equal(r.llm.requests.length, 2);
  assert.equal(r.result.action, "ADD");
  assert.equal(r.result.source, "llm");
  assert.equal(r.dec.reason, "llm: unrelated to the port");
});

Deno.test("llm reconcile: an unknown target id twice falls back to the rules", async () => {
  await using r = await oneItem([{
    content: JSON.stringify({ decision: "DELETE", target_id: "7", reason: "contradiction" }),
  }]);
  assert.equal(r.llm.requests.length, 2);
  assert.equal(r.result.source, "fallback");
  assert.equal(r.result.action, "UPDATE", "the rules see a changed port");
  assert.match(r.result.reason, /LLM failed 2×: unknown target_id "7"/);
  assert.match(r.dec.reason, /^fallback: value change: 8080 → 9090/);
  assert.equal(r.t.rt.store.getById(r.old.id)!.record.archived, true);
});

Deno.test("llm reconcile: slow answers time out, retried once, then the rules decide", async () => {
  const t0 = performance.now();
  await using r = await oneItem(
    [{ content: '{"decision":"ADD","reason":"x"}', delayMs: 600 }],
    150,
  );
  assert.equal(r.llm.requests.length, 2);
  assert.equal(r.result.source, "fallback");
  assert.match(r.result.reason, /did not answer within 150 ms/);
  assert.ok(performance.now() - t0 < 5000);
});

Deno.test("llm reconcile: HTTP errors and non-chat bodies fall back", async () => {
  await using r = await oneItem([{ raw: '{"error":{"message":"overloaded"}}', status: 503 }]);
  assert.equal(r.result.source, "fallback");
  assert.match(r.result.reason, /HTTP 503/);
});

Deno.test("llm reconcile: no neighbours and identical text never call the model", async () => {
  await using t = await tempRuntime();
  const llm = fakeLlm([{ content: '{"decision":"NONE","target_id":"0","reason":"x"}' }]);
  try {
    enqueueRemember(t.rt.store, t.rt.config, { content: FACT });
    enqueueRemember(t.rt.store, t.rt.config, { content: FACT });
    const s = await drain(t.rt, { worker: "test", llm: settings(llm.base) });
    assert.deepEqual(s.sources, { llm: 0, rules: 2, fallback: 0 });
    assert.deepEqual(s.actions, { ADD: 1, UPDATE: 0, DELETE: 0, NONE: 1 });
    assert.equal(llm.requests.length, 0);
  } finally {
    await llm.server.shutdown();
  }
});

Deno.test("llm reconcile: answer validation (pure)", () => {
  const ns = [{ id: "m-1", content: "a b c", content_hash: "h", similarity: 0.7 }];
  assert.equal(reconcilePrompt("new", ns)[1].content.includes("[0] a b c"), true);
  assert.deepEqual(parseLlmDecision('{"decision":"NONE","target_id":0,"reason":"same"}', ns), {
    action: "NONE",
    target_id: "m-1",
    similarity: 0.7,
    reason: "same",
  });
  assert.equal(
    parseLlmDecision('{"decision":"UPDATE","target_id":"[0]","reason":"r"}', ns).target_id,
    "m-1",
  );
  for (
    const bad of [
      '{"decision":"MERGE","target_id":"0","reason":"r"}',
      '{"decision":"UPDATE","reason":"r"}',
      '{"decision":"UPDATE","target_id":"0"}',
      '{"decision":"UPDATE","target_id":"1","reason":"r"}',
      "not json",
    ]
  ) assert.throws(() => parseLlmDecision(bad, ns), /./, bad);
});

Deno.test("llm reconcile: [llm] config drives `drain` and `history show` prints the source", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-llm-" });
  const llm = fakeLlm([{
    content: JSON.stringify({ decision: "UPDATE", target_id: "0", reason: "port changed" }),
  }]);
  try {
    await Deno.writeTextFile(
      `${home}/memoryoss.toml`,
      `[llm]\nenabled = true\nbase_url = "${llm.base}"\nmodel = "m"\napi_key_env = "TEST_LLM_KEY"\ntimeout_ms = 3000\n`,
    );
    const env = { TEST_LLM_KEY: "sk-from-env" };
    assert.equal((await cliWith(home, { env }, "store", "-n", "p", OLD)).code, 0);
    const q = await cliWith(
      home,
      { env },
      "remember",
      "-n",
      "p",
      "The API server listens on port 9090",
    );
    assert.equal(q.code, 0, q.stderr);
    const d = await cliWith(home, { env }, "drain", "--json");
    assert.equal(d.code, 0, d.stderr);
    assert.deepEqual(d.json().sources, { llm: 1, rules: 0, fallback: 0 });
    assert.equal(llm.requests[0].auth, "Bearer sk-from-env");
    const list = (await cliWith(home, {}, "list", "-n", "p", "--json")).json();
    const id = list.memories[0].id;
    const h = await cliWith(home, {}, "history", "show", id);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /reconciliation:\n.*UPDATE \(llm\) → .* port changed/);
    const hj = (await cliWith(home, {}, "history", "show", id, "--json")).json();
    assert.equal(hj.decisions[0].source, "llm");
  } finally {
    await llm.server.shutdown();
    await Deno.remove(home, { recursive: true });
  }
});
