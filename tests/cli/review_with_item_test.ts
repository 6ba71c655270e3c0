/**
 * memoryOSS's review flow through main.ts: `review supersede --namespace NS --item N
 * --with-item M` addresses both memories by their 1-based inbox position (§7, §8).
 */
import assert from "node:assert/strict";
import { cli, storeJson } from "./_helpers.ts";

Deno.test("review supersede --item N --with-item M: positions in the queue, memoryOSS spelling", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-review-with-" });
  try {
    // A contradicting pair: both land in the queue as contested.
    const on = await storeJson(home, "-n", "rv", "Auto deploy is enabled for the staging cluster");
    const off = await storeJson(
      home,
      "-n",
      "rv",
      "Auto deploy is disabled for the staging cluster",
    );
    const q = await cli(home, "review", "queue", "--namespace", "rv", "--json");
    assert.equal(q.code, 0, q.stderr);
    assert.deepEqual(q.json().items.map((i: { id: string }) => i.id), [on.id, off.id]);

    const s = await cli(
      home,
      "review",
      "supersede",
      "--namespace",
      "rv",
      "--item",
      "1",
      "--with-item",
      "2",
      "--json",
    );
    assert.equal(s.code, 0, s.stderr);
    const out = s.json();
    assert.equal(out.action, "supersede");
    assert.equal(out.memory.id, on.id);
    assert.equal(out.memory.status, "stale");
    assert.equal(out.memory.superseded_by, off.id);
    assert.equal(out.replacement.id, off.id);

    const bad: string[][] = [
      ["review", "supersede", "--namespace", "rv", "--item", "1"],
      ["review", "confirm", "--namespace", "rv", "--item", "1", "--with-item", "2"],
      ["review", "supersede", "-n", "rv", "--item", "1", "--with-item", "2", "--with", "2"],
    ];
    for (const args of bad) {
      const r = await cli(home, ...args);
      assert.equal(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^memoryoss: error: .*with/);
    }
    const help = await cli(home, "review", "--help");
    assert.match(help.stdout, /--with-item M/);
    assert.match(help.stdout, /review supersede --namespace demo --item 2 --with-item 1/);
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});
