/**
 * Edges after a scripted multi-session history, and their consistency when memories are
 * updated, forgotten and archived.
 */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import {
  drain,
  enqueueRemember,
  forget,
  linkMemoriesByHand,
  memoryGraph,
  rebuildMemoryGraph,
  recall,
  storeMemory,
  updateMemory,
} from "../../lib/memory/mod.ts";
import { edgeList, storeHistory } from "./_history.ts";

Deno.test("graph: a batch write builds temporal, entity and causal edges; rebuild adds semantic", async () => {
  await using t = await tempRuntime();
  const keys = await storeHistory(t.rt);
  const edges = edgeList(t.rt, keys);
  // Temporal: a chain per session in time order, never across sessions.
  assert.ok(edges.includes("temporal etcd→canary"));
  assert.ok(edges.includes("temporal canary→fix"));
  assert.ok(edges.includes("temporal bike→bus"));
  assert.ok(!edges.some((e) => e.startsWith("temporal") && e.includes("bike-twin")));
  assert.ok(!edges.includes("temporal etcd→fix"), "the chain links neighbours only");
  // Entity: "Quartermaster" is named by both.
  assert.ok(edges.includes("entity etcd→canary"));
  // Causal: "because Quartermaster went read-only" points at the memory stating it, cause → effect.
  assert.ok(edges.includes("causal etcd→canary"));
  assert.ok(edges.includes("causal bike→bus"));
  // A bulk write skips semantic neighbours; a rebuild adds them and keeps the rest.
  assert.ok(!edges.some((e) => e.startsWith("semantic")));
  const report = rebuildMemoryGraph(t.rt, { namespace: "g" });
  assert.equal(report.namespaces[0].memories, 6);
  const rebuilt = edgeList(t.rt, keys);
  assert.ok(rebuilt.includes("semantic bike→bike-twin"), rebuilt.join("\n"));
  for (const e of edges) assert.ok(rebuilt.includes(e), `rebuild lost ${e}`);
  // A dry run reports without writing.
  t.rt.store.db.exec("DELETE FROM memory_edges WHERE kind = 'semantic'");
  const dry = rebuildMemoryGraph(t.rt, { namespace: "g", dryRun: true });
  assert.equal(dry.namespaces[0].edges.semantic, 1);
  assert.ok(!edgeList(t.rt, keys).some((e) => e.startsWith("semantic")));
});

Deno.test("graph: a store links entities at once; semantic edges come with a rebuild", async () => {
  await using t = await tempRuntime();
  const a = await storeMemory(t.rt, {
    content: "The user's green Surly Cross-Check bike was stolen outside the Highland library.",
    namespace: "g",
  });
  const b = await storeMemory(t.rt, {
    content:
      "A green Surly Cross-Check bike like the user's stolen one was listed for sale online.",
    namespace: "g",
  });
  const kinds = () =>
    memoryGraph(t.rt, b.id).edges.filter((e) => e.neighbour.id === a.id).map((e) => e.kind)
      .sort();
  // The write path skips the nearest-neighbour search (it costs more than the write itself).
  assert.deepEqual(kinds(), ["entity"]);
  rebuildMemoryGraph(t.rt, { namespace: "g" });
  assert.deepEqual(kinds(), ["entity", "semantic"]);
});

Deno.test("graph: a drained fact gets semantic edges (the drain runs in the background)", async () => {
  await using t = await tempRuntime();
  const a = await storeMemory(t.rt, {
    content: "The user's green Surly Cross-Check bike was stolen outside the Highland library.",
    namespace: "g",
  });
  enqueueRemember(t.rt.store, t.rt.config, {
    content:
      "A green Surly Cross-Check bike like the user's stolen one was listed for sale online.",
    namespace: "g",
  });
  const s = await drain(t.rt, { worker: "test" });
  assert.equal(s.processed, 1);
  const b = t.rt.store.list({ namespace: "g" }).find((m) => m.record.id !== a.id)!;
  const kinds = memoryGraph(t.rt, b.record.id).edges.filter((e) => e.neighbour.id === a.id)
    .map((e) => e.kind).sort();
  assert.deepEqual(kinds, ["entity", "semantic"]);
});

Deno.test("graph: update recomputes a memory's automatic edges and keeps manual ones", async () => {
  await using t = await tempRuntime();
  const keys = await storeHistory(t.rt);
  linkMemoriesByHand(t.rt, { from: keys.get("fix")!, to: keys.get("bus")!, kind: "entity" });
  await updateMemory(t.rt, {
    id: keys.get("canary")!,
    content: "The billing-api canary was rolled back after a failed health check.",
  });
  const edges = edgeList(t.rt, keys);
  assert.ok(!edges.includes("causal etcd→canary"), "the cause is no longer stated");
  assert.ok(!edges.includes("entity etcd→canary"), "Quartermaster is no longer named");
  assert.ok(edges.includes("temporal etcd→canary"), "its place in the session is unchanged");
  assert.ok(edges.includes("temporal canary→fix"));
  assert.ok(edges.includes("entity fix→bus"), "manual edges survive");
  // A rebuild keeps the manual edge too.
  rebuildMemoryGraph(t.rt, {});
  assert.ok(edgeList(t.rt, keys).includes("entity fix→bus"));
  const manual = memoryGraph(t.rt, keys.get("fix")!).edges.find((e) => e.origin === "manual");
  assert.equal(manual?.neighbour.id, keys.get("bus"));
});

Deno.test("graph: forget removes every edge of the forgotten memory in the same transaction", async () => {
  await using t = await tempRuntime();
  const keys = await storeHistory(t.rt);
  linkMemoriesByHand(t.rt, { from: keys.get("etcd")!, to: keys.get("bus")!, kind: "causal" });
  forget(t.rt, { namespace: "g", ids: [keys.get("etcd")!] });
  const edges = edgeList(t.rt, keys);
  assert.ok(!edges.some((e) => e.includes("etcd")), edges.join("\n"));
  assert.ok(edges.includes("temporal canary→fix"), "other edges stay");
  const dangling = t.rt.store.db.prepare(
    `SELECT count(*) AS n FROM memory_edges e WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.id = e.src)
     OR NOT EXISTS (SELECT 1 FROM memories m WHERE m.id = e.dst)`,
  ).get() as { n: number };
  assert.equal(dangling.n, 0);
});

Deno.test("graph: archived memories keep their edges but recall never expands into them", async () => {
  await using t = await tempRuntime();
  const keys = await storeHistory(t.rt);
  const query = "why was the billing-api canary rolled back?";
  const ids = async () =>
    (await recall(t.rt, { query, namespace: "g", graph: true, limit: 10 })).memories.map((m) =>
      m.id
    );
  assert.ok((await ids()).includes(keys.get("etcd")!));
  const m = t.rt.store.getById(keys.get("etcd")!)!;
  t.rt.store.update(m.pk, { ...m.record, archived: true, version: m.record.version + 1 });
  assert.ok(edgeList(t.rt, keys).includes("causal etcd→canary"), "edges kept on archive");
  assert.ok(!(await ids()).includes(keys.get("etcd")!), "archived endpoint filtered");
  const shown = memoryGraph(t.rt, keys.get("canary")!).edges.find((e) =>
    e.neighbour.id === keys.get("etcd")
  );
  assert.equal(shown?.neighbour.archived, true, "inspection still shows it, flagged");
});

Deno.test("graph: recall explains the intent and the expansion path", async () => {
  await using t = await tempRuntime();
  const keys = await storeHistory(t.rt);
  const res = await recall(t.rt, {
    query: "why is the user taking the bus?",
    namespace: "g",
    explain: true,
  });
  assert.equal(res.explain?.intent.kind, "why");
  assert.ok(res.explain?.expansion);
  const bike = res.memories.find((m) => m.id === keys.get("bike"));
  assert.ok(bike, "the cause is recalled");
  const off = await recall(t.rt, {
    query: "why is the user taking the bus?",
    namespace: "g",
    graph: false,
    explain: true,
  });
  assert.equal(off.explain?.expansion, null);
});
