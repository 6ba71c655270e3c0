/**
 * memman's query expansion on `POST /v1/recall/batch`: each query of the batch takes `expand`
 * as `/v1/recall` does (one expansion path, lib/llm's expandForRecall), against a real
 * `memoryoss serve` child on 127.0.0.1 and a fake OpenAI-compatible model speaking the real
 * wire format. A query without `expand` runs as typed and never reaches the model; a bad
 * `expand` is a 400 naming the query, and nothing is asked of the model then.
 */
import assert from "node:assert/strict";
import { assertError, request, spawnServe } from "../server/_api_support.ts";
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

Deno.test("POST /v1/recall/batch honours expand per query (real serve, fake model)", async () => {
  await using llm = fakeProvider("openai", () => ({ text: EXPANSION }));
  const home = await Deno.makeTempDir({ prefix: "memoryoss-batch-expand-" });
  try {
    await Deno.writeTextFile(
      `${home}/memoryoss.toml`,
      `[llm]\nenabled = true\nprovider = "openai"\nbase_url = "${llm.origin}/v1"\nmodel = "fast-test"\n`,
    );
    const st = await cli(home, "store", "-n", "x", FACT);
    assert.equal(st.code, 0, st.stderr);
    const serve = await spawnServe(home);
    try {
      const key = serve.printedKey!;
      assert.ok(key, "serve printed the admin key");
      const batch = (queries: unknown[]) =>
        request(`${serve.url}/v1/recall/batch`, "POST", { key, body: { queries } });
      const q = { query: TYPED, namespace: "x", mode: "bm25" };
      const r = await batch([q, { ...q, expand: true }]);
      assert.equal(r.status, 200, r.text);
      const [plain, expanded] = r.json.results;
      assert.equal(plain.memories.length, 0, "as typed: no shared word, nothing found");
      assert.equal(plain.query_expansion, undefined);
      assert.equal(expanded.memories[0]?.memory.content, FACT);
      assert.equal(expanded.query_expansion.source, "llm");
      assert.equal(expanded.query_expansion.original, TYPED);
      assert.equal(
        expanded.query_expansion.query,
        "location of the secret credential or deploy key vault",
      );
      assert.equal(llm.seen.length, 1, "one model call: only the query that asked");
      assert.match(JSON.stringify(llm.seen[0].body.messages), /secret credential kept/);

      assertError(
        await batch([{ ...q, expand: true }, { ...q, expand: "yes" }]),
        400,
        "INVALID_INPUT",
        /queries\.1\.expand/,
      );
      assert.equal(llm.seen.length, 1, "a bad batch never reaches the model");
    } finally {
      await serve.kill("SIGTERM");
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
