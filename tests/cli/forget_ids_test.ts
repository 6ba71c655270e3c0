/**
 * End to end: `forget --ids` finds ids in any namespace, names the ids it cannot find (exit 4
 * when none, exit 1 when some), and `--dry-run` lists each memory (id and first line) and a count
 * while deleting nothing.
 */
import assert from "node:assert/strict";
import {
  assertExit,
  assertUserError,
  cli,
  type Json,
  listAll,
  okJson,
  show,
  storeJson,
  withHome,
} from "./_helpers.ts";

const MISSING_1 = "01900000-0000-7000-8000-000000000001";
const MISSING_2 = "01900000-0000-7000-8000-000000000002";

Deno.test("cli forget --ids: without --namespace finds ids in every namespace; unknown ids are named (exit 4 none, exit 1 some)", async () => {
  await withHome(async (home) => {
    const a = await storeJson(home, "-n", "alpha", "The alpha team deploys on Mondays.");
    const b = await storeJson(home, "-n", "beta", "The beta team owns the billing service.");
    const keep = await storeJson(home, "-n", "beta", "The beta team rotates on-call weekly.");

    // None found: exit 4, one line naming both ids, nothing deleted.
    const none = await cli(home, "forget", "--ids", `${MISSING_1},${MISSING_2}`);
    assertUserError(none, 4);
    assert.equal(
      none.stderr.trim(),
      `memoryoss: error: no memory with id ${MISSING_1}, ${MISSING_2}; nothing was deleted`,
    );
    assert.equal(none.stdout, "");

    // An id that exists, but not in the namespace asked for, is not found there.
    const elsewhere = await cli(home, "forget", "-n", "alpha", "--ids", b.id);
    assertUserError(elsewhere, 4);
    assert.ok(elsewhere.stderr.includes(`no memory with id ${b.id}`), show(elsewhere));
    assert.equal((await listAll(home, "beta")).total, 2, "nothing deleted");

    // Ids in two namespaces plus one unknown: both deleted, the unknown named, exit 1 (partial).
    const some = await cli(home, "forget", "--ids", `${a.id},${b.id},${MISSING_1}`, "--json");
    assertExit(some, 1);
    const res = some.json();
    assert.equal(res.deleted, 2);
    assert.deepEqual(res.ids.sort(), [a.id, b.id].sort());
    assert.deepEqual(res.not_found, [MISSING_1]);
    assert.deepEqual(res.deleted_by_namespace, { alpha: 1, beta: 1 });
    assert.equal(some.stderr.trim(), `memoryoss: not found: ${MISSING_1}`);
    assert.equal((await listAll(home, "alpha")).total, 0);
    assert.deepEqual((await listAll(home, "beta")).memories.map((m: Json) => m.id), [keep.id]);

    // All found across namespaces, text output: exit 0, nothing on stderr.
    const c = await storeJson(home, "-n", "gamma", "Gamma keeps its runbooks in the wiki.");
    const all = await cli(home, "forget", "--ids", `${keep.id},${c.id}`);
    assertExit(all, 0);
    assert.equal(all.stdout.trim(), "deleted 2 memories from beta, gamma");
    assert.equal(all.stderr, "");
    assertUserError(await cli(home, "inspect", c.id), 4);
  });
});

Deno.test("cli forget --dry-run: lists each memory's id and first line, then the count; deletes nothing", async () => {
  await withHome(async (home) => {
    const multi = await storeJson(
      home,
      "-n",
      "one",
      "--content",
      "Release checklist\nStep 1: tag the commit.\nStep 2: publish the notes.",
    );
    const blankFirst = await storeJson(
      home,
      "-n",
      "two",
      "--content",
      "\n\n  Incident review   owners\nthe second line stays hidden",
    );
    const long = await storeJson(home, "-n", "two", "x".repeat(300));

    const ids = [multi.id, blankFirst.id, long.id, MISSING_1];
    const dry = await cli(home, "forget", "--dry-run", "--ids", ids.join(","));
    assertExit(dry, 1); // one id is unknown: the dry run says so as the real run would
    const lines = dry.stdout.trimEnd().split("\n");
    assert.deepEqual(
      lines.slice(0, -1).sort(),
      [
        `${multi.id}  Release checklist`,
        `${blankFirst.id}  Incident review owners`,
        `${long.id}  ${"x".repeat(119)}…`,
      ].sort(),
    );
    assert.match(lines.at(-1)!, /^would delete 3 memories from (one, two|two, one) \(dry run/);
    assert.equal(dry.stderr.trim(), `memoryoss: not found: ${MISSING_1}`);

    const json = await cli(home, "forget", "--dry-run", "--json", "--ids", ids.join(","));
    assertExit(json, 1);
    const r = json.json();
    assert.equal(r.dry_run, true);
    assert.ok(!("deleted" in r) && !("ids" in r), JSON.stringify(r));
    assert.equal(r.would_delete.count, 3);
    assert.deepEqual(
      r.would_delete.memories.find((m: Json) => m.id === multi.id),
      { id: multi.id, namespace: "one", first_line: "Release checklist" },
    );
    assert.deepEqual(r.not_found, [MISSING_1]);

    // Nothing was deleted by either dry run.
    assert.equal((await listAll(home, "one")).total, 1);
    assert.equal((await listAll(home, "two")).total, 2);
    const ins = okJson(await cli(home, "inspect", multi.id, "--json"));
    assert.equal(
      ins.content,
      "Release checklist\nStep 1: tag the commit.\nStep 2: publish the notes.",
    );
  });
});
