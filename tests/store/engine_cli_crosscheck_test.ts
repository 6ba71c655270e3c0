/**
 * The SQLite engine and the CLI share one home: the engine reads a graph edge, an API key and
 * a queued fact written by `memoryoss` (main.ts, encryption on as by default, so the edge's
 * detail and the queued payload are sealed with the home's key), and the CLI reads an edge and
 * a revocation written by the engine.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encryptionFromConfig, SqliteEngine } from "../../lib/store/mod.ts";
import { assertExit, cli, okJson, withHome } from "../cli/_helpers.ts";

/** SHA-256 of `text` in lower-case hex (WebCrypto, not the code under test). */
async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function openEngine(home: string): SqliteEngine {
  const enc = encryptionFromConfig(join(home, "memoryoss.key"), { enabled: true, index: "on" });
  return SqliteEngine.open(join(home, "memoryoss.db"), { encryption: enc });
}

Deno.test("sqlite engine and CLI read each other's edges, keys and queue", async () => {
  await withHome(async (home) => {
    const a = okJson(await cli(home, "store", "--json", "-n", "demo", "the deploy failed")).id;
    const b = okJson(await cli(home, "store", "--json", "-n", "demo", "we rolled back")).id;
    assertExit(await cli(home, "graph", "link", a, b, "--kind", "causal", "--weight", "0.8"), 0);
    const key = okJson(
      await cli(home, "keys", "create", "--role", "reader", "--namespaces", "demo", "--json"),
    );
    const queued = okJson(await cli(home, "remember", "-n", "demo", "Priya prefers tea", "--json"));

    const e = openEngine(home);
    try {
      const causal = await e.graph.list("demo", { kinds: ["causal"] });
      assert.deepEqual(
        causal.map((x) => [x.src, x.dst, x.kind, x.weight, x.origin]),
        [[a, b, "causal", 0.8, "manual"]],
      );
      assert.deepEqual(await e.graph.list("other"), [], "namespace-bound");
      const row = await e.keys.byHash(await sha256Hex(key.key));
      assert.equal(row?.key_id, key.key_id);
      assert.equal(row?.role, "reader");
      assert.deepEqual(JSON.parse(row!.namespaces), ["demo"]);
      assert.doesNotMatch(JSON.stringify(row), new RegExp(key.key), "the secret is not stored");
      assert.equal((await e.queue.counts(["demo"], 3)).pending, 1);
      const [item] = await e.queue.claim(["demo"], {
        worker: "crosscheck",
        at: new Date().toISOString(),
        limit: 10,
        maxAttempts: 3,
      });
      assert.equal(item.id, queued.queue_id);
      assert.equal(JSON.parse(item.payload).content, "Priya prefers tea", "payload opened");
      // Now the engine writes, the CLI reads.
      await e.graph.add("demo", [{
        src: b,
        dst: a,
        kind: "semantic",
        namespace: "demo",
        weight: 0.65,
        origin: "manual",
        detail: { note: "engine" },
        created_at: "2026-06-01T00:00:00.000Z",
      }]);
      assert.equal(await e.keys.revoke(key.key_id, "2026-06-02T00:00:00.000Z"), true);
    } finally {
      await e.close();
    }

    const shown = okJson(await cli(home, "graph", "show", a, "--json"));
    const semantic = shown.edges.filter((x: { kind: string }) => x.kind === "semantic");
    assert.equal(semantic.length, 1, JSON.stringify(shown.edges));
    assert.equal(semantic[0].weight, 0.65);
    const { keys } = okJson(await cli(home, "keys", "list", "--json"));
    const listed = keys.find(
      (k: { key_id: string }) => k.key_id === key.key_id,
    );
    assert.equal(listed.state, "revoked");
    assert.equal(listed.revoked_at, "2026-06-02T00:00:00.000Z");
  });
});
