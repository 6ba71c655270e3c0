/** OpenAI chat completions through the proxy: JSON and SSE against a recording fake upstream. */
import assert from "node:assert/strict";
import {
  memoriesWith,
  post,
  PROXY_KEY,
  splitEvery,
  sseResponse,
  UPSTREAM_KEY,
  withProxy,
} from "./_support.ts";

const FACT = "The billing service deploys with the blue-green pipeline on Fridays only.";
const ASK = "how does the billing service deploy?";

const chatJson = (content: string) =>
  Response.json({
    id: "chatcmpl-1",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  }, { headers: { "x-request-id": "up-1", "x-ratelimit-remaining-requests": "99" } });

function chatSse(words: string[], done = true): string {
  const lines = words.map((w) =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: w } }] })}\n\n`
  );
  return lines.join("") + (done ? "data: [DONE]\n\n" : "");
}

Deno.test("proxy chat JSON: recalled memory is injected into the system message", async () => {
  await withProxy(async (env) => {
    const id = await env.seed(FACT);
    env.respond(() => chatJson("Blue-green on Fridays."));
    const r = await post(`${env.url}/v1/chat/completions`, {
      model: "gpt-4o",
      messages: [{ role: "system", content: "You are terse." }, { role: "user", content: ASK }],
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.choices[0].message.content, "Blue-green on Fridays.");
    assert.equal(r.headers.get("x-memory-injected-count"), "1");
    assert.equal(r.headers.get("x-memory-gate-decision"), "inject");
    assert.equal(r.headers.get("x-ratelimit-remaining-requests"), "99");
    assert.equal(r.headers.get("x-upstream-request-id"), "up-1");
    const got = env.received[0];
    assert.equal(got.path, "/v1/chat/completions");
    assert.equal(got.headers.get("authorization"), `Bearer ${UPSTREAM_KEY}`);
    const sys = got.body.messages[0];
    assert.equal(sys.role, "system");
    // A deploy question: memoryOSS's <task_state> form (§3.5), byte for byte.
    assert.equal(
      sys.content,
      "You are terse.\n\n<memory_context>\n" +
        '<task_state kind="deploy">\n' +
        "<goal>Compile the minimum safe deployment state for this task.</goal>\n" +
        `<recent_actions>\n<recent_action>${FACT}</recent_action>\n</recent_actions>\n` +
        "<open_questions>\n<question>Missing deploy state: confirm the blocking rollout rule " +
        "or latest rollout action.</question>\n</open_questions>\n" +
        `<evidence>\n<item>${FACT}</item>\n</evidence>\n` +
        "</task_state>\n</memory_context>\n",
    );
    assert.deepEqual(got.body.messages[1], { role: "user", content: ASK });
    assert.equal(got.body.messages.length, 2);
    await env.settle();
    const rec = env.rt.store.getById(id)!.record;
    assert.equal(rec.injection_count, 1);
    assert.ok(rec.last_injected_at);
    assert.equal(rec.version, 1);
  });
});

Deno.test("proxy chat: array system content gets a text part; no system adds one", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    env.respond(() => chatJson("ok"));
    await post(`${env.url}/v1/chat/completions`, {
      model: "gpt-4o",
      messages: [
        { role: "system", content: [{ type: "text", text: "Be kind." }] },
        { role: "user", content: [{ type: "text", text: ASK }] },
      ],
    });
    const parts = env.received[0].body.messages[0].content;
    assert.equal(parts.length, 2);
    assert.deepEqual(parts[0], { type: "text", text: "Be kind." });
    assert.ok(parts[1].text.startsWith("<memory_context>\n"), parts[1].text);
    await post(`${env.url}/v1/chat/completions`, {
      model: "gpt-4o",
      messages: [{ role: "user", content: ASK }],
    });
    const msgs = env.received[1].body.messages;
    assert.equal(msgs.length, 2);
    assert.equal(msgs[0].role, "system");
    assert.ok(msgs[0].content.startsWith("<memory_context>\n"));
  });
});

Deno.test("proxy chat: weak evidence abstains and forwards the body unchanged", async () => {
  await withProxy(async (env) => {
    await env.seed(FACT);
    env.respond(() => chatJson("ha"));
    const body = { model: "gpt-4o", messages: [{ role: "user", content: "tell me a joke" }] };
    const r = await post(`${env.url}/v1/chat/completions`, body);
    assert.equal(r.headers.get("x-memory-injected-count"), "0");
    assert.equal(r.headers.get("x-memory-gate-decision"), "abstain");
    assert.deepEqual(env.received[0].body, body);
  });
});

Deno.test("proxy chat SSE: split chunks pass through byte for byte, then a candidate is stored", async () => {
  await withProxy(async (env) => {
    const sse = chatSse(["Noted", ", ", "will do ", "ünïcode ✓"]);
    const enc = new TextEncoder();
    // Seven-character writes cut events mid-line and mid-JSON (byte splits: sse_test.ts).
    env.respond(() => sseResponse(splitEvery(sse, 7)));
    const user = "We decided to deploy the billing service only after staging approval.\n" +
      "My OpenAI key is sk-proj-PLANTEDSECRET1234567890abcdef for the record.";
    const r = await post(`${env.url}/v1/chat/completions`, {
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: user }],
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "text/event-stream");
    assert.deepEqual(enc.encode(r.text), enc.encode(sse));
    await env.settle();
    const cands = memoriesWith(env.rt, "candidate");
    assert.equal(cands.length, 1, JSON.stringify(cands));
    assert.equal(
      cands[0].content,
      "We decided to deploy the billing service only after staging approval.",
    );
    assert.equal(cands[0].confidence, 0.2);
    assert.ok(cands[0].tags.includes("proxy-extracted"));
    for (
      const m of env.rt.store.list({ namespace: "default", archived: "include" }, { limit: 100 })
    ) {
      assert.ok(!m.record.content.includes("PLANTEDSECRET"), m.record.content);
    }
    // The same exchange again is skipped; the candidate is not duplicated.
    env.respond(() => sseResponse(splitEvery(sse, 7)));
    await post(`${env.url}/v1/chat/completions`, {
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: user }],
    });
    await env.settle();
    assert.equal(memoriesWith(env.rt, "candidate").length, 1);
  });
});

Deno.test("proxy chat SSE: an aborted stream stores nothing", async () => {
  await withProxy(async (env) => {
    const release = Promise.withResolvers<void>();
    const upstreamCancelled = Promise.withResolvers<void>();
    env.respond(() =>
      sseResponse(splitEvery(chatSse(["a", "b", "c"]), 20), {
        hold: release.promise,
        onCancel: () => upstreamCancelled.resolve(),
      })
    );
    const res = await fetch(`${env.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${PROXY_KEY}` },
      body: JSON.stringify({
        model: "gpt-4o",
        stream: true,
        messages: [{
          role: "user",
          content: "We decided to use Postgres 16 for the ledger service.",
        }],
      }),
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.ok(!first.done && first.value.length > 0);
    await reader.cancel();
    await upstreamCancelled.promise;
    release.resolve();
    await env.settle();
    assert.equal(memoriesWith(env.rt, "candidate").length, 0);
    assert.equal(env.stats.aborted_streams, 1);
  });
});

Deno.test("proxy chat SSE without [DONE] (upstream cut short) stores nothing", async () => {
  await withProxy(async (env) => {
    env.respond(() => sseResponse([chatSse(["partial"], false)]));
    const r = await post(`${env.url}/v1/chat/completions`, {
      model: "gpt-4o",
      stream: true,
      messages: [{
        role: "user",
        content: "We decided to use Postgres 16 for the ledger service.",
      }],
    });
    assert.equal(r.status, 200);
    await env.settle();
    assert.equal(memoriesWith(env.rt, "candidate").length, 0);
  });
});

Deno.test("proxy chat: recall for injection follows the configured limit", async () => {
  const second = "The billing service deploy needs a green canary before the blue-green switch.";
  const ask = async (config: string) => {
    let count = "";
    await withProxy(async (env) => {
      await env.seed(FACT);
      await env.seed(second);
      env.respond(() => chatJson("ok"));
      const r = await post(`${env.url}/v1/chat/completions`, {
        model: "gpt-4o",
        messages: [{ role: "user", content: ASK }],
      });
      assert.equal(r.status, 200, r.text);
      count = r.headers.get("x-memory-injected-count") ?? "";
    }, { config });
    return count;
  };
  assert.equal(await ask(""), "2", "both memories qualify by default");
  assert.equal(await ask("[recall]\ndefault_limit = 1"), "1", "[recall] default_limit = 1");
});
