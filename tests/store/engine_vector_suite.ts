/**
 * The engine suite's vector cases beyond plain top-k (engine_suite.ts runs them on every
 * engine): `nearest` answering from an index that follows the engine's own writes (status,
 * archive flag, a vector replaced by one of another size, deletes), with filters the index does
 * not hold (tags, ids) resolved first, ties by pk, and any `k`. Cosines computed by hand.
 */
import assert from "node:assert/strict";
import type { MemoryEngine, MemoryFilter } from "../../lib/store/mod.ts";
import { ins, rec } from "./engine_helpers.ts";

export async function nearestFollowsCase(e: MemoryEngine) {
  const ns = "follow";
  // Query (1, 0): f1 (1,0) 1; f2 (3,4) 3/5 = 0.6; f3 (0,2) 0; f4 (-1,0) -1.
  const pks = await e.write(ns, [
    ins(rec(ns, "f1", "x", { tags: ["red"] }), [1, 0]),
    ins(rec(ns, "f2", "x", { tags: ["blue"] }), [3, 4]),
    ins(rec(ns, "f3", "x", { tags: ["red"] }), [0, 2]),
    ins(rec(ns, "f4", "x"), [-1, 0]),
  ]);
  await e.write("near-by", [ins(rec("near-by", "x1", "x", { tags: ["red"] }), [1, 0])]);
  const name = new Map(pks.map((pk, i) => [pk, `f${i + 1}`]));
  const order = async (f: Partial<MemoryFilter> = {}, k = 10, q = [1, 0]) => {
    const hits = await e.nearest({ namespace: ns, ...f }, new Float32Array(q), k);
    return hits.map((h) => name.get(h.pk) ?? `pk ${h.pk}`);
  };
  const first = await e.nearest({ namespace: ns }, new Float32Array([1, 0]), 10);
  assert.deepEqual(first.map((h) => name.get(h.pk)), ["f1", "f2", "f3", "f4"]);
  [1, 0.6, 0, -1].forEach((want, i) => assert.ok(Math.abs(first[i].score - want) < 1e-6));
  assert.deepEqual(await order({}, 1000), ["f1", "f2", "f3", "f4"], "a k above the row count");
  assert.deepEqual(await order({}, 2), ["f1", "f2"]);
  assert.deepEqual(await order({ tags: ["red"] }), ["f1", "f3"], "tags, this namespace only");
  assert.deepEqual(await order({ ids: ["f4", "f2"] }), ["f2", "f4"]);

  const get = async (id: string) => (await e.getById(ns, id))!;
  const update = async (id: string, more: Record<string, unknown>, v?: number[]) => {
    const m = await get(id);
    await e.write(ns, [{
      op: "update",
      pk: m.pk,
      record: { ...m.record, ...more },
      vector: v ? { embedding: new Float32Array(v), embedderId: "e1" } : undefined,
    }]);
  };
  await update("f1", { status: "contested" });
  assert.deepEqual(await order({ statuses: ["active"] }), ["f2", "f3", "f4"]);
  assert.deepEqual(await order({ statuses: ["contested"] }), ["f1"]);
  await update("f4", { archived: true });
  assert.deepEqual(await order(), ["f1", "f2", "f3"], "archived left out");
  assert.deepEqual(await order({ archived: "only" }), ["f4"]);
  await update("f2", {}, [0, 0, 5]);
  assert.deepEqual(await order(), ["f1", "f3"], "f2 now holds a 3-d vector");
  assert.deepEqual(await order({}, 10, [0, 0, 1]), ["f2"]);
  assert.equal(await e.delete(ns, [(await get("f3")).pk]), 1);
  assert.deepEqual(await order(), ["f1"], "never a deleted row");
  // Equal scores come in pk order: t1 and t2 point along f1 (cosine 1 each).
  const [t1, t2] = await e.write(ns, [
    ins(rec(ns, "t1", "x"), [2, 0]),
    ins(rec(ns, "t2", "x"), [7, 0]),
  ]);
  name.set(t1, "t1").set(t2, "t2");
  assert.deepEqual(await order(), ["f1", "t1", "t2"]);
  assert.deepEqual(await order({}, 2), ["f1", "t1"]);
}

/** A vector reads back bit for bit (float32 values with long decimal forms, -0, extremes). */
export async function vectorBitsCase(e: MemoryEngine) {
  const ns = "bits";
  const v = new Float32Array([0.1, 1 / 3, -2 / 7, 1e-7, -0, 3.4e38, -1.17549435e-38, 123456.789]);
  const rev = await e.currentRev();
  await e.write(ns, [ins(rec(ns, "b1", "x"), Array.from(v))]);
  const [u] = (await e.changesSince([ns], rev)).upserts;
  const bits = (a: Float32Array | null) => [...new Uint32Array(Float32Array.from(a ?? []).buffer)];
  assert.deepEqual(bits(u.embedding), bits(v));
}
