/**
 * `recall --expand` (memman's query expansion) through main.ts with recall's narrowed
 * permissions: the model (a fake OpenRouter / Anthropic on 127.0.0.1) rewrites the query, and
 * the keyword-only recall finds a memory the typed query shares no word with. A failing
 * provider falls back to the typed query (exit 0, one warning line).
 */
import assert from "node:assert/strict";
import { cli, cliWith } from "../cli/_helpers.ts";
import { fakeProvider } from "./_fakes.ts";

const TYPED = "where is the secret credential kept";
const EXPANSION = JSON.stringify({
  expanded_query: "location of the secret credential or deploy key",
  keywords: ["vault", "deploy key"],
  entities: [],
  intent: "GENERAL",
});

async function seeded(): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-expand-" });
  const r = await cli(home, "store", "-n", "x", "The deploy key lives in the vault");
  assert.equal(r.code, 0, r.stderr);
  return home;
}

Deno.test("recall --expand: OpenRouter from MEMMAN_* variables finds what the typed query misses", async () => {
  const home = await seeded();
  await using llm = fakeProvider("openai", () => ({ text: EXPANSION }));
  const env = {
    MEMMAN_LLM_PROVIDER: "openrouter",
    MEMMAN_OPENROUTER_ENDPOINT: `${llm.origin}/api/v1`,
    OPENROUTER_API_KEY: "sk-or-test",
  };
  const plain = await cliWith(
    home,
    { env },
    "recall",
    "-n",
    "x",
    "--mode",
    "bm25",
    "--json",
    TYPED,
  );
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(plain.json().memories.length, 0, "no shared word: bm25 alone finds nothing");
  assert.equal(llm.seen.length, 0, "no model call without --expand");

  const r = await cliWith(
    home,
    { env },
    "recall",
    "-n",
    "x",
    "--mode",
    "bm25",
    "--expand",
    "--json",
    TYPED,
  );
  assert.equal(r.code, 0, r.stderr);
  const out = r.json();
  assert.equal(out.memories[0]?.content, "The deploy key lives in the vault");
  assert.equal(out.query_expansion.source, "llm");
  assert.equal(out.query_expansion.original, TYPED);
  assert.match(out.query_expansion.query, /vault/);
  assert.equal(llm.seen[0].path, "/api/v1/chat/completions");
  assert.match(JSON.stringify(llm.seen[0].body.messages), /secret credential kept/);
  await Deno.remove(home, { recursive: true });
});

Deno.test("recall --expand: Anthropic streaming from [llm] in memoryoss.toml", async () => {
  const home = await seeded();
  await using llm = fakeProvider("anthropic", () => ({ text: EXPANSION }));
  await Deno.writeTextFile(
    `${home}/memoryoss.toml`,
    `[llm]\nenabled = true\nprovider = "anthropic"\nbase_url = "${llm.origin}/v1"\nmodel = "claude-test"\nstream = true\n`,
  );
  const r = await cliWith(
    home,
    { env: { ANTHROPIC_API_KEY: "sk-ant-test" } },
    "recall",
    "-n",
    "x",
    "--mode",
    "bm25",
    "--expand",
    TYPED,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^query: location of the secret credential or deploy key vault$/m);
  assert.match(r.stdout, /The deploy key lives in the vault/);
  assert.equal(llm.seen[0].path, "/v1/messages");
  assert.equal(llm.seen[0].body.stream, true);
  assert.equal(llm.seen[0].headers.get("x-api-key"), "sk-ant-test");
  await Deno.remove(home, { recursive: true });
});

Deno.test("recall --expand: a failing provider falls back to the typed query", async () => {
  const home = await seeded();
  await using llm = fakeProvider("openai", () => ({ status: 503 }));
  const r = await cliWith(
    home,
    { env: { MEMMAN_LLM_ENDPOINT: `${llm.origin}/v1`, MEMMAN_LLM_API_KEY: "sk-hidden" } },
    "recall",
    "-n",
    "x",
    "--expand",
    "--json",
    "deploy key",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning: --expand: .*HTTP 503.*; query used as typed$/m);
  assert.doesNotMatch(r.stderr, /sk-hidden/);
  const out = r.json();
  assert.equal(out.query_expansion.source, "fallback");
  assert.equal(out.query_expansion.query, "deploy key");
  assert.equal(out.memories[0]?.content, "The deploy key lives in the vault");
  await Deno.remove(home, { recursive: true });
});

Deno.test("recall --expand: memman's variables from <home>/env (what install writes)", async () => {
  const home = await seeded();
  await using llm = fakeProvider("openai", () => ({ text: EXPANSION }));
  await Deno.writeTextFile(
    `${home}/env`,
    `MEMMAN_LLM_ENDPOINT=${llm.origin}/v1\nMEMMAN_LLM_API_KEY=sk-from-file\nMEMMAN_LLM_MODEL_FAST=qwen-fast\n`,
  );
  const r = await cli(home, "recall", "-n", "x", "--mode", "bm25", "--expand", "--json", TYPED);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json().query_expansion.source, "llm");
  assert.equal(llm.seen[0].headers.get("authorization"), "Bearer sk-from-file");
  assert.equal(llm.seen[0].body.model, "qwen-fast");
  await Deno.remove(home, { recursive: true });
});
