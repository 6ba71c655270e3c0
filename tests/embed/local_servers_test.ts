/**
 * End to end through main.ts: a home filled with the builtin embedder switches to a local
 * OpenAI-compatible sentence-model server (Ollama, llama.cpp's llama-server, LM Studio) the way
 * docs/embeddings.md tells a user to, re-embeds, and recalls with the new vectors. The server is
 * a fake on a random port speaking the real `POST /v1/embeddings` wire format, so only the
 * documented path, model and key handling matter, not the documented port.
 */
import assert from "node:assert/strict";
import {
  assertExit,
  assertOneLineError,
  assertUserError,
  cli,
  type CliResult,
  cliWith,
  type Json,
  okJson,
  withHome,
} from "../cli/_helpers.ts";
import {
  bowCosine,
  ollamaNative,
  openaiCompatible,
  type OpenAIServerProfile,
  startFake,
  voyage,
} from "./_fake_servers.ts";

const MEMORIES = [
  "The payroll run happens on the 25th of every month",
  "Staging database lives on host db-staging-02 behind the VPN",
  "Alice prefers tabs over spaces in Go code",
  "Expense reports need a scanned receipt before approval",
];
const QUERY = "which host runs the staging database";
const WANT = MEMORIES[1];

/** Fill a fresh home (builtin embedder, the default) and check it is current. */
async function fillWithBuiltin(home: string): Promise<string> {
  const lines = MEMORIES.map((content) => JSON.stringify({ content })).join("\n") + "\n";
  assertExit(await cliWith(home, { stdin: lines }, "import", "-n", "ops", "-"), 0);
  const s = okJson(await cli(home, "status", "--json"));
  assert.match(s.embedder.id, /^builtin:/);
  assert.equal(s.needs_reembed, 0);
  return s.embedder.id;
}

/** Replace the `[embeddings]` table of the home's memoryoss.toml with `block`, as a user edits it. */
async function setEmbeddings(home: string, block: string): Promise<string> {
  const path = `${home}/memoryoss.toml`;
  const text = await Deno.readTextFile(path);
  const re = /^\[embeddings\]\n[\s\S]*?(?=^\[)/m;
  assert.match(text, re, "the first run writes an [embeddings] table");
  await Deno.writeTextFile(path, text.replace(re, `${block.trim()}\n\n`));
  return text;
}

/** The documented URL with the fake's host and port: the path stays as documented. */
function atFake(documented: string, base: string): string {
  const u = new URL(documented);
  return `${base}${u.pathname}`;
}

/** Switch, re-embed everything, check status and recall; returns every CLI result for leak checks. */
async function switchAndRecall(
  home: string,
  o: { id: string; dim: number; env?: Record<string, string>; inputs: () => string[] },
): Promise<CliResult[]> {
  const run = (...args: string[]) => cliWith(home, { env: o.env }, ...args);
  const runs: CliResult[] = [];
  const before = okJson(await run("status", "--json"));
  runs.push(await run("embed", "reembed", "--all-namespaces", "--json"));
  const re = okJson(runs.at(-1)!);
  const after = okJson(await run("status", "--json"));
  runs.push(await run("recall", "-n", "ops", "--json", "--explain", QUERY));
  const rec = okJson(runs.at(-1)!);

  assert.equal(before.embedder.id, o.id);
  assert.equal(before.needs_reembed, MEMORIES.length, "every builtin vector is stale");
  assert.deepEqual(re, { embedder_id: o.id, namespaces: ["ops"], reembedded: MEMORIES.length });
  assert.equal(after.embedder.id, o.id);
  assert.equal(after.embedder.dim, o.dim);
  assert.equal(after.needs_reembed, 0);
  assert.equal(after.vector_index_size, MEMORIES.length);
  for (const m of MEMORIES) assert.ok(o.inputs().includes(m), `server never embedded ${m}`);
  assert.ok(o.inputs().includes(QUERY), "recall embedded the query with the server");
  const top: Json = rec.memories[0];
  assert.equal(top.content, WANT);
  // The vector channel's raw score is the fake model's cosine, computed here independently.
  assert.ok(
    Math.abs(top.explain.raw.vector - bowCosine(QUERY, WANT, o.dim)) < 1e-3,
    `vector score ${top.explain.raw.vector} is not the server's cosine`,
  );
  return runs;
}

const OLLAMA: OpenAIServerProfile = { models: { "nomic-embed-text": 768 } };

Deno.test("local servers: Ollama — switch from builtin, re-embed, recall, then go back", async () => {
  await withHome(async (home) => {
    const builtinId = await fillWithBuiltin(home);
    await using fake = startFake(openaiCompatible(OLLAMA));
    const url = atFake("http://127.0.0.1:11434/v1", fake.base);

    // A model that was never pulled: one clear line, exit 3, and nothing is lost.
    const original = await setEmbeddings(
      home,
      `[embeddings]\nprovider = "openai"\nbase_url = "${url}"\nmodel = "nomic-embed-txt"`,
    );
    const typo = await cli(home, "status");
    assertUserError(typo, 3);
    assertOneLineError(typo);
    assert.match(typo.stderr, /HTTP 404: model "nomic-embed-txt" not found.*base_url and model/);

    await setEmbeddings(
      home,
      `[embeddings]\nprovider = "openai"\nbase_url = "${url}"\nmodel = "nomic-embed-text"`,
    );
    await switchAndRecall(home, {
      id: "openai:nomic-embed-text@768",
      dim: 768,
      inputs: fake.inputs,
    });
    assert.ok(fake.seen.every((r) => r.path === "/v1/embeddings" && r.auth === null));

    // Going back: the original table, then one more reembed; the builtin vectors return.
    await Deno.writeTextFile(`${home}/memoryoss.toml`, original);
    const back = okJson(await cli(home, "embed", "reembed", "--all-namespaces", "--json"));
    assert.equal(back.embedder_id, builtinId);
    assert.equal(back.reembedded, MEMORIES.length);
    const s = okJson(await cli(home, "status", "--json"));
    assert.equal(s.embedder.id, builtinId);
    assert.equal(s.needs_reembed, 0);
    const rec = okJson(await cli(home, "recall", "-n", "ops", "--json", QUERY));
    assert.equal(rec.memories[0].content, WANT);
  });
});

Deno.test("local servers: llama.cpp llama-server --api-key — key from the environment, never printed", async () => {
  const key = "llama-local-KEY-5b1f0c";
  await withHome(async (home) => {
    await fillWithBuiltin(home);
    await using fake = startFake(
      openaiCompatible({ models: { "bge-small-en-v1.5": 384 }, apiKey: key }),
    );
    const url = atFake("http://127.0.0.1:8080/v1", fake.base);
    await setEmbeddings(
      home,
      `[embeddings]\nprovider = "openai"\nbase_url = "${url}"\nmodel = "bge-small-en-v1.5"`,
    );
    const noKey = await cli(home, "status");
    assertUserError(noKey, 3);
    assert.match(noKey.stderr, /HTTP 401: Invalid API Key \(check embeddings\.api_key\)/);

    const runs = await switchAndRecall(home, {
      id: "openai:bge-small-en-v1.5@384",
      dim: 384,
      env: { MEMORYOSS_EMBEDDINGS_API_KEY: key },
      inputs: fake.inputs,
    });
    assert.equal(fake.seen.at(-1)!.auth, `Bearer ${key}`);
    const shown = await cliWith(
      home,
      { env: { MEMORYOSS_EMBEDDINGS_API_KEY: key } },
      "config",
      "get",
      "embeddings.api_key",
    );
    for (const r of [noKey, shown, ...runs]) {
      assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key), "the key was printed");
    }
  });
});

Deno.test("local servers: LM Studio with dim set — no probe request, own model id in replies", async () => {
  await withHome(async (home) => {
    await fillWithBuiltin(home);
    const model = "text-embedding-nomic-embed-text-v1.5";
    await using fake = startFake(
      openaiCompatible({ models: { [model]: 768 }, modelInResponse: `${model}@q8_0` }),
    );
    const url = atFake("http://localhost:1234/v1", fake.base);
    await setEmbeddings(
      home,
      `[embeddings]\nprovider = "openai"\nbase_url = "${url}"\nmodel = "${model}"\ndim = 768`,
    );
    await switchAndRecall(home, { id: `openai:${model}@768`, dim: 768, inputs: fake.inputs });
    assert.ok(!fake.inputs().includes("dimension probe"), "dim is configured: no probe needed");
  });
});

Deno.test("providers: voyage — key from the environment, input_type sent, key never printed", async () => {
  const key = "pa-voyage-SECRET-77c2";
  await withHome(async (home) => {
    await fillWithBuiltin(home);
    await using fake = startFake(voyage({ models: { "voyage-3-lite": 512 }, apiKey: key }));
    await setEmbeddings(
      home,
      `[embeddings]\nprovider = "voyage"\nbase_url = "${fake.base}/v1"\nmodel = "voyage-3-lite"`,
    );
    const noKey = await cli(home, "status");
    assertUserError(noKey, 3);
    assert.match(noKey.stderr, /embeddings\.api_key is required when provider = "voyage"/);
    assert.equal(fake.seen.length, 0, "no request without a key");

    const env = { MEMORYOSS_EMBEDDINGS_API_KEY: "pa-wrong" };
    const wrong = await cliWith(home, { env }, "status");
    assertUserError(wrong, 3);
    assert.match(
      wrong.stderr,
      /HTTP 401: Provided API key is invalid\. \(check embeddings\.api_key\)/,
    );

    const runs = await switchAndRecall(home, {
      id: "voyage:voyage-3-lite@512",
      dim: 512,
      env: { MEMORYOSS_EMBEDDINGS_API_KEY: key },
      inputs: fake.inputs,
    });
    const ok = fake.seen.filter((r) => r.auth === `Bearer ${key}`);
    assert.ok(ok.length > 0);
    for (const r of ok) {
      assert.equal(r.path, "/v1/embeddings");
      assert.deepEqual(Object.keys(r.body!).sort(), ["input", "input_type", "model"]);
      assert.equal(r.body!.input_type, "document");
    }
    for (const r of [noKey, wrong, ...runs]) {
      assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key), "the key was printed");
    }
  });
});

Deno.test("providers: ollama native /api/embed — switch, re-embed, recall; unknown model exits 3", async () => {
  await withHome(async (home) => {
    await fillWithBuiltin(home);
    await using fake = startFake(ollamaNative({ models: { "nomic-embed-text": 768 } }));
    const block = (model: string) =>
      `[embeddings]\nprovider = "ollama"\nbase_url = "${fake.base}"\nmodel = "${model}"`;
    await setEmbeddings(home, block("all-minilm"));
    const missing = await cli(home, "status");
    assertUserError(missing, 3);
    assert.match(missing.stderr, /HTTP 404: model "all-minilm" not found, try pulling it first/);

    await setEmbeddings(home, block("nomic-embed-text"));
    await switchAndRecall(home, {
      id: "ollama:nomic-embed-text@768",
      dim: 768,
      inputs: fake.inputs,
    });
    assert.ok(fake.seen.every((r) => r.path === "/api/embed"));
  });
});
