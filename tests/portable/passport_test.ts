/** Passport export/import: scope rules, Rust-exact artifacts, lossless round trips, the plan. */
import assert from "node:assert/strict";
import { namespaceRecords } from "../../lib/memory/records_io.ts";
import {
  exportPassport,
  importPassport,
  inPassportScope,
  isJsonObject,
  type JsonObject,
  normalize,
  parseJson,
  type PassportScope,
  prettyJson,
  replayHistory,
  verify,
} from "../../lib/portable/mod.ts";
import { readConformance } from "./_helpers.ts";
import { needsPython, pythonReference } from "./_python.ts";
import { IDS, portable, record, richRecords, seed, tempDir, withHomeRuntime } from "./_support.ts";

const records = (rt: Parameters<typeof namespaceRecords>[0], ns: string) =>
  namespaceRecords(rt, ns).map((m) => m.record);

Deno.test("passport scope selection follows memoryOSS §5.2", () => {
  const cases: [string[], boolean, PassportScope, boolean][] = [
    [[], false, "all", true],
    [[], false, "project", true],
    [[], false, "personal", false],
    [["Preference"], false, "personal", true],
    [["preference"], false, "project", false],
    [[], true, "personal", true],
    [[], true, "project", false],
    [["deploy"], true, "project", true],
    [["POLICY"], false, "team", true],
    [["policy"], false, "project", false],
    [["policy", "rule"], false, "project", true],
  ];
  for (const [tags, agent, scope, want] of cases) {
    const r = { tags, agent: agent ? "bot" : null, session: null, archived: false };
    assert.equal(inPassportScope(r, scope), want, `${tags} agent=${agent} ${scope}`);
  }
  const archived = { tags: [], agent: null, session: null, archived: true };
  assert.equal(inPassportScope(archived, "all"), false);
});

Deno.test("an exported passport verifies and is what the Rust runtime would hash", async () => {
  await using home = await tempDir();
  await withHomeRuntime(home.path, async (rt) => {
    await seed(rt, await richRecords());
    const tree = exportPassport(rt, { namespace: "proj", scope: "all" });
    const v = verify(tree);
    assert.ok(v.ok, JSON.stringify(v.errors));
    assert.deepEqual(v.warnings, [], "the memoryOSS Rust runtime would accept it");
    const memories = tree.get("memories") as JsonObject[];
    assert.equal(memories.length, 7, "the archived record stays out");
    const a = memories.find((m) => m.get("id") === IDS.a)!;
    assert.equal(String(a.get("confidence")), "1.0", "f64 in Rust form");
    assert.equal(a.get("created_at"), "2026-03-01T09:00:00.123Z");
    assert.ok(!memories.some((m) => m.has("injection_count")), "no outcome counters");
    const project = exportPassport(rt, { namespace: "proj", scope: "project" });
    const ids = (project.get("memories") as JsonObject[]).map((m) => m.get("id"));
    assert.ok(!ids.includes(IDS.g), "a personal memory is not in the project scope");
  });
});

Deno.test(
  needsPython(
    "an exported passport verifies under Python's json/hashlib and normalizes as Python prints it",
  ),
  async () => {
    await using home = await tempDir();
    const text = await withHomeRuntime(home.path, async (rt) => {
      await seed(rt, await richRecords());
      return prettyJson(exportPassport(rt, { namespace: "proj", scope: "all" })) + "\n";
    });
    const [ref] = await pythonReference([{ kind: "passport", text }]);
    assert.equal(ref.computed, ref.stored, "the hash we wrote is the one Python computes");
    // written by hand from richRecords: the f64 confidence keeps its ".0", non-ASCII stays raw
    assert.ok(ref.payload!.includes('"archived":false,"confidence":1.0,"evidence_count":2,'));
    assert.ok(
      ref.payload!.includes(
        '"content":"Deploy only after staging signoff; café ☕ naïve résumé 𝄞."',
      ),
    );
    assert.ok(!ref.payload!.includes("x_memoryoss"), "our extras block is outside the hash");
    assert.equal(normalize("passport", text), ref.normalized);
    assert.equal(ref.normalized, text, "an export is already in the reference layout");
  },
);

Deno.test("passport export → import into a second home is lossless", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const source = await withHomeRuntime(a.path, async (rt) => {
    await seed(rt, await richRecords());
    return {
      text: prettyJson(exportPassport(rt, { namespace: "proj", scope: "all" })),
      records: records(rt, "proj").filter((r) => !r.archived),
    };
  });
  await withHomeRuntime(b.path, async (rt) => {
    const res = await importPassport(rt, parseJson(source.text), {});
    assert.equal(res.preview.create_count, 7, JSON.stringify(res.preview.items));
    assert.equal(res.preview.conflict_count, 0, "a recorded contradiction is not a new one");
    assert.deepEqual(res.renamed_ids, {});
    const got = records(rt, "proj");
    assert.deepEqual(got.map(portable), source.records.map(portable));
    // importing the same passport again changes nothing
    const again = await importPassport(rt, parseJson(source.text), {});
    assert.equal(again.preview.merge_count, 7);
    assert.deepEqual(records(rt, "proj").map(portable), source.records.map(portable));
  });
});

Deno.test("passport import into another namespace of the same home renames ids and rewires lineage", async () => {
  await using home = await tempDir();
  await withHomeRuntime(home.path, async (rt) => {
    await seed(rt, await richRecords());
    const tree = exportPassport(rt, { namespace: "proj", scope: "all" });
    const dry = await importPassport(rt, tree, { namespace: "other", dryRun: true });
    assert.equal(dry.imported, false);
    assert.equal(dry.preview.target_namespace, "other");
    assert.equal(dry.preview.create_count, 7);
    assert.equal(records(rt, "other").length, 0, "a dry run writes nothing");
    const res = await importPassport(rt, tree, { namespace: "other" });
    assert.equal(Object.keys(res.renamed_ids).length, 7);
    const copy = records(rt, "other");
    const b = copy.find((r) => r.id === res.renamed_ids[IDS.b])!;
    assert.equal(b.superseded_by, res.renamed_ids[IDS.c]);
    assert.equal(b.review_events[0].superseded_by, res.renamed_ids[IDS.c]);
    const d = copy.find((r) => r.id === res.renamed_ids[IDS.d])!;
    assert.deepEqual(d.derived_from, [res.renamed_ids[IDS.a], IDS.h], "absent sources keep ids");
    assert.equal(records(rt, "proj").length, 8, "the source namespace is untouched");
  });
});

Deno.test("passport import plans merge (hash, wording) and conflict, and applies them", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const text = await withHomeRuntime(a.path, async (rt) => {
    await seed(rt, [
      await record({
        id: "0195b000-0000-7000-8000-000000000001",
        namespace: "src",
        content: "The nightly backup job runs at 02:00 UTC.",
        created_at: "2026-03-01T00:00:00.000Z",
        tags: ["ops"],
      }),
      await record({
        id: "0195b000-0000-7000-8000-000000000002",
        namespace: "src",
        content: "Feature flags are enabled for the beta cohort only.",
        created_at: "2026-03-02T00:00:00.000Z",
      }),
      await record({
        id: "0195b000-0000-7000-8000-000000000003",
        namespace: "src",
        content: "Brand new fact about the deploy pipeline cache.",
        created_at: "2026-03-03T00:00:00.000Z",
      }),
    ]);
    return prettyJson(exportPassport(rt, { namespace: "src", scope: "all" }));
  });
  await withHomeRuntime(b.path, async (rt) => {
    await seed(rt, [
      await record({
        id: "0195c000-0000-7000-8000-000000000001",
        namespace: "dst",
        content: "The nightly backup job runs at 02:00 UTC.",
        created_at: "2026-02-01T00:00:00.000Z",
        tags: ["cron"],
      }),
      await record({
        id: "0195c000-0000-7000-8000-000000000002",
        namespace: "dst",
        content: "Feature flags are disabled for the beta cohort only.",
        created_at: "2026-02-02T00:00:00.000Z",
      }),
    ]);
    const res = await importPassport(rt, parseJson(text), { namespace: "dst" });
    assert.deepEqual(
      res.preview.items.map((i) => [i.decision, i.reason]),
      [
        ["merge", "same content_hash"],
        ["conflict", "contradicts an existing memory"],
        ["create", "new memory"],
      ],
    );
    const all = new Map(records(rt, "dst").map((r) => [r.id, r]));
    const merged = all.get("0195c000-0000-7000-8000-000000000001")!;
    assert.deepEqual(merged.tags.sort(), ["cron", "ops"]);
    assert.equal(merged.version, 2);
    const incoming = all.get("0195b000-0000-7000-8000-000000000002")!;
    const stored = all.get("0195c000-0000-7000-8000-000000000002")!;
    assert.equal(incoming.status, "contested");
    assert.equal(stored.status, "contested");
    assert.deepEqual(incoming.contradicts_with, [stored.id]);
    assert.deepEqual(stored.contradicts_with, [incoming.id]);
    assert.equal(all.size, 4);
  });
});

Deno.test("a passport that fails integrity is refused, even for a dry run", async () => {
  await using home = await tempDir();
  await withHomeRuntime(home.path, async (rt) => {
    await seed(rt, await richRecords());
    const tree = exportPassport(rt, { namespace: "proj", scope: "all" });
    const first = (tree.get("memories") as JsonObject[])[0];
    first.set("content", "tampered");
    await assert.rejects(
      () => importPassport(rt, tree, { namespace: "x", dryRun: true }),
      (e: Error & { code?: string }) => e.code === "INTEGRITY" && /payload_sha256/.test(e.message),
    );
    assert.ok(isJsonObject(tree));
  });
});

Deno.test("the published memoryOSS fixtures import and replay here", async () => {
  await using home = await tempDir();
  await withHomeRuntime(home.path, async (rt) => {
    const p = await importPassport(
      rt,
      parseJson(readConformance("fixtures/passport-bundle.json")),
      {},
    );
    assert.equal(p.preview.target_namespace, "demo");
    assert.equal(p.imported_ids.length, p.preview.create_count);
    const h = await replayHistory(rt, parseJson(readConformance("fixtures/history-bundle.json")), {
      namespace: "demo_history",
      allowUntrusted: true, // the published fixture is unsigned
    });
    assert.equal(h.imported_ids.length, 2);
    const rs = records(rt, "demo_history");
    const old = rs.find((r) => r.status === "stale")!;
    assert.equal(old.superseded_by, h.renamed_ids["33333333-3333-7333-8333-333333333333"]);
    assert.equal(old.created_at, "2026-03-10T09:00:00.000Z");
    assert.equal(old.confidence, 0.94);
    assert.equal(old.review_events[0].queue_kind, "contested");
  });
});

Deno.test("team_governance survives import and export (kept in metadata)", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const governance = {
    branch: "main",
    scope: "team",
    review_required: true,
    owners: ["ops"],
    watchlist: [],
    proposed_by: "alice",
    proposed_at: "2026-03-01T00:00:00Z",
  };
  const text = await withHomeRuntime(a.path, async (rt) => {
    await seed(rt, [
      await record({
        id: "0195f000-0000-7000-8000-000000000001",
        namespace: "t",
        content: "Security reviews need two owners.",
        created_at: "2026-03-01T00:00:00.000Z",
        tags: ["team"],
        metadata: { team_governance: governance },
      }),
    ]);
    return prettyJson(exportPassport(rt, { namespace: "t", scope: "team" }));
  });
  const entry = (parseJson(text) as JsonObject).get("memories") as JsonObject[];
  assert.equal((entry[0].get("team_governance") as JsonObject).get("proposed_by"), "alice");
  await withHomeRuntime(b.path, async (rt) => {
    await importPassport(rt, parseJson(text), {});
    const [r] = records(rt, "t");
    const g = r.metadata.team_governance as typeof governance;
    assert.equal(g.proposed_by, "alice");
    assert.deepEqual(g.owners, ["ops"]);
    assert.equal(g.review_required, true);
  });
});
