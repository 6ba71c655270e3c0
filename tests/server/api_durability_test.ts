/**
 * Durability of the real `memoryoss serve` process: SIGKILL during a write burst loses no
 * acknowledged write and leaves indexes consistent; SIGTERM finishes in-flight writes and
 * exits 0. The first start prints the admin key once.
 */
import assert from "node:assert/strict";
import { adminKeyPath } from "../../lib/auth/mod.ts";
import { type Child, type Json, request, spawnServe } from "./_api_support.ts";

/** Hammer `/v1/store` from `workers` loops until `stop()`; returns acknowledged ids. */
function burst(url: string, key: string, workers: number) {
  const acked = new Map<string, string>();
  const serverErrors: string[] = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running) {
      const content = `Burst write ${w}-${n++}: cache shard ${n % 97} lives on rack r${w}.`;
      try {
        const r = await request(`${url}/v1/store`, "POST", {
          key,
          body: { content, tags: ["burst"], namespace: "crash" },
        });
        if (r.status === 200) acked.set(r.json.id, content);
        else if (r.status >= 500) serverErrors.push(`${r.status} ${r.text}`);
      } catch {
        // Connection reset when the server dies: not acknowledged, not counted.
        if (!running) break;
        await new Promise((res) => setTimeout(res, 5));
      }
    }
  });
  return {
    acked,
    serverErrors,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function verify(child: Child, key: string, acked: Map<string, string>) {
  for (const [id, content] of acked) {
    const r = await request(`${child.url}/v1/inspect/${id}`, "GET", { key });
    assert.equal(r.status, 200, `acknowledged write ${id} lost: ${r.text}`);
    assert.equal(r.json.content, content);
    assert.equal(r.json.has_embedding, true);
  }
  const health: Json = (await request(`${child.url}/v1/admin/index-health`, "GET", { key })).json;
  assert.equal(health.fts_consistent, true, JSON.stringify(health));
  assert.equal(health.fts_rows, health.memory_rows);
  assert.equal(health.fts_integrity, "ok");
  assert.equal(health.missing_embeddings, 0);
  assert.equal(health.vector_index_consistent, true, JSON.stringify(health));
  const count = (await request(`${child.url}/v1/memories?namespace=crash&limit=1`, "GET", { key }))
    .json.total;
  assert.ok(count >= acked.size, `${count} rows < ${acked.size} acknowledged`);
}

Deno.test({
  name:
    "api durability: SIGKILL during a write burst keeps every acknowledged write; indexes consistent",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-crash-" });
    let child: Child | undefined;
    try {
      child = await spawnServe(home, { MEMORYOSS_RATE_LIMIT_PER_SEC: "0" });
      const key = (await Deno.readTextFile(adminKeyPath(home))).trim();
      assert.equal(child.printedKey, key, "first start prints the admin key");
      const b = burst(child.url, key, 16);
      const t0 = Date.now();
      while (b.acked.size < 300 && Date.now() - t0 < 15_000) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const killed = await child.kill("SIGKILL");
      child = undefined;
      await b.stop();
      assert.equal(killed.signal, "SIGKILL");
      assert.deepEqual(b.serverErrors, []);
      assert.ok(b.acked.size >= 50, `only ${b.acked.size} writes acknowledged before the kill`);

      child = await spawnServe(home, { MEMORYOSS_RATE_LIMIT_PER_SEC: "0" });
      assert.equal(child.printedKey, undefined, "the admin key is printed only once");
      assert.doesNotMatch(await peekStdout(child), /ek_/);
      await verify(child, key, b.acked);
      const st = await child.kill("SIGTERM");
      child = undefined;
      assert.equal(st.code, 0);
    } finally {
      await child?.kill("SIGKILL");
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "api durability: SIGTERM during a write burst finishes in-flight writes and exits 0",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-term-" });
    let child: Child | undefined;
    try {
      child = await spawnServe(home, { MEMORYOSS_RATE_LIMIT_PER_SEC: "0" });
      const key = (await Deno.readTextFile(adminKeyPath(home))).trim();
      const b = burst(child.url, key, 16);
      const t0 = Date.now();
      while (b.acked.size < 200 && Date.now() - t0 < 15_000) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const st = await child.kill("SIGTERM");
      const out = await child.stdout();
      const err = await child.stderr();
      child = undefined;
      await b.stop();
      assert.equal(st.code, 0, `exit ${st.code}\n${out}\n${err}`);
      assert.match(out, /memoryoss stopped/);
      assert.doesNotMatch(err, /^\s+at /m);
      assert.deepEqual(b.serverErrors.filter((e) => !e.startsWith("503")), []);
      child = await spawnServe(home, { MEMORYOSS_RATE_LIMIT_PER_SEC: "0" });
      await verify(child, key, b.acked);
      await child.kill("SIGTERM");
      child = undefined;
    } finally {
      await child?.kill("SIGKILL");
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});

async function peekStdout(child: Child): Promise<string> {
  // stdout is complete only at exit; what was printed before "listening" is enough here.
  return await Promise.race([
    child.stdout(),
    new Promise<string>((r) => setTimeout(() => r(""), 50)),
  ]);
}
