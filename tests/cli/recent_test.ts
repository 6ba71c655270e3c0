/** `recent` through main.ts: the terminal twin of GET /v1/admin/recent (memoryOSS §7, §8). */
import assert from "node:assert/strict";
import { cli, storeJson } from "./_helpers.ts";

Deno.test("recent: a review confirm shows up, newest first; --limit and empty namespaces", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-recent-" });
  try {
    await storeJson(home, "-n", "rv", "Auto deploy is enabled for the staging cluster");
    const off = await storeJson(
      home,
      "-n",
      "rv",
      "Auto deploy is disabled for the staging cluster",
    );
    const empty = await cli(home, "recent", "--namespace", "rv", "--json");
    // memoryOSS's groups (empty here), our activity log beside them.
    assert.deepEqual(empty.json(), {
      counts: { injections: 0, extractions: 0, feedbacks: 0, consolidations: 0 },
      injections: [],
      extractions: [],
      feedbacks: [],
      consolidations: [],
      events: [],
    });
    // The pair contradicts: both are queued; confirm the second, then reject the first.
    assert.equal((await cli(home, "review", "confirm", "-n", "rv", "--item", "2")).code, 0);
    assert.equal((await cli(home, "review", "reject", "-n", "rv", "--item", "1")).code, 0);
    const r = await cli(home, "recent", "--namespace", "rv", "--json");
    assert.equal(r.code, 0, r.stderr);
    const v = r.json();
    assert.deepEqual(v.events.map((e: { kind: string }) => e.kind), [
      "feedback.reject",
      "feedback.confirm",
    ]);
    assert.equal(v.events[1].memory_id, off.id);
    assert.equal(v.events[1].actor, "cli");
    assert.deepEqual(v.counts, {
      "feedback.reject": 1,
      "feedback.confirm": 1,
      injections: 0,
      extractions: 0,
      feedbacks: 2,
      consolidations: 0,
    });
    // The feedbacks group (memoryOSS's): newest outcome first, the action from the counters.
    assert.deepEqual(
      v.feedbacks.map((f: Record<string, unknown>) => [f.action, f.status, f.namespace]),
      [["reject", "contested", "rv"], ["confirm", "active", "rv"]],
    );
    assert.equal(v.feedbacks[1].id, off.id);
    assert.equal(v.feedbacks[1].preview, "Auto deploy is disabled for the staging cluster");
    assert.deepEqual(
      Object.keys(v.feedbacks[1]).sort(),
      [
        "action",
        "archived",
        "at",
        "confirm_count",
        "id",
        "namespace",
        "preview",
        "reject_count",
        "status",
        "supersede_count",
        "superseded_by",
      ],
    );
    // --limit caps each group (memoryOSS: "Maximum entries per activity group").
    const one = await cli(home, "recent", "-n", "rv", "--limit", "1", "--json");
    assert.equal(one.json().events.length, 1);
    assert.equal(one.json().feedbacks.length, 1);
    assert.equal(one.json().counts.feedbacks, 1);
    const text = await cli(home, "recent", "-n", "rv");
    assert.match(text.stdout, /^recent in rv \(newest first\):\n {2}injections \(0\)\n/);
    assert.match(text.stdout, /\n {2}feedbacks \(2\)\n {4}\S+ {2}\S+ {2}contested +reject /);
    assert.match(text.stdout, new RegExp(`feedback\\.confirm +${off.id} {2}by cli`));
    const none = await cli(home, "recent", "-n", "nothing-here");
    assert.match(none.stdout, /^recent in nothing-here \(newest first\):\n/);
    assert.match(none.stdout, /activity log \(0\)\n$/);
    const bad = await cli(home, "recent", "-n", "rv", "--limit", "101");
    assert.equal(bad.code, 3, bad.stderr);
    const help = await cli(home, "recent", "--help");
    assert.match(help.stdout, /recent \[--namespace NS\] \[--limit 10\]/);
    assert.match(help.stdout, /entries per activity group/);
    assert.match(help.stdout, /memoryoss recent --namespace proj/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
