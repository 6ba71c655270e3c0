/**
 * memman's `remember` as its scripts call it, through main.ts: `--cat`, `--imp`,
 * `--entities`, `--source` (memman spec §2; default values are no hint: general, 3, user) and
 * the JSON answer `{action: "queued", queue_id, store, quality_warnings}` first, ours after.
 * After a drain the hints are the memory's category and metadata. Bad values exit 3 with one
 * line, as memman refuses them before queueing.
 */
import assert from "node:assert/strict";
import { assertOneLineError, cli, type Json, withHome } from "../cli/_helpers.ts";

Deno.test("remember: memman's flags become the memory's hints; JSON has memman's keys", async () => {
  await withHome(async (home) => {
    const r = await cli(
      home,
      ...["remember", "--json", "-n", "demo", "--cat", "decision", "--imp", "4"],
      ...["--entities", "ci.yml, CI.yml,deploy", "--source", "agent"],
      "DEPLOYS: we currently ship from ci.yml at line 12",
    );
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.deepEqual(Object.keys(out).slice(0, 4), [
      "action",
      "queue_id",
      "store",
      "quality_warnings",
    ]);
    assert.equal(out.action, "queued");
    assert.equal(out.store, "demo");
    assert.deepEqual(out.quality_warnings, [
      "line number reference",
      "uppercase section header",
      "transient time marker",
    ]);
    const plain = await cli(
      home,
      ...["remember", "--json", "-n", "demo", "--cat", "general", "--imp", "3"],
      ...["--source", "user", "Release branches are cut on Mondays."],
    );
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(plain.json().quality_warnings, []);
    const text = await cli(home, "remember", "-n", "demo", "Status: currently green");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stderr, /^warning: transient time marker$/m);

    const d = await cli(home, "drain", "--json");
    assert.equal(d.code, 0, d.stderr);
    const list = (await cli(home, "list", "-n", "demo", "--json")).json();
    const by = new Map(list.memories.map((m: Json) => [m.content, m]));
    const hinted = by.get("DEPLOYS: we currently ship from ci.yml at line 12") as Json;
    assert.equal(hinted.category, "decision");
    assert.deepEqual(hinted.metadata, {
      importance: 4,
      entities: ["ci.yml", "deploy"],
      source: "agent",
    });
    const bare = by.get("Release branches are cut on Mondays.") as Json;
    assert.equal(bare.category, null);
    assert.deepEqual(bare.metadata, {});
  });
});

Deno.test("remember: memman's bad hints exit 3 with one line, nothing queued", async () => {
  await withHome(async (home) => {
    for (
      const [args, msg] of [
        [["--cat", "bogus"], /invalid category 'bogus'; valid: context, decision, fact, general/],
        [["--imp", "0"], /importance must be 1-5, got 0/],
        [["--imp", "high"], /importance must be 1-5, got high/],
        [["--cat", "fact", "--category", "decision"], /--cat and --category disagree/],
      ] as [string[], RegExp][]
    ) {
      const r = await cli(home, "remember", ...args, "Some fact.");
      assert.equal(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
      assertOneLineError(r);
      assert.match(r.stderr, msg);
    }
    const d = (await cli(home, "drain", "--json")).json();
    assert.equal(d.processed, 0);
  });
});
