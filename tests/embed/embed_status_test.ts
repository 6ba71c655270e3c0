/**
 * `embed status` (memman's) through main.ts with embed's narrowed permissions: after the
 * config names another embedder (an OpenAI-compatible server on 127.0.0.1), status shows the
 * new fingerprint and every stored vector as stale; `embed reembed` makes them current.
 */
import assert from "node:assert/strict";
import { cli } from "../cli/_helpers.ts";
import { openaiCompatible, startFake } from "./_fake_servers.ts";

Deno.test("embed status: fingerprint, stale vectors after a config change, current after reembed", async () => {
  const h = await Deno.makeTempDir({ prefix: "memoryoss-embed-status-" });
  try {
    for (const [ns, text] of [["a", "Standups start at nine"], ["b", "Deploys on Tuesdays"]]) {
      const r = await cli(h, "store", "-n", ns, text);
      assert.equal(r.code, 0, r.stderr);
    }
    const before = await cli(h, "embed", "status", "--json");
    assert.equal(before.code, 0, before.stderr);
    const b = before.json();
    assert.equal(b.store, "default");
    assert.equal(b.state, "idle");
    assert.equal(b.fingerprint.provider, "builtin");
    assert.equal(b.memories, 2);
    assert.equal(b.current, 2);
    assert.equal(b.stale, 0);
    assert.equal(b.missing, 0);

    await using srv = startFake(openaiCompatible({ models: { "fake-embed": 16 } }));
    await Deno.writeTextFile(
      `${h}/memoryoss.toml`,
      `[embeddings]\nprovider = "openai"\nbase_url = "${srv.base}/v1"\nmodel = "fake-embed"\n`,
    );
    const stale = await cli(h, "embed", "status", "--json");
    assert.equal(stale.code, 0, stale.stderr);
    const s = stale.json();
    assert.deepEqual(s.fingerprint, { provider: "openai", model: "fake-embed", dim: 16 });
    assert.equal(s.current, 0);
    assert.equal(s.stale, 2, "both namespaces: the embedder is one per home");
    assert.equal(s.by_embedder.length, 1);
    assert.equal(s.by_embedder[0].count, 2);
    assert.notEqual(s.by_embedder[0].embedder_id, s.embedder_id);

    const text = await cli(h, "embed", "status");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^vectors: 0 of 2 current, 2 stale, 0 missing$/m);
    assert.match(text.stdout, /\(provider openai, model fake-embed, dim 16\)/);
    assert.match(text.stdout, /^hint: run 'memoryoss embed reembed --all-namespaces'$/m);

    const re = await cli(h, "embed", "reembed", "--all-namespaces");
    assert.equal(re.code, 0, re.stderr);
    const after = (await cli(h, "embed", "status", "--json")).json();
    assert.equal(after.current, 2);
    assert.equal(after.stale, 0);
    const done = await cli(h, "embed", "status");
    assert.doesNotMatch(done.stdout, /hint:/);
  } finally {
    await Deno.remove(h, { recursive: true });
  }
});

Deno.test("embed status --help shows an example", async () => {
  const h = await Deno.makeTempDir({ prefix: "memoryoss-embed-status-" });
  try {
    const r = await cli(h, "embed", "status", "--help");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /memoryoss embed status --json/);
  } finally {
    await Deno.remove(h, { recursive: true });
  }
});
