/** HTTP API bad input: every mistake gets a clear {"error":{code,message,path}} and stores nothing. */
import assert from "node:assert/strict";
import { assertError, countIn, request, withServer } from "./_api_support.ts";

Deno.test("api input: malformed JSON, wrong types, unknown fields, invalid UTF-8 → 400, nothing stored", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    const cases: [string, unknown, RegExp, (string | number)[]?][] = [
      ["malformed JSON", '{"content": "x",', /not valid JSON/],
      ["JSON array", "[1,2]", /must be a JSON object/],
      ["JSON string", '"hello"', /must be a JSON object/],
      ["JSON null", "null", /must be a JSON object/],
      ["content wrong type", { content: 42 }, /content/, ["content"]],
      ["tags wrong type", { content: "x", tags: "a,b" }, /tags/, ["tags"]],
      ["tag wrong type", { content: "x", tags: ["ok", 7] }, /tags\.1/, ["tags", 1]],
      ["empty content", { content: "   " }, /content must not be empty/, ["content"]],
      ["missing content", { tags: ["x"] }, /content/, ["content"]],
      ["unknown field", { content: "x", colour: "red" }, /unknown field 'colour'/],
      ["zero-knowledge is not supported", { content: "x", embedding: [0.1] }, /unknown field/],
      ["bad namespace", { content: "x", namespace: "a/b" }, /namespace/, ["namespace"]],
      ["bad memory_type", { content: "x", memory_type: "dream" }, /memory_type/, [
        "memory_type",
      ]],
    ];
    for (const [name, body, msg, path] of cases) {
      const r = await s.req("POST", "/v1/store", { key: k, body });
      assertError(r, 400, "INVALID_INPUT", msg);
      if (path) assert.deepEqual(r.json.error.path, path, name);
    }
    // Invalid UTF-8: bytes that are not a UTF-8 sequence inside a JSON string.
    const bad = new Uint8Array([
      ...new TextEncoder().encode('{"content":"caf'),
      0xc3,
      0x28,
      ...new TextEncoder().encode('"}'),
    ]);
    assertError(
      await s.req("POST", "/v1/store", { key: k, body: bad }),
      400,
      "INVALID_INPUT",
      /not valid UTF-8/,
    );
    // Same mistakes on other routes.
    assertError(
      await s.req("POST", "/v1/recall", { key: k, body: { query: "x", limit: "5" } }),
      400,
      "INVALID_INPUT",
      /limit/,
    );
    assertError(
      await s.req("POST", "/v1/recall", { key: k, body: { query: "x", bogus: true } }),
      400,
      "INVALID_INPUT",
      /unknown field 'bogus'/,
    );
    assertError(
      await s.req("PATCH", "/v1/update", { key: k, body: { id: "x" } }),
      400,
      "INVALID_INPUT",
      /nothing to update/,
    );
    assertError(
      await s.req("GET", "/v1/memories?colour=red", { key: k }),
      400,
      "INVALID_INPUT",
      /unknown query parameter 'colour'/,
    );
    assertError(
      await s.req("GET", "/v1/memories?limit=ten", { key: k }),
      400,
      "INVALID_INPUT",
      /limit: expected an integer/,
    );
    assertError(
      await s.req("POST", "/v1/feedback", { key: k, body: { id: "x", action: "like" } }),
      400,
      "INVALID_INPUT",
      /action/,
    );
    assert.equal(countIn(s.rt, "default"), 0);
  });
});

Deno.test("api input: a 3 MB body gets 413 (declared or streamed), nothing stored", async () => {
  await withServer(async (s) => {
    const big = JSON.stringify({ content: "x".repeat(3 * 1024 * 1024) });
    const r = await s.req("POST", "/v1/store", { key: s.admin, body: big });
    assertError(r, 413, "PAYLOAD_TOO_LARGE", /larger than 2097152 bytes/);
    // Chunked (no Content-Length): the cap applies while reading.
    const enc = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < enc.length; i += 65536) ctl.enqueue(enc.slice(i, i + 65536));
        ctl.close();
      },
    });
    const res = await fetch(`${s.url}/v1/store`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.admin}` },
      body: stream,
    });
    const body = await res.json();
    assert.equal(res.status, 413);
    assert.equal(body.error.code, "PAYLOAD_TOO_LARGE");
    // The server is still fine afterwards.
    const ok = await s.req("POST", "/v1/store", { key: s.admin, body: { content: "small" } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(countIn(s.rt, "default"), 1);
  }, { server: {} });
});

Deno.test("api input: content over limits.max_content_bytes is 413; a bad batch item stores nothing", async () => {
  await withServer(async (s) => {
    const r = await s.req("POST", "/v1/store", {
      key: s.admin,
      body: { content: "y".repeat(70_000) },
    });
    assertError(r, 413, "PAYLOAD_TOO_LARGE", /limits\.max_content_bytes/);
    const batch = await s.req("POST", "/v1/store/batch", {
      key: s.admin,
      body: { memories: [{ content: "fine one" }, { content: "fine two" }, { content: "" }] },
    });
    assertError(batch, 400, "INVALID_INPUT", /^memories\.2\.content: /);
    assert.deepEqual(batch.json.error.path, ["memories", 2, "content"]);
    assertError(
      await s.req("POST", "/v1/store/batch", { key: s.admin, body: { memories: [] } }),
      400,
      "INVALID_INPUT",
      /empty batch/,
    );
    assertError(
      await s.req("POST", "/v1/recall/batch", {
        key: s.admin,
        body: { queries: Array.from({ length: 11 }, () => ({ query: "x" })) },
      }),
      400,
      "INVALID_INPUT",
      /batch too large/,
    );
    assert.equal(countIn(s.rt, "default"), 0);
  });
});

Deno.test("api input: unknown routes are 404 JSON; errors carry request ids and security headers", async () => {
  await withServer(async (s) => {
    const r = await s.req("GET", "/v1/nope", { key: s.admin });
    assertError(r, 404, "NOT_FOUND", /no such route/);
    const mine = await s.req("GET", "/health", { headers: { "x-request-id": "abc-123" } });
    assert.equal(mine.headers.get("x-request-id"), "abc-123");
    assert.equal(mine.headers.get("x-content-type-options"), "nosniff");
    assert.equal(mine.headers.get("cache-control"), "no-store");
    const weird = await request(`${s.url}/health`, "GET", {
      headers: { "x-request-id": "has spaces; and <junk>" },
    });
    assert.match(weird.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
    assert.ok(s.logs.some((l) => l.includes("req=abc-123 GET /health 200")), s.logs.join("\n"));
  });
});

/** JSON text of `n` objects nested in each other: {"a":{"a":…1…}}. */
const deep = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

Deno.test("api input: metadata nested past 64 levels is 400 on store, batch and update; reads keep working", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    const store = (metadata: string) =>
      s.req("POST", "/v1/store", { key: k, body: `{"content":"nested","metadata":${metadata}}` });
    // ~10,000 levels: refused by the request-body limit (100 levels), naming where.
    const huge = await store(deep(10_000));
    assertError(huge, 400, "INVALID_INPUT", /^request body: nested deeper than 100 levels/);
    assert.match(huge.json.error.message, /at metadata\.a\.a/);
    // 65 levels: within the body limit, over the metadata limit.
    const over = await store(deep(65));
    assertError(over, 400, "INVALID_INPUT", /^metadata: nested deeper than 64 levels/);
    assert.deepEqual(over.json.error.path, ["metadata"]);
    const batch = await s.req("POST", "/v1/store/batch", {
      key: k,
      body: `{"memories":[{"content":"fine"},{"content":"deep","metadata":${deep(65)}}]}`,
    });
    assertError(batch, 400, "INVALID_INPUT", /^memories\.1\.metadata: nested deeper than 64/);
    const big = await s.req("POST", "/v1/store", {
      key: k,
      body: { content: "big", metadata: { x: "y".repeat(70_000) } },
    });
    assertError(big, 400, "INVALID_INPUT", /^metadata: .*65536-byte limit/);
    assert.equal(countIn(s.rt, "default"), 0);

    const ok = await store(deep(64));
    assert.equal(ok.status, 200, ok.text);
    for (const method of ["PATCH", "POST"]) {
      const up = await s.req(method, "/v1/update", {
        key: k,
        body: `{"id":"${ok.json.id}","metadata":${deep(65)}}`,
      });
      assertError(up, 400, "INVALID_INPUT", /^metadata: nested deeper than 64 levels/);
    }
    const list = await s.req("GET", "/v1/memories", { key: k });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.memories[0].version, 1, "the refused updates changed nothing");
    const recall = await s.req("POST", "/v1/recall", { key: k, body: { query: "nested" } });
    assert.equal(recall.status, 200, recall.text);
    assert.equal(recall.json.memories.length, 1);
    const exp = await s.req("GET", "/v1/export", { key: k });
    assert.equal(exp.status, 200, exp.text);
    assert.equal(exp.json.count, 1);
  });
});

Deno.test("api input: a lone surrogate (raw \\ud800 escape) in content, tags or metadata is 400 naming the field", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    // Raw bodies: the escapes reach the server as written here.
    const cases: [string, string, (string | number)[]][] = [
      ["/v1/store", '{"content":"lone \\ud800 surrogate"}', ["content"]],
      ["/v1/store", '{"content":"x","tags":["ok","\\udc00"]}', ["tags", 1]],
      ["/v1/store", '{"content":"x","metadata":{"note":"\\ud800"}}', ["metadata", "note"]],
      ["/v1/store", '{"content":"x","metadata":{"\\ud800":1}}', ["metadata"]],
      ["/v1/store/batch", '{"memories":[{"content":"\\ud800"}]}', ["memories", 0, "content"]],
    ];
    for (const [path, body, where] of cases) {
      const r = await s.req("POST", path, { key: k, body });
      assertError(r, 400, "INVALID_INPUT", /not well-formed Unicode/);
      assert.deepEqual(r.json.error.path, where, body);
    }
    assert.equal(countIn(s.rt, "default"), 0);
    // A surrogate pair is a real character (U+1F600) and is kept.
    const pair = await s.req("POST", "/v1/store", {
      key: k,
      body: '{"content":"ok \\ud83d\\ude00"}',
    });
    assert.equal(pair.status, 200, pair.text);
    const exp = await s.req("GET", "/v1/export", { key: k });
    assert.equal(exp.json.memories[0].content, "ok \u{1F600}");
  });
});

Deno.test("api forget: empty-string filters are no filter, so the unscoped forget is refused and memories survive", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    for (const content of ["Backups run nightly at 02:00 UTC", "The VPN config is in the wiki"]) {
      const r = await s.req("POST", "/v1/store", {
        key: k,
        body: { content, agent: "a1", session: "s1" },
      });
      assert.equal(r.status, 200, r.text);
    }
    // Empty provenance is stored as none, so an empty filter cannot single this one out.
    const blank = await s.req("POST", "/v1/store", {
      key: k,
      body: { content: "Grafana lives on port 3000", agent: "", session: "" },
    });
    assert.equal(blank.status, 200, blank.text);
    const bodies = [{ session: "" }, { agent: "" }, { agent: "", session: "" }, { before: "" }];
    for (const body of bodies) {
      for (const method of ["POST", "DELETE"]) {
        const r = await s.req(method, "/v1/forget", { key: k, body });
        assertError(r, 400, "INVALID_INPUT", /refusing an unscoped forget/);
      }
    }
    assert.equal(countIn(s.rt, "default"), 3);
  });
});
