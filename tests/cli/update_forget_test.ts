/** End to end: update (content, tags, status, metadata) and forget (scoped deletes only). */
import assert from "node:assert/strict";
import {
  assertExit,
  assertUserError,
  cli,
  type Json,
  listAll,
  okJson,
  storeJson,
  withHome,
} from "./_helpers.ts";

Deno.test("cli update: new content is visible in recall and inspect; version bumps; errors exit 3/4", async () => {
  await withHome(async (home) => {
    const m = await storeJson(
      home,
      "-n",
      "demo",
      "--tags",
      "cache",
      "The cache TTL is 300 seconds.",
    );
    await storeJson(home, "-n", "demo", "The CI pipeline runs lint, type check and tests.");
    await storeJson(home, "-n", "demo", "Backups are taken nightly at 02:00 UTC.");

    const newText = "The cache TTL is 900 seconds since the March outage.";
    const up = okJson(await cli(home, "update", m.id, "--content", newText, "--json"));
    assert.equal(up.id, m.id);
    assert.equal(up.version, 2);
    assert.equal(up.content, newText);

    const text = await cli(
      home,
      "update",
      m.id,
      "-n",
      "demo",
      "--tags",
      "cache,ttl",
      "--metadata",
      '{"reviewed":true}',
      "--category",
      "fact",
    );
    assertExit(text, 0);
    assert.equal(text.stdout.trim(), `updated ${m.id} (v3)`);

    const ins = okJson(await cli(home, "inspect", m.id, "--json"));
    assert.equal(ins.content, newText);
    assert.equal(ins.version, 3);
    assert.deepEqual(ins.tags, ["cache", "ttl"]);
    assert.deepEqual(ins.metadata, { reviewed: true });
    assert.equal(ins.category, "fact");
    assert.equal(ins.embedding_current, true);

    const [byNew, byOld] = await Promise.all([
      cli(home, "recall", "-n", "demo", "--json", "what happened after the outage"),
      cli(home, "recall", "-n", "demo", "--json", "cache TTL 300"),
    ]);
    assert.equal(okJson(byNew).memories[0].id, m.id);
    assert.equal(okJson(byNew).memories[0].content, newText);
    const old = okJson(byOld).memories;
    assert.equal(old[0].id, m.id);
    assert.ok(old.every((r: Json) => !r.content.includes("300 seconds")), "old text is gone");

    // status stale: out of default recall, still listed with --status stale.
    okJson(await cli(home, "update", m.id, "--status", "stale", "--json"));
    const [hidden, staleList, activeList] = await Promise.all([
      cli(home, "recall", "-n", "demo", "--json", "cache TTL outage"),
      cli(home, "list", "-n", "demo", "--status", "stale", "--json"),
      cli(home, "list", "-n", "demo", "--status", "active", "--json"),
    ]);
    assert.ok(okJson(hidden).memories.every((r: Json) => r.id !== m.id));
    assert.deepEqual(okJson(staleList).memories.map((r: Json) => r.id), [m.id]);
    assert.equal(okJson(activeList).total, 2);

    const missingId = "01900000-0000-7000-8000-000000000000";
    const errors = await Promise.all([
      cli(home, "update", missingId, "--content", "x"),
      cli(home, "update", "not-an-id", "--tags", "x"),
      cli(home, "update", m.id),
      cli(home, "update", "--content", "x"),
      cli(home, "update", m.id, m.id, "--content", "x"),
      cli(home, "update", m.id, "--status", "bogus"),
      cli(home, "update", m.id, "--content", "  "),
      cli(home, "update", m.id, "--metadata", "nope"),
    ]);
    const want: [number, RegExp][] = [
      [4, /no memory with id 01900000-/],
      [4, /no memory with id not-an-id/],
      [3, /nothing to update/],
      [3, /exactly one memory id/],
      [3, /exactly one memory id/],
      [3, /status/],
      [3, /content/],
      [3, /--metadata/],
    ];
    errors.forEach((r, i) => {
      assertUserError(r, want[i][0]);
      assert.match(r.stderr, want[i][1]);
    });
    assert.equal(
      okJson(await cli(home, "inspect", m.id, "--json")).version,
      4,
      "errors wrote nothing",
    );
  });
});

Deno.test("cli forget: never unscoped; --dry-run deletes nothing; --ids/--tags/--all --yes delete exactly those", async () => {
  await withHome(async (home) => {
    const t1a = await storeJson(home, "-n", "f", "--tags", "t1", "First scratch note on caching.");
    const t1b = await storeJson(home, "-n", "f", "--tags", "t1,t2", "Second scratch note on logs.");
    const t2 = await storeJson(
      home,
      "-n",
      "f",
      "--tags",
      "t2",
      "Third note about the API gateway.",
    );
    const plain = await storeJson(home, "-n", "f", "Fourth note without any tag at all.");
    const other = await storeJson(home, "-n", "g", "--tags", "t1", "Other namespace, same tag.");
    const all4 = [t1a.id, t1b.id, t2.id, plain.id].sort();

    const refusals = await Promise.all([
      cli(home, "forget", "-n", "f"),
      cli(home, "forget", "-n", "f", "--all"),
      cli(home, "forget", "-n", "f", "--yes"),
      cli(home, "forget", "-n", "f", "--ids", ""),
      cli(home, "forget", "-n", "f", t1a.id),
      cli(home, "forget", "-n", "f", "--before", "garbage"),
    ]);
    const reasons = [/unscoped/, /--yes/, /unscoped/, /unscoped|ids/, /--ids/, /before/];
    refusals.forEach((r, i) => {
      assertUserError(r, 3);
      assert.match(r.stderr, reasons[i]);
    });
    assert.equal((await listAll(home, "f")).total, 4, "refusals deleted nothing");

    const dryAll = await cli(home, "forget", "-n", "f", "--all", "--dry-run");
    assertExit(dryAll, 0);
    const firstLines: Record<string, string> = {
      [t1a.id]: "First scratch note on caching.",
      [t1b.id]: "Second scratch note on logs.",
      [t2.id]: "Third note about the API gateway.",
      [plain.id]: "Fourth note without any tag at all.",
    };
    const dryLines = dryAll.stdout.trimEnd().split("\n");
    assert.deepEqual(
      dryLines.slice(0, -1).sort(),
      all4.map((id) => `${id}  ${firstLines[id]}`).sort(),
    );
    assert.equal(dryLines.at(-1), "would delete 4 memories from f (dry run: nothing deleted)");
    const dryTag = okJson(
      await cli(home, "forget", "-n", "f", "--tags", "t1", "--dry-run", "--json"),
    );
    assert.equal(dryTag.dry_run, true);
    assert.ok(!("deleted" in dryTag), "a dry run reports would_delete, never deleted");
    assert.equal(dryTag.would_delete.count, 2);
    assert.deepEqual(
      dryTag.would_delete.memories.sort((a: Json, b: Json) => a.id.localeCompare(b.id)),
      [
        { id: t1a.id, namespace: "f", first_line: firstLines[t1a.id] },
        { id: t1b.id, namespace: "f", first_line: firstLines[t1b.id] },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    assert.equal((await listAll(home, "f")).total, 4, "dry runs deleted nothing");

    const byId = okJson(await cli(home, "forget", "-n", "f", "--ids", t2.id, "--json"));
    assert.deepEqual(byId, {
      namespace: "f",
      dry_run: false,
      deleted: 1,
      ids: [t2.id],
      deleted_by_namespace: { f: 1 },
      not_found: [],
    });
    assertUserError(await cli(home, "inspect", t2.id), 4);

    const byTag = await cli(home, "forget", "-n", "f", "--tags", "t1");
    assertExit(byTag, 0);
    assert.equal(byTag.stdout.trim(), "deleted 2 memories from f");
    const left = await listAll(home, "f");
    assert.deepEqual(left.memories.map((m: Json) => m.id), [plain.id]);
    assert.equal((await listAll(home, "g")).total, 1, "same tag in another namespace survives");

    const wipe = await cli(home, "forget", "-n", "f", "--all", "-y");
    assertExit(wipe, 0);
    assert.equal(wipe.stdout.trim(), "deleted 1 memory from f");
    assert.equal((await listAll(home, "f")).total, 0);
    const g = await listAll(home, "g");
    assert.deepEqual(g.memories.map((m: Json) => m.id), [other.id]);
    // Forgotten memories do not come back in recall.
    const rec = okJson(await cli(home, "recall", "-n", "f", "--json", "scratch note caching"));
    assert.deepEqual(rec.memories, []);
  });
});
