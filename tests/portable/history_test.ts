/** Histories: lineage walk, edges, timeline; export, replay (lossless, empty namespace only), branch. */
import assert from "node:assert/strict";
import { namespaceRecords } from "../../lib/memory/records_io.ts";
import {
  branchHistory,
  buildHistory,
  exportHistory,
  historyEdges,
  historyNodes,
  historyTimeline,
  type JsonObject,
  normalize,
  parseJson,
  prettyJson,
  replayHistory,
  showHistory,
  verify,
} from "../../lib/portable/mod.ts";
import { needsPython, pythonReference } from "./_python.ts";
import { IDS, portable, richRecords, seed, tempDir, withHomeRuntime } from "./_support.ts";

const CONTRACT = {
  contract_id: "memoryoss.runtime.v1alpha1",
  version: "2026-03-13",
  document_route: "/v1/runtime/contract",
  stable_semantics: ["namespace_scope"],
  experimental_layers_excluded: [],
};

Deno.test("historyNodes walks lineage both ways and sorts by creation", async () => {
  const rs = await richRecords();
  const ids = (root: string) => historyNodes(root, rs).map((r) => r.id);
  assert.deepEqual(ids(IDS.c), [IDS.b, IDS.c], "superseded_by, followed backwards");
  assert.deepEqual(ids(IDS.a), [IDS.h, IDS.a, IDS.d], "derived_from both ways, archived kept");
  assert.deepEqual(ids(IDS.e), [IDS.e, IDS.f]);
  assert.deepEqual(ids(IDS.g), [IDS.g]);
  assert.deepEqual(ids("0195ffff-0000-7000-8000-000000000000"), []);
});

Deno.test("historyEdges and historyTimeline follow memoryOSS §5.3", async () => {
  const rs = await richRecords();
  assert.deepEqual(historyEdges(historyNodes(IDS.a, rs)), [
    { from: IDS.a, to: IDS.d, kind: "derived_from" },
    { from: IDS.h, to: IDS.d, kind: "derived_from" },
  ]);
  assert.deepEqual(historyEdges(historyNodes(IDS.e, rs)), [
    { from: IDS.e, to: IDS.f, kind: "contradicts_with" },
  ]);
  const tl = historyTimeline(historyNodes(IDS.c, rs));
  assert.deepEqual(tl.map((e) => [e.kind, e.memory_id]), [
    ["created", IDS.b],
    ["created", IDS.c],
    ["review", IDS.b],
    ["superseded", IDS.b],
  ]);
  const review = tl[2];
  assert.equal(review.to_status, "stale");
  assert.equal(review.actor, "operator");
  assert.deepEqual(review.related_ids, [IDS.c]);
  const arch = historyTimeline(historyNodes(IDS.a, rs)).map((e) => e.kind);
  assert.ok(arch.includes("archived") && arch.includes("derived") && arch.includes("review"));
  const pair = historyTimeline(historyNodes(IDS.e, rs));
  assert.equal(pair.filter((e) => e.kind === "contradicted").length, 1, "once per pair");
  assert.ok(pair.some((e) => e.kind === "state_snapshot" && e.memory_id === IDS.e));
  for (let i = 1; i < tl.length; i++) assert.ok(Date.parse(tl[i - 1].at) <= Date.parse(tl[i].at));
});

Deno.test("buildHistory verifies, as the Rust runtime would hash it", async () => {
  const tree = buildHistory(IDS.a, await richRecords(), {
    namespace: "proj",
    historyId: "0195d000-0000-7000-8000-000000000001",
    exportedAt: new Date("2026-03-13T09:00:00Z"),
    contract: CONTRACT,
  });
  const v = verify(tree);
  assert.ok(v.ok, JSON.stringify(v.errors));
  assert.deepEqual(v.warnings, []);
  assert.equal(tree.get("exported_at"), "2026-03-13T09:00:00Z");
  assert.equal((tree.get("memories") as JsonObject[]).length, 3);
});

Deno.test(
  needsPython(
    "an exported history verifies under Python's json/hashlib and normalizes as Python prints it",
  ),
  async () => {
    const tree = buildHistory(IDS.a, await richRecords(), {
      namespace: "proj",
      historyId: "0195d000-0000-7000-8000-000000000001",
      exportedAt: new Date("2026-03-13T09:00:00Z"),
      contract: CONTRACT,
    });
    const text = prettyJson(tree) + "\n";
    const [ref] = await pythonReference([{ kind: "history", text }]);
    assert.equal(ref.computed, ref.stored, "the hash we wrote is the one Python computes");
    assert.ok(
      ref.payload!.includes(
        '"content":"Deploy only after staging signoff; café ☕ naïve résumé 𝄞."',
      ),
    );
    assert.equal(normalize("history", tree), ref.normalized, "extras block included, as received");
  },
);

Deno.test("history export → replay into a fresh home restores every node exactly", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const { text, nodes } = await withHomeRuntime(a.path, async (rt) => {
    await seed(rt, await richRecords());
    const view = showHistory(rt, IDS.d, "proj");
    assert.deepEqual(view.visible_memory_ids, [IDS.a, IDS.d]);
    assert.equal(view.branch_safe, true);
    const all = namespaceRecords(rt, "proj").map((m) => m.record);
    return {
      text: prettyJson(exportHistory(rt, IDS.d)),
      nodes: all.filter((r) => [IDS.a, IDS.d, IDS.h].includes(r.id)),
    };
  });
  await withHomeRuntime(b.path, async (rt) => {
    const dry = await replayHistory(rt, parseJson(text), { namespace: "clean", dryRun: true });
    assert.deepEqual(dry.preview, {
      target_namespace: "clean",
      root_id: IDS.d,
      integrity_valid: true,
      can_replay: true,
      create_count: 3,
      visible_count: 2,
    });
    assert.equal(namespaceRecords(rt, "clean").length, 0);
    const res = await replayHistory(rt, parseJson(text), {
      namespace: "clean",
      allowUntrusted: true,
    });
    assert.equal(res.replayed, true);
    const got = namespaceRecords(rt, "clean").map((m) => m.record);
    assert.deepEqual(got.map(portable), nodes.map(portable), "archived node and lineage kept");
    const blocked = await replayHistory(rt, parseJson(text), { namespace: "clean", dryRun: true });
    assert.equal(blocked.preview.can_replay, false);
    assert.match(blocked.preview.blocked_reason!, /not empty \(3 memories\)/);
    await assert.rejects(
      () => replayHistory(rt, parseJson(text), { namespace: "clean", allowUntrusted: true }),
      (e: Error & { code?: string }) => e.code === "CONFLICT",
    );
  });
});

Deno.test("history branch copies the lineage with new ids into an empty namespace", async () => {
  await using home = await tempDir();
  await withHomeRuntime(home.path, async (rt) => {
    await seed(rt, await richRecords());
    const res = await branchHistory(rt, IDS.c, { target: "b" });
    assert.equal(res.imported_ids.length, 2);
    const copy = namespaceRecords(rt, "b").map((m) => m.record);
    const oldB = copy.find((r) => r.id === res.renamed_ids[IDS.b])!;
    assert.equal(oldB.superseded_by, res.renamed_ids[IDS.c]);
    assert.equal(oldB.status, "stale");
    assert.equal(res.preview.root_id, res.renamed_ids[IDS.c]);
    assert.equal(namespaceRecords(rt, "proj").length, 8, "source untouched");
    await assert.rejects(() => branchHistory(rt, IDS.c, { target: "b" }), /not empty/);
    assert.throws(
      () => showHistory(rt, IDS.c, "other"),
      (e: Error & { code?: string }) => e.code === "NOT_FOUND",
    );
  });
});
