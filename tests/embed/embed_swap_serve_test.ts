/**
 * A running `memoryoss serve` follows `embed swap` made by another process, with no restart:
 * a real serve child on 127.0.0.1 answers with the builtin embedder; `embed swap` (a second
 * main.ts process) switches the home to an OpenAI-compatible embeddings server (the fake of
 * tests/embed/_fake_servers.ts, hashed bag-of-words vectors); the serve's next recall embeds
 * the query on that server and finds the memory by its new vectors, `/health` names the new
 * embedder, and a memory stored over HTTP afterwards gets a current vector (`embed status`).
 * The stdio `mcp-server` (as long-lived as a client session) follows the same way.
 */
import assert from "node:assert/strict";
import { request, spawnServe } from "../server/_api_support.ts";
import { cli } from "../cli/_helpers.ts";
import { openaiCompatible, startFake } from "./_fake_servers.ts";
import { connect, ok } from "../mcp/_client.ts";

const DIM = 16;
const QUERY = "where does the deploy key live";

Deno.test("serve follows embed swap from another process on its next request", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-swap-serve-" });
  await using fake = startFake(openaiCompatible({ models: { "fake-embed": DIM } }));
  try {
    for (const text of ["The deploy key lives in the vault", "Standups start at nine"]) {
      const r = await cli(home, "store", "-n", "a", text);
      assert.equal(r.code, 0, r.stderr);
    }
    const serve = await spawnServe(home);
    try {
      const key = serve.printedKey!;
      const recall = () =>
        request(`${serve.url}/v1/recall`, "POST", {
          key,
          body: { query: QUERY, namespace: "a", mode: "vector" },
        });
      const health = async () => (await request(`${serve.url}/health`, "GET")).json.embedder;
      assert.match(await health(), /^builtin:/);
      const before = await recall();
      assert.equal(before.status, 200, before.text);
      assert.equal(fake.seen.length, 0, "builtin before the swap: the server is not asked");

      const swap = await cli(
        home,
        ...["embed", "swap", "--provider", "openai", "--base-url", `${fake.base}/v1`],
        ...["--to", "fake-embed", "--json"],
      );
      assert.equal(swap.code, 0, swap.stderr);
      assert.equal(swap.json().embedder_id, `openai:fake-embed@${DIM}`);
      const askedBySwap = fake.inputs().length;

      const after = await recall();
      assert.equal(after.status, 200, after.text);
      assert.ok(
        fake.inputs().slice(askedBySwap).includes(QUERY),
        "the running serve embedded the query with the new embedder",
      );
      assert.equal(after.json.memories[0]?.memory.content, "The deploy key lives in the vault");
      assert.equal(await health(), `openai:fake-embed@${DIM}`);

      const st = await request(`${serve.url}/v1/store`, "POST", {
        key,
        body: { content: "Backups run nightly at two", namespace: "a" },
      });
      assert.equal(st.status, 200, st.text);
      const status = await cli(home, "embed", "status", "--json");
      assert.equal(status.code, 0, status.stderr);
      const s = status.json();
      assert.equal(s.embedder_id, `openai:fake-embed@${DIM}`);
      assert.deepEqual([s.memories, s.current, s.stale, s.missing], [3, 3, 0, 0]);
    } finally {
      await serve.kill("SIGTERM");
    }
    const log = await serve.stderr();
    assert.match(log, /embed swap: now embedding with openai:fake-embed@16/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("stdio mcp-server follows embed swap from another process on its next tool call", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-swap-mcp-" });
  await using fake = startFake(openaiCompatible({ models: { "fake-embed": DIM } }));
  try {
    const st = await cli(home, "store", "-n", "a", "The deploy key lives in the vault");
    assert.equal(st.code, 0, st.stderr);
    await using c = await connect(home);
    const before = await ok(c.client, "memoryoss_recall", { query: QUERY, namespace: "a" });
    assert.equal(before.memories[0]?.content, "The deploy key lives in the vault");
    assert.equal(fake.seen.length, 0);
    const swap = await cli(
      home,
      ...["embed", "swap", "--provider", "openai", "--base-url", `${fake.base}/v1`],
      ...["--to", "fake-embed"],
    );
    assert.equal(swap.code, 0, swap.stderr);
    const askedBySwap = fake.inputs().length;
    const after = await ok(c.client, "memoryoss_recall", { query: QUERY, namespace: "a" });
    assert.ok(fake.inputs().slice(askedBySwap).includes(QUERY), "query embedded by the new one");
    assert.equal(after.memories[0]?.content, "The deploy key lives in the vault");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
