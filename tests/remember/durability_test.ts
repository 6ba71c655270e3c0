/**
 * Queue durability across processes: drains killed with SIGKILL at random points lose nothing
 * and apply nothing twice; two concurrent drains never work at the same time.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime } from "../../lib/memory/mod.ts";
import { homeWithQueue, prng, sentence, spawnCmd } from "./_child.ts";

const RUNS = 8;
const ITEMS = 200;

/** Assert every queued item was applied exactly once (records read through the store, which
 * decrypts sealed content). */
async function assertExactlyOnce(home: string, contents: string[], label: string) {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  try {
    const db = rt.store.db;
    const open = db.prepare("SELECT count(*) AS n FROM remember_queue WHERE done_at IS NULL")
      .get() as { n: number };
    assert.equal(open.n, 0, `${label}: items left undone`);
    const decisions = db.prepare(
      "SELECT queue_id, action, memory_id FROM remember_decisions ORDER BY queue_id",
    ).all() as { queue_id: number; action: string; memory_id: string }[];
    assert.equal(decisions.length, contents.length, `${label}: one decision per item`);
    const mems = rt.store.list({ namespace: "default", archived: "include" }, {
      limit: 1_000_000,
    }).map((m) => m.record);
    assert.equal(mems.length, contents.length, `${label}: one memory per item`);
    const byContent = new Map(mems.map((m) => [m.content, m]));
    const byId = new Map(mems.map((m) => [m.id, m]));
    for (const c of contents) {
      const m = byContent.get(c);
      assert.ok(m, `${label}: missing ${c}`);
      assert.equal(m.evidence_count, 1, `${label}: applied twice: ${c}`);
      assert.equal(m.archived, false);
    }
    // Queue item i (1-based, enqueued in order) holds contents[i - 1].
    for (const d of decisions) {
      assert.equal(d.action, "ADD", `${label}: item ${d.queue_id}`);
      assert.equal(byId.get(d.memory_id)?.content, contents[d.queue_id - 1]);
    }
  } finally {
    rt.close();
  }
}

function doneCount(db: DatabaseSync): number {
  return (db.prepare("SELECT count(*) AS n FROM remember_queue WHERE done_at IS NOT NULL")
    .get() as { n: number }).n;
}

/** Start a drain and SIGKILL it once `target` items are done (+ a random few ms). */
async function killAt(home: string, db: DatabaseSync, target: number, jitterMs: number) {
  const child = spawnCmd(home, ["drain", "--batch", "16"], "null");
  const status = child.status;
  let exited = false;
  status.then(() => exited = true);
  while (!exited && doneCount(db) < target) await new Promise((r) => setTimeout(r, 2));
  if (!exited) {
    await new Promise((r) => setTimeout(r, jitterMs));
    try {
      child.kill("SIGKILL");
    } catch { /* exited meanwhile */ }
  }
  return await status;
}

Deno.test(`durability: ${RUNS} runs × ${ITEMS} items, drains SIGKILLed at random points, exactly once`, async () => {
  const seed = Date.now() % 1_000_000;
  const rand = prng(seed);
  let killed = 0;
  for (let run = 0; run < RUNS; run++) {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-drain-kill-" });
    try {
      const contents = Array.from({ length: ITEMS }, (_, i) => sentence(run, i));
      const dbPath = await homeWithQueue(home, contents);
      const db = new DatabaseSync(dbPath, { readOnly: true });
      try {
        const k1 = Math.floor(rand() * ITEMS * 0.5);
        const k2 = k1 + 1 + Math.floor(rand() * (ITEMS - k1 - 1));
        for (const k of [k1, k2]) {
          const st = await killAt(home, db, k, Math.floor(rand() * 12));
          if (st.signal === "SIGKILL") killed++;
        }
      } finally {
        db.close();
      }
      const out = await spawnCmd(home, ["drain", "--json"]).output();
      const text = new TextDecoder().decode(out.stdout);
      assert.equal(
        out.code,
        0,
        `seed ${seed} run ${run}: ${text}${new TextDecoder().decode(out.stderr)}`,
      );
      assert.equal(JSON.parse(text).queue.pending, 0);
      await assertExactlyOnce(home, contents, `seed ${seed} run ${run}`);
    } finally {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  }
  console.log(`seed ${seed}: ${killed} of ${RUNS * 2} drains killed mid-run`);
  assert.ok(killed >= RUNS, `seed ${seed}: only ${killed} drains were killed mid-run`);
});

Deno.test("durability: two concurrent drains never both work; every item applied once", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-drain-pair-" });
  try {
    const contents = Array.from({ length: ITEMS }, (_, i) => sentence(99, i));
    const dbPath = await homeWithQueue(home, contents);
    const outs = await Promise.all(
      [0, 1].map(() => spawnCmd(home, ["drain", "--batch", "8", "--json"]).output()),
    );
    const sums = outs.map((o) => {
      assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
      return JSON.parse(new TextDecoder().decode(o.stdout));
    });
    const processed = sums.reduce((a, s) => a + s.processed, 0);
    assert.equal(processed, ITEMS);
    await assertExactlyOnce(home, contents, "pair");
    // Whatever the interleaving, one worker's decisions never fall inside the other's span.
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      const spans = db.prepare(
        "SELECT worker, min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM remember_decisions GROUP BY worker ORDER BY lo",
      ).all() as { worker: string; lo: number; hi: number; n: number }[];
      for (let i = 1; i < spans.length; i++) {
        assert.ok(spans[i].lo > spans[i - 1].hi, JSON.stringify(spans));
      }
      const workers = new Set(sums.filter((s) => s.processed > 0).map((s) => s.worker));
      assert.equal(spans.length, workers.size);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});
