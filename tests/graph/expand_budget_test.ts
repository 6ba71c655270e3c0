/**
 * Bounded graph expansion: a hub memory with many links costs at most the edge budget per hop
 * (its strongest links are the ones followed), and a spent time budget stops the walk after
 * the hop in progress, keeping what that hop reached. Behaviour only, no timing.
 */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import { recall, storeMemory } from "../../lib/memory/mod.ts";
import { beamExpand, linkByHand } from "../../lib/graph/mod.ts";

const NOW = "2026-12-01T00:00:00.000Z";
const accept = () => true;

/** A hub linked to 30 spokes (weights 0.30 .. 0.59); spoke i links on to a leaf i. */
async function hubGraph() {
  const t = await tempRuntime("[graph]\nlink_on_write = false\n");
  const contents = [
    "Hub memory: the ingest gateway",
    ...Array.from({ length: 30 }, (_, i) => `Spoke number ${i} about topic ${i}`),
    ...Array.from({ length: 30 }, (_, i) => `Leaf number ${i} far away ${i}`),
  ];
  const ids: string[] = [];
  for (const content of contents) {
    ids.push((await storeMemory(t.rt, { content, namespace: "g" })).id);
  }
  const hub = ids[0];
  const spoke = (i: number) => ids[1 + i];
  const leaf = (i: number) => ids[31 + i];
  for (let i = 0; i < 30; i++) {
    linkByHand(t.rt.store, { from: hub, to: spoke(i), kind: "entity", weight: 0.3 + i / 100 }, NOW);
    linkByHand(t.rt.store, { from: spoke(i), to: leaf(i), kind: "entity", weight: 1 }, NOW);
  }
  return { t, hub, spoke, leaf };
}

Deno.test("graph expansion: a hop reads at most the edge budget, strongest links first", async () => {
  const { t, hub, spoke } = await hubGraph();
  await using _ = t;
  const plan = { kinds: { entity: 1 }, depth: 1, beam: 40, budget: 40 };
  const all = beamExpand(t.rt.store, [{ id: hub, score: 1 }], plan, accept);
  assert.equal(all.length, 30, "without a tight budget every spoke is reached");
  const bounded = beamExpand(
    t.rt.store,
    [{ id: hub, score: 1 }],
    { ...plan, edgeBudget: 5 },
    accept,
  );
  // The five strongest links are spokes 29..25 (weights 0.59..0.55).
  assert.deepEqual(
    bounded.map((r) => r.id).sort(),
    [29, 28, 27, 26, 25].map(spoke).sort(),
  );
});

Deno.test("graph expansion: a spent time budget stops after the current hop and keeps its reach", async () => {
  const { t, hub, spoke, leaf } = await hubGraph();
  await using _ = t;
  const plan = { kinds: { entity: 1 }, depth: 2, beam: 3, budget: 40 };
  const full = beamExpand(t.rt.store, [{ id: hub, score: 1 }], plan, accept);
  assert.ok(full.some((r) => r.id === leaf(29)), "two hops reach the leaf of the best spoke");
  const cut = beamExpand(t.rt.store, [{ id: hub, score: 1 }], { ...plan, timeBudgetMs: 0 }, accept);
  assert.equal(cut.length, 30, "the first hop's spokes are all kept");
  assert.ok(cut.some((r) => r.id === spoke(29)));
  assert.ok(!cut.some((r) => r.path.length > 1), "no second hop was taken");
});

Deno.test("graph recall: expanding from a hub keeps the seed hit on top", async () => {
  const { t, hub, spoke } = await hubGraph();
  await using _ = t;
  const res = await recall(t.rt, {
    query: "why was the ingest gateway changed?",
    namespace: "g",
    limit: 10,
    explain: true,
  });
  assert.equal(res.memories[0].id, hub);
  assert.ok(res.explain?.expansion, "the why-intent expansion ran");
  assert.ok(res.memories.some((m) => m.id === spoke(29)), "the strongest link was followed");
});
