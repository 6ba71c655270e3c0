/** Reconciliation decisions: the pure table, then the same cases through remember → drain. */
import assert from "node:assert/strict";
import { contentHash } from "../../lib/store/mod.ts";
import { decide, type Neighbour, valueChange } from "../../lib/memory/reconcile.ts";
import { enqueueRemember } from "../../lib/memory/remember.ts";
import { drain } from "../../lib/memory/drain.ts";
import { storeMemory } from "../../lib/memory/write_input.ts";
import { tempRuntime } from "../_support/runtime.ts";

const OPTS = { duplicateThreshold: 0.95 };
const n = (id: string, content: string, similarity: number): Neighbour => ({
  id,
  content,
  content_hash: `h-${id}`,
  similarity,
});

const TABLE: {
  name: string;
  old: string;
  fact: string;
  sim: number;
  action: string;
  reason: RegExp;
}[] = [
  {
    name: "add: no related memory",
    old: "The office coffee machine is on floor three",
    fact: "The release train leaves every second Tuesday",
    sim: 0.2,
    action: "ADD",
    reason: /new fact/,
  },
  {
    name: "update: changed value, same subject",
    old: "The API server listens on port 8080",
    fact: "The API server listens on port 9090",
    sim: 0.93,
    action: "UPDATE",
    reason: /8080 → 9090/,
  },
  {
    name: "update: changed trailing identifier",
    old: "The primary billing database is postgres",
    fact: "The primary billing database is mysql",
    sim: 0.97,
    action: "UPDATE",
    reason: /postgres → mysql/,
  },
  {
    name: "contradiction: opposite polarity",
    old: "Auto deploy is enabled for the staging cluster",
    fact: "Auto deploy is disabled for the staging cluster",
    sim: 0.97,
    action: "DELETE",
    reason: /contradiction/,
  },
  {
    name: "duplicate: same meaning, same values",
    old: "Deploys need a staging signoff from QA",
    fact: "Deploys need the staging signoff from QA",
    sim: 0.98,
    action: "NONE",
    reason: /duplicate/,
  },
  {
    name: "unrelated: similar words, different subject",
    old: "Alice reviews the frontend pull requests",
    fact: "Bob reviews the frontend pull requests",
    sim: 0.9,
    action: "ADD",
    reason: /unrelated/,
  },
];

for (const c of TABLE) {
  Deno.test(`reconcile decide: ${c.name}`, () => {
    const d = decide(c.fact, "h-new", [n("old", c.old, c.sim)], OPTS);
    assert.equal(d.action, c.action, d.reason);
    assert.match(d.reason, c.reason);
    if (c.action !== "ADD") assert.equal(d.target_id, "old");
  });
}

Deno.test("reconcile decide: identical hash is a duplicate; no neighbours is an add", () => {
  const d = decide("x y z", "h-old", [n("old", "x y z", 0.1)], OPTS);
  assert.equal(d.action, "NONE");
  assert.equal(decide("anything at all", "h", [], OPTS).action, "ADD");
});

Deno.test("reconcile decide: a value change below the subject threshold is an add", () => {
  const d = decide("The API server listens on port 9090", "h", [
    n("old", "The API server listens on port 8080", 0.4),
  ], OPTS);
  assert.equal(d.action, "ADD");
});

Deno.test("reconcile valueChange: same values and different subjects are not changes", () => {
  assert.equal(valueChange("Port is 8080 for api", "Port is 8080 for api"), null);
  assert.equal(valueChange("Timeout is 30 seconds", "Retries are 3 per job"), null);
  assert.deepEqual(valueChange("Build uses node 18", "Build uses node 20"), {
    from: "18",
    to: "20",
  });
});

for (const c of TABLE) {
  Deno.test(`reconcile via drain: ${c.name}`, async () => {
    await using t = await tempRuntime();
    const rt = t.rt;
    const old = await storeMemory(rt, { content: c.old, namespace: "rc" });
    const q = enqueueRemember(rt.store, rt.config, { content: c.fact, namespace: "rc" });
    const s = await drain(rt, { worker: "test" });
    assert.equal(s.lock, "acquired");
    assert.equal(s.processed, 1);
    const row = rt.store.db.prepare("SELECT done_at, result FROM remember_queue WHERE id = ?")
      .get(q.queue_id) as { done_at: string | null; result: string };
    assert.ok(row.done_at);
    const result = JSON.parse(row.result);
    assert.equal(result.action, c.action, result.reason);
    assert.match(result.reason, c.reason);
    const dec = rt.store.db.prepare("SELECT * FROM remember_decisions WHERE queue_id = ?")
      .get(q.queue_id) as { action: string; reason: string; memory_id: string };
    assert.equal(dec.action, c.action);
    assert.equal(result.source, "rules");
    assert.equal(dec.reason, `rules: ${result.reason}`);
    const before = rt.store.getById(old.id)!.record;
    if (c.action === "UPDATE" || c.action === "DELETE") {
      assert.equal(before.archived, true);
      assert.equal(before.status, "stale");
      assert.equal(before.superseded_by, result.memory_id);
      const fresh = rt.store.getById(result.memory_id)!.record;
      assert.equal(fresh.content, c.fact);
      assert.equal(fresh.status, "active");
      assert.deepEqual(fresh.derived_from, [old.id]);
    } else if (c.action === "NONE") {
      assert.equal(result.memory_id, old.id);
      assert.equal(before.evidence_count, 2);
    } else {
      assert.equal(before.archived, false);
      assert.notEqual(result.memory_id, old.id);
      assert.equal(rt.store.getById(result.memory_id)!.record.content, c.fact);
    }
    assert.equal(
      rt.store.count({ namespace: "rc", archived: "include" }),
      c.action === "NONE" ? 1 : 2,
    );
  });
}

Deno.test("reconcile via drain: exact repeat merges evidence, hash-identical", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  for (let i = 0; i < 3; i++) {
    enqueueRemember(rt.store, rt.config, { content: "Use pnpm, not npm" });
  }
  const s = await drain(rt, { worker: "test" });
  assert.deepEqual(s.actions, { ADD: 1, UPDATE: 0, DELETE: 0, NONE: 2 });
  const [m] = rt.store.list({ namespace: "default" });
  assert.equal(m.record.evidence_count, 3);
  assert.equal(m.record.content_hash, await contentHash("Use pnpm, not npm"));
});
