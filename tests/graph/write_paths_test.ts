/**
 * Edges for memories written outside the store path: passport import and consolidation link
 * their new memories in the same transaction, and an updated memory gets back the causal edges
 * other memories' clauses made to it.
 */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import {
  consolidate,
  memoryGraph,
  type Runtime,
  storeMemories,
  validateStoreInput,
} from "../../lib/memory/mod.ts";
import { exportPassport, importPassport } from "../../lib/portable/mod.ts";
import { relinkUpdated } from "../../lib/graph/mod.ts";
import { edgeList, HISTORY, storeHistory } from "./_history.ts";

Deno.test("graph: a passport imported into a fresh namespace comes with its edges", async () => {
  await using t = await tempRuntime();
  await storeHistory(t.rt, "g");
  const tree = exportPassport(t.rt, { namespace: "g", scope: "all" });
  const res = await importPassport(t.rt, tree, { namespace: "fresh" });
  assert.equal(res.imported_ids.length, HISTORY.length);
  const keys = new Map(HISTORY.map((h) => {
    const id = res.imported_ids.find((x) => t.rt.store.getById(x)!.record.content === h.content)!;
    return [h.key, id];
  }));
  const shown = memoryGraph(t.rt, keys.get("canary")!);
  const kinds = new Set(shown.edges.map((e) => e.kind));
  assert.ok(kinds.has("temporal") && kinds.has("entity"), [...kinds].join());
  assert.ok(shown.edges.every((e) => e.neighbour.namespace === "fresh"));
  const edges = edgeList(t.rt, keys);
  for (const e of ["temporal etcd→canary", "temporal canary→fix", "entity etcd→canary"]) {
    assert.ok(edges.includes(e), `${e} in\n${edges.join("\n")}`);
  }
  // (etcd→canary is not asserted: with the same text in two namespaces the causal rule's
  // rarest-word pick goes astray — lib/graph/build.ts, also without an import.)
  assert.ok(edges.includes("causal bike→bus"));
  assert.ok(!edges.includes("temporal etcd→fix"), "a chain, as the write path builds it");
});

Deno.test("graph: consolidation links the derived memory", async () => {
  await using t = await tempRuntime();
  const base =
    "Dana Whitfield runs the nightly billing-api backup job that writes snapshots to cold storage";
  const inputs = [
    `${base}.`,
    // Different enough not to merge on write, yet a structural duplicate.
    `${base}, and a weekly job verifies that restores work in the staging cluster.`,
    "The billing-api backup job failed twice last week.",
  ].map((content) => validateStoreInput(t.rt, { content, namespace: "k" }));
  const [a, b, other] = await storeMemories(t.rt, inputs);
  const res = await consolidate(t.rt, { namespace: "k" });
  assert.equal(res.derived_created, 1);
  const derived = res.groups[0].derived_id!;
  assert.deepEqual(res.groups[0].source_ids.sort(), [a.id, b.id].sort());
  const edges = memoryGraph(t.rt, derived).edges;
  const entity = edges.find((e) => e.kind === "entity" && e.neighbour.id === other.id);
  assert.ok(entity, JSON.stringify(edges.map((e) => [e.kind, e.neighbour.content])));
  assert.ok((entity.detail.entities as string[]).length > 0);
});

/** What `updateMemory` does for a content change, with `relinkUpdated` as its link step. */
function updateContent(rt: Runtime, id: string, content: string) {
  rt.store.transaction(() => {
    const m = rt.store.getById(id)!;
    rt.store.update(m.pk, { ...m.record, content, version: m.record.version + 1 });
    relinkUpdated(rt.store, [id], { index: rt.index, stats: rt.stats });
  });
}

Deno.test("graph: an update re-resolves the causal edges other memories' clauses made to it", async () => {
  await using t = await tempRuntime();
  const keys = await storeHistory(t.rt);
  const before = memoryGraph(t.rt, keys.get("etcd")!, { kinds: ["causal"] }).edges;
  assert.equal(before.length, 1);
  assert.equal(before[0].detail.cue, "because", "canary's clause points at etcd");
  // Still states that Quartermaster went read-only: the edge comes back at once.
  updateContent(
    t.rt,
    keys.get("etcd")!,
    "Quartermaster went read-only for two hours on July 2 when its etcd cluster lost quorum.",
  );
  const after = memoryGraph(t.rt, keys.get("etcd")!, { kinds: ["causal"] }).edges;
  assert.equal(after.length, 1);
  assert.equal(after[0].from, keys.get("etcd"));
  assert.equal(after[0].to, keys.get("canary"));
  assert.deepEqual(after[0].detail, before[0].detail);
  assert.ok(edgeList(t.rt, keys).includes("temporal etcd→canary"), "its own edges recomputed");
  // No longer states it: the edge is gone, as a rebuild would have it.
  updateContent(t.rt, keys.get("etcd")!, "The etcd cluster was upgraded to 3.6 in August.");
  assert.deepEqual(memoryGraph(t.rt, keys.get("etcd")!, { kinds: ["causal"] }).edges, []);
  assert.ok(edgeList(t.rt, keys).includes("causal bike→bus"), "other causal edges untouched");
});
