/**
 * memman's `replace <id> TEXT` and `insights protect|candidates` through main.ts. The oracle is
 * memman's contract (spec §2 and §5): replace puts a new memory in the old one's place, keeps
 * its usage, and the old one is soft-deleted (here: archived, superseded by the new one);
 * protect makes a memory immune to decay.
 */
import assert from "node:assert/strict";
import { assertUserError, cli, okJson, show, storeJson, withHome } from "./_helpers.ts";

Deno.test("replace: the new text takes the old memory's place; the old one is archived with lineage", async () => {
  await withHome(async (home) => {
    const old = (await storeJson(
      home,
      "-n",
      "t",
      "--tags",
      "ops,vault",
      "--category",
      "decision",
      "The deploy key lives in the vault",
    )).id;
    // One confirmed use: usage memman keeps across a replace.
    okJson(await cli(home, "review", "confirm", "--item", old, "-n", "t", "--json"));

    const res = okJson(
      await cli(home, "replace", old, "--json", "The deploy key lives in the HSM"),
    );
    assert.equal(res.replaced, old);
    assert.equal(res.outcome, "replaced");
    assert.notEqual(res.id, old);

    const f = okJson(await cli(home, "inspect", res.id, "-n", "t", "--json"));
    assert.equal(f.content, "The deploy key lives in the HSM");
    assert.deepEqual([...f.tags].sort(), ["ops", "vault"]);
    assert.equal(f.category, "decision");
    assert.deepEqual(f.derived_from, [old]);
    assert.equal(f.confirm_count, 1);
    assert.equal(f.archived, false);

    const g = okJson(await cli(home, "inspect", old, "-n", "t", "--json"));
    assert.equal(g.archived, true);
    assert.equal(g.superseded_by, res.id);
    assert.equal(g.content, "The deploy key lives in the vault"); // never deleted

    const recall = await cli(home, "recall", "-n", "t", "where does the deploy key live");
    assert.match(recall.stdout, /lives in the HSM/, show(recall));
    assert.doesNotMatch(recall.stdout, /lives in the vault/);
    const list = okJson(await cli(home, "list", "-n", "t", "--json"));
    assert.deepEqual(list.memories.map((m: { id: string }) => m.id), [res.id]);
  });
});

Deno.test("replace: an archived id is exit 4 naming its successor; unknown id 4; no text 3", async () => {
  await withHome(async (home) => {
    const old = (await storeJson(home, "-n", "t", "Standups start at nine")).id;
    const next = okJson(await cli(home, "replace", old, "--json", "Standups start at ten")).id;
    const again = await cli(home, "replace", old, "Standups start at eleven");
    assertUserError(again, 4);
    assert.match(again.stderr, new RegExp(`superseded by ${next}`));
    assertUserError(await cli(home, "replace", "0194c3aa-0000-7000-8000-000000000000", "x"), 4);
    assertUserError(await cli(home, "replace", next), 3);
    const same = await cli(home, "replace", next, "Standups start at ten");
    assertUserError(same, 3);
    assert.equal(okJson(await cli(home, "list", "-n", "t", "--json")).memories.length, 1);
  });
});

Deno.test("insights protect: a protected memory survives decay past the threshold; its twin does not", async () => {
  await withHome(async (home) => {
    const kept = (await storeJson(home, "-n", "t", "The staging cluster is called alpha")).id;
    const lost = (await storeJson(home, "-n", "t", "The billing service is called beta")).id;
    // Both were rejected once: decay turns such memories stale, then archives them.
    for (const id of [kept, lost]) {
      okJson(await cli(home, "review", "reject", "--item", id, "-n", "t", "--json"));
    }
    const p = okJson(await cli(home, "insights", "protect", kept, "--json"));
    assert.equal(p.changed, true);
    assert.equal(p.pin_tag, "pinned");
    assert.equal(okJson(await cli(home, "insights", "protect", kept, "--json")).changed, false);

    // --after-days 0: every memory is past the idle threshold.
    const run = okJson(await cli(home, "decay", "-n", "t", "--after-days", "0", "--json"));
    const touched = run.transitions.map((t: { id: string }) => t.id);
    assert.ok(touched.includes(lost), JSON.stringify(run));
    assert.ok(!touched.includes(kept), JSON.stringify(run));
    okJson(await cli(home, "decay", "-n", "t", "--after-days", "0", "--json"));

    const k = okJson(await cli(home, "inspect", kept, "-n", "t", "--json"));
    const l = okJson(await cli(home, "inspect", lost, "-n", "t", "--json"));
    assert.equal(k.archived, false);
    assert.ok(k.tags.includes("pinned"));
    assert.equal(l.archived, true);
  });
});

Deno.test("insights candidates: unprotected, low-importance memories under the threshold", async () => {
  await withHome(async (home) => {
    const low = (await storeJson(
      home,
      "-n",
      "t",
      "--metadata",
      '{"importance":1}',
      "The office plant is a fern",
    )).id;
    const pinned = (await storeJson(
      home,
      "-n",
      "t",
      "--metadata",
      '{"importance":1}',
      "The lobby plant is a cactus",
    )).id;
    await storeJson(home, "-n", "t", "--metadata", '{"importance":5}', "Never deploy on Fridays");
    okJson(await cli(home, "insights", "protect", pinned, "--json"));
    // Importance 1 scores base 0.15 (spec §5): under 0.5; importance 5 (1.0) and pinned are not.
    const c = okJson(await cli(home, "insights", "candidates", "-n", "t", "--json"));
    assert.equal(c.threshold, 0.5);
    assert.deepEqual(c.candidates.map((x: { id: string }) => x.id), [low]);
    assert.equal(c.candidates[0].importance, 0.15);
    const none = okJson(
      await cli(home, "insights", "candidates", "-n", "t", "--threshold", "0.1", "--json"),
    );
    assert.deepEqual(none.candidates, []);
    assertUserError(await cli(home, "insights", "candidates", "--threshold", "2"), 3);
  });
});
