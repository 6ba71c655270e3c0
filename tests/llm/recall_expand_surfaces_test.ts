/**
 * memman's query expansion on the other recall surfaces: `POST /v1/recall` with
 * `expand: true` on a real server on 127.0.0.1, and the `memoryoss_recall` MCP tool through
 * the SDK's client over stdio (`mcp-server` as a child). The model is a fake provider that
 * speaks the real wire format; the keyword-only recall then finds a memory the typed query
 * shares no word with. A failing provider: a `warning`, the query as typed.
 */
import assert from "node:assert/strict";
import { assertError, withServer } from "../server/_api_support.ts";
import { connect, fails, ok } from "../mcp/_client.ts";
import { cli } from "../cli/_helpers.ts";
import { fakeProvider } from "./_fakes.ts";

const TYPED = "where is the secret credential kept";
const FACT = "The deploy key lives in the vault";
const EXPANSION = JSON.stringify({
  expanded_query: "location of the secret credential or deploy key",
  keywords: ["vault"],
  entities: [],
  intent: "GENERAL",
});

const llmConfig = (origin: string) =>
  `[llm]\nenabled = true\nprovider = "openai"\nbase_url = "${origin}/v1"\nmodel = "fast-test"\n`;

Deno.test("POST /v1/recall expand: the model's query finds what the typed one misses", async () => {
  await using llm = fakeProvider("openai", () => ({ text: EXPANSION }));
  await withServer(async (s) => {
    const st = await s.req("POST", "/v1/store", {
      key: s.admin,
      body: { content: FACT, namespace: "x" },
    });
    assert.equal(st.status, 200, st.text);
    const ask = (extra: Record<string, unknown>) =>
      s.req("POST", "/v1/recall", {
        key: s.admin,
        body: { query: TYPED, namespace: "x", mode: "bm25", ...extra },
      });
    const plain = await ask({});
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.json.memories.length, 0, "no shared word: bm25 alone finds nothing");
    assert.equal(plain.json.query_expansion, undefined);
    assert.equal(llm.seen.length, 0, "no model call without expand");

    const r = await ask({ expand: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.memories[0]?.memory.content, FACT);
    assert.equal(r.json.query_expansion.source, "llm");
    assert.equal(r.json.query_expansion.original, TYPED);
    assert.equal(
      r.json.query_expansion.query,
      "location of the secret credential or deploy key vault",
    );
    assert.deepEqual(r.json.query_expansion.keywords, ["vault"]);
    assert.equal(r.json.warning, undefined);
    assert.equal(llm.seen[0].path, "/v1/chat/completions");
    assert.equal(llm.seen[0].body.model, "fast-test");
    assert.match(JSON.stringify(llm.seen[0].body.messages), /secret credential kept/);

    assertError(await ask({ expand: "yes" }), 400, "INVALID_INPUT", /expand/);
    const other = await s.key("reader", ["elsewhere"]);
    const denied = await s.req("POST", "/v1/recall", {
      key: other,
      body: { query: TYPED, namespace: "x", expand: true },
    });
    assert.equal(denied.status, 403, denied.text);
    assert.equal(llm.seen.length, 1, "bad input and foreign namespaces never reach the model");
  }, { config: llmConfig(llm.origin) });
});

Deno.test("POST /v1/recall expand: a failing provider is a warning, the query runs as typed", async () => {
  await using llm = fakeProvider("openai", () => ({ status: 503 }));
  await withServer(async (s) => {
    await s.req("POST", "/v1/store", { key: s.admin, body: { content: FACT, namespace: "x" } });
    const r = await s.req("POST", "/v1/recall", {
      key: s.admin,
      body: { query: "deploy key", namespace: "x", expand: true },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.query_expansion.source, "fallback");
    assert.equal(r.json.query_expansion.query, "deploy key");
    assert.match(r.json.warning, /HTTP 503.*query used as typed/);
    assert.equal(r.json.memories[0]?.memory.content, FACT);
  }, { config: llmConfig(llm.origin) });
});

Deno.test("POST /v1/recall expand without a model: warning, source off, no failure", async () => {
  await withServer(async (s) => {
    await s.req("POST", "/v1/store", { key: s.admin, body: { content: FACT, namespace: "x" } });
    const r = await s.req("POST", "/v1/recall", {
      key: s.admin,
      body: { query: "deploy key", namespace: "x", expand: true },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.query_expansion.source, "off");
    assert.match(r.json.warning, /no model configured/);
    assert.equal(r.json.memories[0]?.memory.content, FACT);
  });
});

Deno.test("MCP memoryoss_recall expand: expansion through the real client and mcp-server", async () => {
  await using llm = fakeProvider(
    "anthropic",
    (seen) =>
      JSON.stringify(seen.body.messages).includes("deploy key") &&
        !JSON.stringify(seen.body.messages).includes("secret")
        ? { status: 500 }
        : { text: EXPANSION },
  );
  const home = await Deno.makeTempDir({ prefix: "memoryoss-mcp-expand-" });
  try {
    await Deno.writeTextFile(
      `${home}/memoryoss.toml`,
      `[llm]\nenabled = true\nprovider = "anthropic"\nbase_url = "${llm.origin}/v1"\nmodel = "claude-test"\nstream = true\n`,
    );
    const st = await cli(home, "store", "-n", "x", FACT);
    assert.equal(st.code, 0, st.stderr);
    await using c = await connect(home);
    const base = { query: TYPED, namespace: "x" };
    const plain = await ok(c.client, "memoryoss_recall", base);
    assert.equal(plain.query_expansion, undefined);
    assert.equal(llm.seen.length, 0);

    const r = await ok(c.client, "memoryoss_recall", { ...base, expand: true });
    assert.equal(r.query_expansion.source, "llm");
    assert.equal(r.query, "location of the secret credential or deploy key vault");
    assert.equal(r.memories[0]?.content, FACT);
    assert.equal(llm.seen[0].path, "/v1/messages");
    assert.equal(llm.seen[0].body.stream, true);

    const f = await ok(c.client, "memoryoss_recall", {
      query: "deploy key",
      namespace: "x",
      expand: true,
    });
    assert.equal(f.query_expansion.source, "fallback");
    assert.match(f.warning, /query used as typed/);
    assert.equal(f.memories[0]?.content, FACT);

    assert.match(
      await fails(c.client, "memoryoss_recall", { ...base, expand: "yes" }),
      /expand/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
