/** `review queue|confirm|reject|supersede` in a child process over lib/memory/review.ts. */
import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime } from "../../lib/memory/runtime.ts";
import { storeMemory } from "../../lib/memory/write_input.ts";
import { spawnCmd } from "./_child.ts";

const dec = new TextDecoder();

async function run(home: string, ...args: string[]) {
  const o = await spawnCmd(home, args).output();
  return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
}

/** A home with two candidates and a contested pair in namespace "rv". */
async function seeded(home: string): Promise<Record<string, string>> {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  try {
    const ids: Record<string, string> = {};
    const put = async (key: string, content: string, status?: string) => {
      ids[key] = (await storeMemory(rt, {
        content,
        namespace: "rv",
        ...(status ? { status } : {}),
      })).id;
    };
    await put("c1", "Candidate: the team prefers squash merges", "candidate");
    await put("c2", "Candidate: the nightly job runs at 02:00 UTC", "candidate");
    await put("on", "Auto deploy is enabled for the staging cluster");
    await put("off", "Auto deploy is disabled for the staging cluster");
    return ids;
  } finally {
    rt.close();
  }
}

Deno.test("review cli: queue lists, confirm/reject by position, supersede by id", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-review-" });
  try {
    const ids = await seeded(home);
    const q = await run(home, "review", "queue", "-n", "rv", "--json");
    assert.equal(q.code, 0, q.stderr);
    const queue = JSON.parse(q.stdout);
    assert.equal(queue.summary.pending, 4);
    assert.deepEqual(queue.items.map((i: { id: string }) => i.id), [
      ids.c1,
      ids.c2,
      ids.on,
      ids.off,
    ]);
    const text = await run(home, "review", "queue", "-n", "rv");
    assert.match(text.stdout, /^4 pending review in rv\n {2}1\. \[candidate\]/);

    const c = await run(home, "review", "confirm", "--item", "1", "-n", "rv", "--json");
    assert.equal(c.code, 0, c.stderr);
    assert.equal(JSON.parse(c.stdout).memory.id, ids.c1);
    assert.equal(JSON.parse(c.stdout).memory.status, "active");

    // c1 left the queue, so position 1 is now c2.
    const r = await run(home, "review", "reject", "--item", "1", "-n", "rv");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^reject ${ids.c2}: now contested`));

    const s = await run(
      home,
      "review",
      "supersede",
      "--item",
      ids.on,
      "--with",
      `review:${ids.off}`,
      "-n",
      "rv",
      "--json",
    );
    assert.equal(s.code, 0, s.stderr);
    const sup = JSON.parse(s.stdout);
    assert.equal(sup.memory.status, "stale");
    assert.equal(sup.memory.superseded_by, ids.off);
    assert.equal(sup.replacement.id, ids.off);
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});

Deno.test("review cli: mistakes are one-line errors with exit 3 or 4", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-review-" });
  try {
    await seeded(home);
    const cases: [string[], number][] = [
      [["review"], 3],
      [["review", "approve", "--item", "1"], 3],
      [["review", "confirm"], 3],
      [["review", "supersede", "--item", "1", "-n", "rv"], 3],
      [["review", "confirm", "--item", "1", "--with", "2", "-n", "rv"], 3],
      [["review", "confirm", "--item", "9", "-n", "rv"], 4],
      [["review", "confirm", "--item", "nope-id", "-n", "rv"], 4],
    ];
    for (const [args, code] of cases) {
      const r = await run(home, ...args);
      assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.ok(r.stderr.startsWith("memoryoss: error: "), r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});
