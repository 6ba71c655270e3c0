/**
 * fetchWithTimeout against real servers on 127.0.0.1: a server that never answers, one that
 * sends headers and then stalls the body, and a closed port. Each failure is one
 * FetchFailure (UNAVAILABLE) naming the URL without its credentials, query or the secret.
 */
import assert from "node:assert/strict";
import { FetchFailure, fetchWithTimeout } from "../../lib/config/mod.ts";

const SECRET = "sk-test-0123456789";

/** A server whose every answer waits for `release` (headers or body, per `stallBody`). */
function slowServer(stallBody: boolean) {
  const { promise: release, resolve } = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async () => {
    if (!stallBody) {
      await release;
      return new Response("late");
    }
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode("partial"));
        await release;
        try {
          c.close();
        } catch { /* the client went away */ }
      },
    });
    return new Response(body);
  });
  return {
    url: `http://user:${SECRET}@127.0.0.1:${server.addr.port}/v1/embeddings?key=${SECRET}`,
    shown: `http://127.0.0.1:${server.addr.port}/v1/embeddings`,
    async close() {
      resolve();
      await server.shutdown();
    },
  };
}

function expectFailure(kind: "timeout" | "unreachable", message: string | RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof FetchFailure, String(e));
    assert.equal(e.kind, kind);
    assert.equal(e.code, "UNAVAILABLE");
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.ok(!e.message.includes(SECRET), e.message);
    return true;
  };
}

Deno.test("fetchWithTimeout: no answer within the deadline is one timeout naming the URL", async () => {
  const srv = slowServer(false);
  try {
    await assert.rejects(
      fetchWithTimeout(srv.url, {}, { timeoutMs: 150, what: "embedding endpoint" }),
      expectFailure("timeout", `embedding endpoint ${srv.shown} did not answer within 150 ms`),
    );
  } finally {
    await srv.close();
  }
});

Deno.test("fetchWithTimeout: the deadline covers the body", async () => {
  const srv = slowServer(true);
  try {
    const t = await fetchWithTimeout(srv.url, {}, { timeoutMs: 150, what: "chat endpoint" });
    assert.equal(t.response.status, 200);
    await assert.rejects(
      t.text(),
      expectFailure("timeout", `chat endpoint ${srv.shown} did not answer within 150 ms`),
    );
  } finally {
    await srv.close();
  }
});

Deno.test("fetchWithTimeout: a closed port is 'could not be reached', the secret blanked", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${port}/v1/chat?token=${SECRET}`;
  await assert.rejects(
    fetchWithTimeout(url, {}, { timeoutMs: 5_000, what: "chat endpoint", secret: SECRET }),
    expectFailure(
      "unreachable",
      new RegExp(`^chat endpoint http://127\\.0\\.0\\.1:${port}/v1/chat could not be reached: `),
    ),
  );
});

Deno.test("fetchWithTimeout: an answer in time is read whole", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("hello", { status: 201 }),
  );
  try {
    const t = await fetchWithTimeout(`http://127.0.0.1:${server.addr.port}/`, {}, {
      timeoutMs: 5_000,
      what: "test endpoint",
    });
    assert.equal(t.response.status, 201);
    assert.equal(await t.text(), "hello");
  } finally {
    await server.shutdown();
  }
});
