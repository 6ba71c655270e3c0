/**
 * Bounded load: 4,000 mixed store / batch store / recall requests at concurrency 32 against a
 * real server. Zero 5xx, every acknowledged write present afterwards, writes group-committed,
 * indexes consistent.
 */
import assert from "node:assert/strict";
import { request, withServer } from "./_api_support.ts";

const WORDS = (
  "amber basil cedar delta ember fjord garnet harbor indigo juniper kestrel lagoon maple " +
  "nectar onyx pepper quartz raven saffron tundra umber velvet willow xenon yarrow zephyr " +
  "anchor beacon canyon dune estuary falcon glacier heron island jasper koala lotus meadow"
).split(" ");

function sentence(i: number): string {
  const w = (k: number) => WORDS[(i * 7 + k * 13 + Math.floor(i / 5)) % WORDS.length];
  return `Load fact ${i}: the ${w(1)} ${w(2)} service on host node-${i} talks to ${w(3)} ` +
    `through port ${1000 + i} and logs to /var/log/${w(4)}-${i}.log`;
}

Deno.test("api load: 4000 mixed requests at concurrency 32 — no 5xx, every acknowledged write present", async () => {
  await withServer(async (s) => {
    const writer = await s.key("writer", ["load"]);
    const reader = await s.key("reader", ["load"]);
    const TOTAL = 4000;
    const CONCURRENCY = 32;
    const acked = new Map<string, string[]>(); // id → contents acknowledged under it
    const statuses = new Map<number, number>();
    const recallMs: number[] = [];
    let next = 0;
    let n = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const kind = i % 10;
        let res;
        if (kind < 5) {
          const content = sentence(n++);
          res = await request(`${s.url}/v1/store`, "POST", {
            key: writer,
            body: { content, namespace: "load", tags: [`t${i % 7}`] },
          });
          if (res.status === 200) {
            acked.set(res.json.id, [...(acked.get(res.json.id) ?? []), content]);
          }
        } else if (kind === 5) {
          const contents = [sentence(n++), sentence(n++), sentence(n++)];
          res = await request(`${s.url}/v1/store/batch`, "POST", {
            key: writer,
            body: { memories: contents.map((content) => ({ content, namespace: "load" })) },
          });
          if (res.status === 200) {
            res.json.stored.forEach((st: { id: string }, j: number) =>
              acked.set(st.id, [...(acked.get(st.id) ?? []), contents[j]])
            );
          }
        } else {
          const q0 = performance.now();
          res = await request(`${s.url}/v1/recall`, "POST", {
            key: reader,
            body: {
              query: `${WORDS[i % WORDS.length]} service port ${1000 + (i % 500)}`,
              limit: 5,
            },
          });
          recallMs.push(performance.now() - q0);
          assert.ok(Array.isArray(res.json?.memories), res.text);
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const secs = (performance.now() - t0) / 1000;
    assert.deepEqual([...statuses.keys()], [200], JSON.stringify([...statuses]));
    // Every acknowledged write is there, with its content (or merged into that id).
    for (const [id, contents] of acked) {
      const m = s.rt.store.getById(id);
      assert.ok(m, `acknowledged ${id} missing`);
      assert.ok(contents.includes(m.record.content) || m.record.evidence_count > 1, id);
    }
    const health = (await s.req("GET", "/v1/admin/index-health", { key: s.admin })).json;
    assert.equal(health.fts_consistent, true, JSON.stringify(health));
    assert.equal(health.vector_index_consistent, true, JSON.stringify(health));
    assert.equal(health.missing_embeddings, 0);
    assert.ok(health.write_queue.max_batch_items > 1, "no group commit happened");
    recallMs.sort((a, b) => a - b);
    console.log(
      `load: ${TOTAL} requests in ${secs.toFixed(2)} s (${(TOTAL / secs).toFixed(0)} req/s), ` +
        `${acked.size} ids acknowledged, recall p50 ${
          recallMs[Math.floor(recallMs.length / 2)].toFixed(1)
        } ms p95 ${recallMs[Math.floor(recallMs.length * 0.95)].toFixed(1)} ms, ` +
        `group commits ${health.write_queue.batches} (max ${health.write_queue.max_batch_items})`,
    );
  });
});
