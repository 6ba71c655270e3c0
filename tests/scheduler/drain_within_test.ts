/**
 * memman's per-run drain limits (memman.md §2 "Drain", step 2: 100 rows, 300 s; stop signal,
 * state file and deadline checked before each claim) on a real queue and drain, with an
 * injected clock: each claim "takes" 200 s, so with a 300 s deadline the third claim never
 * happens.
 */
import assert from "node:assert/strict";
import { drain, enqueueRemember, type Runtime } from "../../lib/memory/mod.ts";
import { drainWithin, setSchedulerState } from "../../lib/scheduler/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

function enqueue(rt: Runtime, n: number): void {
  for (let i = 1; i <= n; i++) {
    enqueueRemember(rt.store, rt.config, {
      namespace: "t",
      content: `Mirror number ${i} syncs from region ${100 + i}`,
    });
  }
}

/** One claim of up to `rows` rows; `after` runs once the claim is done (the clock moves). */
function stepper(rt: Runtime, after: () => void = () => {}) {
  const asked: number[] = [];
  const step = async (rows: number) => {
    asked.push(rows);
    const res = await drain(rt, { batch: rows, once: true, llm: null });
    after();
    return res;
  };
  return { step, asked };
}

Deno.test("drainWithin: no claim after the deadline (10-row claims of 200 s each, 300 s limit)", async () => {
  await using t = await tempRuntime();
  enqueue(t.rt, 25);
  let clock = 1_000_000;
  const { step, asked } = stepper(t.rt, () => clock += 200_000);
  const res = await drainWithin(step, {
    rows: 100,
    deadlineMs: 300_000,
    chunk: 10,
    now: () => clock,
  });
  // Claims at 0 s and 200 s; at 400 s the deadline has passed.
  assert.deepEqual(asked, [10, 10]);
  assert.equal(res.processed, 20);
  // Both claims' decisions are counted (near-identical facts may merge: ADD or NONE).
  assert.equal(Object.values(res.actions).reduce((a, b) => a + b, 0), 20);
  assert.equal(res.limit, "deadline");
  assert.equal(res.queue.pending, 5);
});

Deno.test("drainWithin: at most `rows` rows; the last claim asks only for what is left", async () => {
  await using t = await tempRuntime();
  enqueue(t.rt, 25);
  const { step, asked } = stepper(t.rt);
  const res = await drainWithin(step, { rows: 15, deadlineMs: 300_000, chunk: 10 });
  assert.deepEqual(asked, [10, 5]);
  assert.equal(res.processed, 15);
  assert.equal(res.limit, "rows");
  assert.equal(res.queue.pending, 10);
});

Deno.test("drainWithin: the stop signal and the state file end the run before the next claim", async () => {
  await using t = await tempRuntime();
  enqueue(t.rt, 25);
  const abort = new AbortController();
  const signalled = stepper(t.rt, () => abort.abort());
  const bySignal = await drainWithin(signalled.step, {
    rows: 100,
    deadlineMs: 300_000,
    chunk: 10,
    signal: abort.signal,
  });
  assert.deepEqual(signalled.asked, [10]);
  assert.equal(bySignal.limit, "signal");
  assert.equal(bySignal.queue.pending, 15);

  const stopped = stepper(t.rt, () => setSchedulerState(t.home, "stopped"));
  const byState = await drainWithin(stopped.step, { rows: 100, deadlineMs: 300_000, chunk: 10 });
  // The second claim's drain read the state file first and claimed nothing.
  assert.deepEqual(stopped.asked, [10, 10]);
  assert.equal(byState.processed, 10);
  assert.equal(byState.scheduler, "stopped");
  assert.equal(byState.queue.pending, 5);
});

Deno.test("drainWithin: the queue running dry ends the run without a limit", async () => {
  await using t = await tempRuntime();
  enqueue(t.rt, 3);
  const { step, asked } = stepper(t.rt);
  const res = await drainWithin(step, { rows: 100, deadlineMs: 300_000, chunk: 10 });
  assert.deepEqual(asked, [10]);
  assert.equal(res.processed, 3);
  assert.equal(res.limit, undefined);
  assert.equal(res.queue.pending, 0);
});
