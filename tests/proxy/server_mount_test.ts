/** The proxy as mounted in the real server: off by default, on with `[proxy] enabled`. */
import assert from "node:assert/strict";
import { request, withServer } from "../server/_api_support.ts";

Deno.test("server: /proxy is a 404 until proxy.enabled", async () => {
  await withServer(async (s) => {
    const r = await request(`${s.url}/proxy/v1/chat/completions`, "POST", { body: {} });
    assert.equal(r.status, 404);
    assert.match(r.json.error.message, /proxy is disabled/);
    // The memory API is untouched.
    assert.equal((await request(`${s.url}/health`, "GET")).status, 200);
  });
});

Deno.test("server: an enabled proxy forwards through the server's own app", async () => {
  const fake = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.body?.cancel();
    return Response.json({ choices: [{ message: { role: "assistant", content: "hi" } }] });
  });
  try {
    const config = `[proxy]
enabled = true
upstream_url = "http://127.0.0.1:${fake.addr.port}/v1"
key_mapping = [{ proxy_key = "pk-server-0001" }]
`;
    await withServer(async (s) => {
      const r = await request(`${s.url}/proxy/v1/chat/completions`, "POST", {
        key: "pk-server-0001",
        body: { model: "gpt-4o", messages: [{ role: "user", content: "hello" }] },
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.choices[0].message.content, "hi");
      assert.ok(r.headers.get("x-request-id"));
      assert.equal(r.headers.get("x-memory-mode"), "full");
      const anon = await request(`${s.url}/proxy/v1/chat/completions`, "POST", { body: {} });
      assert.equal(anon.status, 401);
    }, { config });
  } finally {
    await fake.shutdown();
  }
});

Deno.test("server: SSE through the full server arrives chunk by chunk, not buffered", async () => {
  const release = Promise.withResolvers<void>();
  const enc = new TextEncoder();
  const fake = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.body?.cancel();
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(enc.encode('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'));
        await release.promise;
        c.enqueue(enc.encode("data: [DONE]\n\n"));
        c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const config = `[proxy]
enabled = true
upstream_url = "http://127.0.0.1:${fake.addr.port}/v1"
key_mapping = [{ proxy_key = "pk-server-0001" }]
`;
    await withServer(async (s) => {
      const res = await fetch(`${s.url}/proxy/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer pk-server-0001" },
        body: JSON.stringify({ model: "gpt-4o", stream: true, messages: [] }),
      });
      assert.equal(res.headers.get("content-type"), "text/event-stream");
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      assert.match(first, /"content":"a"/); // arrived while upstream still holds the rest
      release.resolve();
      let rest = "";
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        rest += new TextDecoder().decode(r.value);
      }
      assert.equal(rest, "data: [DONE]\n\n");
    }, { config });
  } finally {
    release.resolve();
    await fake.shutdown();
  }
});
