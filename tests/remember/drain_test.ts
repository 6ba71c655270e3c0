/** Drain in-process: lock exclusivity, batches, failures and restart after an interrupted run. */
import assert from "node:assert/strict";
import { drain, drainLockPath, tryDrainLock } from "../../lib/memory/drain.ts";
import { enqueueRemember, MAX_ATTEMPTS, queueStats } from "../../lib/memory/remember.ts";
import type { Embedder } from "../../lib/embed/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

Deno.test("drain: a held lock makes a second drain report busy and do nothing", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  enqueueRemember(rt.store, rt.config, { content: "Lock test fact one" });
  const held = tryDrainLock(drainLockPath(rt.loaded.dbPath));
  assert.ok(held);
  try {
    assert.equal(tryDrainLock(drainLockPath(rt.loaded.dbPath)), null);
    const s = await drain(rt);
    assert.equal(s.lock, "busy");
    assert.equal(s.processed, 0);
    assert.equal(queueStats(rt.store).pending, 1);
  } finally {
    held.release();
  }
  const s = await drain(rt);
  assert.equal(s.lock, "acquired");
  assert.equal(s.processed, 1);
  assert.deepEqual(queueStats(rt.store), {
    pending: 0,
    done: 1,
    failed: 0,
    stale: 0,
    oldest_pending_at: null,
  });
});

Deno.test("drain: --once takes one batch; the rest stays queued in order", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  const topics = "falcon glacier harbor jasmine kettle lantern meadow orchid quartz walnut"
    .split(" ");
  for (const [i, w] of topics.entries()) {
    enqueueRemember(rt.store, rt.config, { content: `The ${w} project owner is team ${w}${i}` });
  }
  const s = await drain(rt, { batch: 4, once: true });
  assert.equal(s.processed, 4);
  assert.equal(s.queue.pending, 6);
  const done = rt.store.db.prepare("SELECT id FROM remember_queue WHERE done_at IS NOT NULL")
    .all().map((r) => (r as { id: number }).id);
  assert.deepEqual(done, [1, 2, 3, 4]);
  const rest = await drain(rt, { batch: 4 });
  assert.equal(rest.processed, 6);
  assert.equal(rt.store.count({ namespace: "default" }), 10);
});

Deno.test("remember: validation errors are INVALID_INPUT and queue nothing", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  assert.throws(
    () => enqueueRemember(rt.store, rt.config, { content: "  " }),
    (e) => e instanceof MemoryossError && e.code === "INVALID_INPUT",
  );
  assert.throws(
    () => enqueueRemember(rt.store, rt.config, { content: "x", category: "nope" }),
    (e) => e instanceof MemoryossError && e.code === "INVALID_INPUT",
  );
  assert.equal(queueStats(rt.store).pending, 0);
});

Deno.test("drain: an embedder outage keeps items queued with the error; a later drain applies them", async () => {
  let down = true;
  const inner = await tempRuntime();
  const real = inner.rt.embedder;
  inner.rt.close();
  await Deno.remove(inner.home, { recursive: true });
  const flaky: Embedder = {
    id: real.id,
    dim: real.dim,
    embed: (texts) => down ? Promise.reject(new Error("connection refused")) : real.embed(texts),
  };
  await using t = await tempRuntime("", { embedder: flaky });
  const rt = t.rt;
  enqueueRemember(rt.store, rt.config, { content: "Outage fact stays queued" });
  await assert.rejects(
    () => drain(rt),
    (e) => e instanceof MemoryossError && e.code === "UNAVAILABLE",
  );
  const row = rt.store.db.prepare("SELECT attempts, error, done_at FROM remember_queue").get() as {
    attempts: number;
    error: string;
    done_at: string | null;
  };
  assert.equal(row.attempts, 1);
  assert.match(row.error, /connection refused/);
  assert.equal(row.done_at, null);
  // The lock was released despite the failure.
  down = false;
  const s = await drain(rt);
  assert.equal(s.processed, 1);
  assert.equal(rt.store.count({ namespace: "default" }), 1);
});

Deno.test("drain: an item tried MAX_ATTEMPTS times without finishing is left as failed", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  const q = enqueueRemember(rt.store, rt.config, { content: "Crash looping fact" });
  rt.store.db.prepare("UPDATE remember_queue SET attempts = ? WHERE id = ?").run(
    MAX_ATTEMPTS,
    q.queue_id,
  );
  const s = await drain(rt);
  assert.equal(s.processed, 0);
  assert.equal(s.queue.failed, 1);
  assert.equal(rt.store.count({ namespace: "default" }), 0);
});

Deno.test("drain: rows claimed by a dead worker are taken over and applied once", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  for (const w of ["quartz", "velvet", "nutmeg"]) {
    enqueueRemember(rt.store, rt.config, { content: `The ${w} service is owned by ${w} team` });
  }
  // As a killed drain leaves them: claimed, one try counted, not done.
  rt.store.db.exec(
    "UPDATE remember_queue SET claimed_by = 'pid1-dead', claimed_at = '2026-01-01T00:00:00Z', attempts = 1",
  );
  const s = await drain(rt, { worker: "w2" });
  assert.equal(s.processed, 3);
  const rows = rt.store.db.prepare("SELECT claimed_by, attempts FROM remember_queue").all();
  assert.deepEqual(rows.map((r) => ({ ...r })), [
    { claimed_by: "w2", attempts: 2 },
    { claimed_by: "w2", attempts: 2 },
    { claimed_by: "w2", attempts: 2 },
  ]);
  assert.equal(rt.store.count({ namespace: "default" }), 3);
  assert.equal((await drain(rt)).processed, 0);
});
