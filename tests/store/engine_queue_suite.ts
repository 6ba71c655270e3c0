/**
 * The engine suite's cases for the remember queue and the activity log (run by
 * engine_suite.ts on every engine). Hand-written expectations: which rows two workers hold,
 * what counts follow a completion, a failure and a lapsed lease; which events a scope and a
 * time window return, in which order.
 */
import assert from "node:assert/strict";
import type { ClaimedItem, MemoryEngine } from "../../lib/store/mod.ts";
import { ins, rec, rejects } from "./engine_helpers.ts";
import type { Twin } from "./engine_side_suite.ts";

const T0 = "2026-04-01T00:00:00.000Z";
const T1 = "2026-04-01T00:01:00.000Z";
const T2 = "2026-04-01T00:02:00.000Z";
/** Ten minutes after T1: past the default 5-minute lease. */
const T3 = "2026-04-01T00:11:00.000Z";
const MAX = 3;

const claimOf = (worker: string, at: string, limit = 2) => ({
  worker,
  at,
  limit,
  maxAttempts: MAX,
});

export async function queueCase(e: MemoryEngine, twin?: Twin) {
  const [i1, i2, i3] = await e.queue.enqueue("alpha", [
    '{"content":"one"}',
    '{"content":"two"}',
    '{"content":"three"}',
  ], T0);
  const [j1] = await e.queue.enqueue("beta", ['{"content":"b one"}'], T1);
  assert.ok(i1 < i2 && i2 < i3 && i3 < j1, `ids in order: ${[i1, i2, i3, j1]}`);
  assert.deepEqual(await e.queue.counts(["alpha"], MAX), {
    pending: 3,
    done: 0,
    failed: 0,
    stale: 0,
    oldest: T0,
  });
  assert.deepEqual(await e.queue.counts(["beta"], MAX), {
    pending: 1,
    done: 0,
    failed: 0,
    stale: 0,
    oldest: T1,
  });
  // Two workers (another connection when the engine has one) claim at the same time.
  const e2 = twin ? await twin(e) : e;
  let a: ClaimedItem[], b: ClaimedItem[];
  try {
    [a, b] = await Promise.all([
      e.queue.claim(["alpha", "beta"], claimOf("w1", T1)),
      e2.queue.claim(["alpha", "beta"], claimOf("w2", T1)),
    ]);
  } finally {
    if (e2 !== e) await e2.close();
  }
  assert.equal(a.length, 2);
  assert.equal(b.length, 2);
  const held = new Map(
    [...a.map((r) => [r.id, "w1"]), ...b.map((r) => [r.id, "w2"])] as [number, string][],
  );
  assert.deepEqual(
    [...held.keys()].sort((x, y) => x - y),
    [i1, i2, i3, j1],
    "no row twice, none left",
  );
  const byId = new Map([...a, ...b].map((r) => [r.id, r]));
  assert.deepEqual(byId.get(i2), {
    id: i2,
    namespace: "alpha",
    payload: '{"content":"two"}',
    attempts: 1,
  });
  assert.deepEqual(byId.get(j1), {
    id: j1,
    namespace: "beta",
    payload: '{"content":"b one"}',
    attempts: 1,
  });
  assert.deepEqual(await e.queue.claim("*", claimOf("w3", T1, 10)), [], "every row is held");
  // Completion: only by the holder, in the row's namespace, once.
  const done = {
    result: '{"id":"m1"}',
    decision: { action: "ADD", memory_id: "m1", reason: "new fact" },
  };
  const other = held.get(i1) === "w1" ? "w2" : "w1";
  assert.equal(
    await e.queue.complete("beta", i1, held.get(i1)!, done, T2),
    false,
    "wrong namespace",
  );
  assert.equal(await e.queue.complete("alpha", i1, other, done, T2), false, "not its holder");
  assert.equal(await e.queue.complete("alpha", i1, held.get(i1)!, done, T2), true);
  assert.equal(await e.queue.complete("alpha", i1, held.get(i1)!, done, T2), false, "done once");
  // A failure releases the row for the next claim; a permanent one retires it.
  const soft = { permanent: false, maxAttempts: MAX };
  assert.equal(await e.queue.fail("alpha", i2, "nobody", "x", soft), false, "not its holder");
  assert.equal(await e.queue.fail("alpha", i2, held.get(i2)!, "embedder down", soft), true);
  assert.equal(
    await e.queue.fail("alpha", i3, held.get(i3)!, "bad payload", {
      permanent: true,
      maxAttempts: MAX,
    }),
    true,
  );
  const again = await e.queue.claim("*", claimOf("w3", T2, 10));
  assert.deepEqual(
    again.map((r) => [r.id, r.attempts]),
    [[i2, 2]],
    "i2 again; i3 retired; j1 held",
  );
  // Claims lapse after the lease (5 minutes by default): w3's of i2 and the first one of j1.
  const lapsedA = await e.queue.claim(["alpha"], claimOf("w4", T3, 10));
  assert.deepEqual(lapsedA.map((r) => [r.id, r.attempts]), [[i2, 3]], "scope: alpha only");
  const lapsedB = await e.queue.claim(["beta"], claimOf("w4", T3, 10));
  assert.deepEqual(lapsedB.map((r) => [r.id, r.attempts]), [[j1, 2]]);
  assert.equal(await e.queue.complete("alpha", i2, "w3", done, T3), false, "w3's claim lapsed");
  const refines = {
    result: '{"id":"m2"}',
    decision: {
      action: "UPDATE",
      memory_id: "m2",
      target_id: "m1",
      similarity: 0.91,
      reason: "refines",
    },
  };
  assert.equal(await e.queue.complete("alpha", i2, "w4", refines, T3), true);
  assert.deepEqual(await e.queue.counts("*", MAX), {
    pending: 1,
    done: 2,
    failed: 1,
    stale: 0,
    oldest: T1,
  });
  assert.deepEqual(await e.queue.counts(["beta"], MAX), {
    pending: 1,
    done: 0,
    failed: 0,
    stale: 0,
    oldest: T1,
  });
  assert.deepEqual(await e.queue.counts(["gamma"], MAX), {
    pending: 0,
    done: 0,
    failed: 0,
    stale: 0,
    oldest: null,
  });
  await listAndDecisions(e, [i1, i2, i3, j1], held.get(i1)!);
  await rejects(e.queue.enqueue("", ["{}"], T0), "INVALID_INPUT");
  await rejects(e.queue.claim("*", claimOf("", T0)), "INVALID_INPUT");
}

/** The queue after queueCase's steps: listed by status, and the decisions of memory m1. */
async function listAndDecisions(e: MemoryEngine, [i1, i2, i3, j1]: number[], w1: string) {
  const all = await e.queue.list("*", { maxAttempts: MAX, limit: 10 });
  assert.deepEqual(all.map((r) => [r.id, r.status, r.attempts]), [
    [j1, "pending", 2],
    [i3, "failed", 3],
    [i2, "done", 3],
    [i1, "done", 1],
  ]);
  const [failed] = await e.queue.list("*", { status: "failed", maxAttempts: MAX, limit: 10 });
  assert.deepEqual(
    [failed.id, failed.payload, failed.error, failed.enqueued_at],
    [i3, '{"content":"three"}', "bad payload", T0],
  );
  assert.deepEqual(
    (await e.queue.list(["beta"], { status: "pending", maxAttempts: MAX, limit: 10 }))
      .map((r) => [r.id, r.claimed_by, r.claimed_at, r.done_at]),
    [[j1, "w4", T3, null]],
  );
  assert.deepEqual(
    await e.queue.list(["alpha"], { status: "pending", maxAttempts: MAX, limit: 10 }),
    [],
  );
  assert.deepEqual(await e.queue.decisions("alpha", ["m1"]), [
    {
      queue_id: i1,
      namespace: "alpha",
      at: T2,
      action: "ADD",
      memory_id: "m1",
      target_id: null,
      similarity: null,
      reason: "new fact",
      worker: w1,
    },
    {
      queue_id: i2,
      namespace: "alpha",
      at: T3,
      action: "UPDATE",
      memory_id: "m2",
      target_id: "m1",
      similarity: 0.91,
      reason: "refines",
      worker: "w4",
    },
  ]);
  assert.deepEqual(await e.queue.decisions("beta", ["m1"]), [], "alpha's decisions");
  await rejects(
    e.queue.list("*", { status: "lost" as "done", maxAttempts: MAX, limit: 1 }),
    "INVALID_INPUT",
  );
}

export async function activityCase(e: MemoryEngine) {
  const seqs = await e.activity.append("alpha", [
    {
      at: "2026-05-01T10:00:00.000Z",
      kind: "feedback",
      memory_id: "a1",
      actor: "k1",
      detail: { useful: true },
    },
    {
      at: "2026-05-01T12:00:00.000Z",
      kind: "forget",
      memory_id: null,
      actor: null,
      detail: { count: 2 },
    },
  ]);
  assert.equal(seqs.length, 2);
  assert.ok(seqs[0] < seqs[1]);
  await e.activity.append("beta", [
    { at: "2026-05-01T11:00:00.000Z", kind: "feedback", memory_id: "b1", actor: null, detail: {} },
  ]);
  // Logged later, about an earlier moment: listed by time, not by arrival.
  await e.activity.append("alpha", [
    { at: "2026-05-01T09:00:00.000Z", kind: "review", memory_id: "a2", actor: "k2", detail: {} },
  ]);
  const line = (r: { at: string; namespace: string; kind: string }) =>
    `${r.at.slice(11, 13)} ${r.namespace} ${r.kind}`;
  assert.deepEqual((await e.activity.list(["alpha"], { limit: 10 })).map(line), [
    "12 alpha forget",
    "10 alpha feedback",
    "09 alpha review",
  ]);
  assert.deepEqual((await e.activity.list("*", { limit: 2 })).map(line), [
    "12 alpha forget",
    "11 beta feedback",
  ]);
  const window = await e.activity.list(["alpha", "beta"], {
    limit: 10,
    since: "2026-05-01T10:00:00.000Z",
    until: "2026-05-01T12:00:00.000Z",
  });
  assert.deepEqual(window.map(line), ["11 beta feedback", "10 alpha feedback"]);
  assert.deepEqual(window[1], {
    seq: seqs[0],
    at: "2026-05-01T10:00:00.000Z",
    namespace: "alpha",
    kind: "feedback",
    memory_id: "a1",
    actor: "k1",
    detail: { useful: true },
  });
  assert.deepEqual(
    (await e.activity.list(["alpha"], { limit: 10, kinds: ["review", "forget"] })).map(line),
    [
      "12 alpha forget",
      "09 alpha review",
    ],
  );
  assert.deepEqual(await e.activity.list(["gamma"], { limit: 10 }), []);
  await rejects(
    e.activity.append("alpha", [
      {
        at: "2026-05-02T00:00:00.000Z",
        kind: "feedback",
        memory_id: null,
        actor: null,
        detail: {},
      },
      { at: "yesterday", kind: "feedback", memory_id: null, actor: null, detail: {} },
    ]),
    "INVALID_INPUT",
  );
  assert.equal(
    (await e.activity.list(["alpha"], { limit: 10 })).length,
    3,
    "nothing of the refused batch",
  );
}

export async function sealedSideCase(e: MemoryEngine) {
  await e.write("s", [ins(rec("s", "x1", "note x1")), ins(rec("s", "x2", "note x2"))]);
  await e.graph.add("s", [{
    src: "x1",
    dst: "x2",
    kind: "entity",
    namespace: "s",
    weight: 0.5,
    origin: "auto",
    detail: { entity: "Priya" },
    created_at: T0,
  }]);
  assert.deepEqual((await e.graph.neighbours("s", ["x2"]))[0].detail, { entity: "Priya" });
  await e.queue.enqueue("s", ['{"content":"Priya likes tea"}'], T0);
  const [c] = await e.queue.claim(["s"], claimOf("w", T1));
  assert.equal(c.payload, '{"content":"Priya likes tea"}');
}
