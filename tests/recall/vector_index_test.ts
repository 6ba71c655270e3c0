import assert from "node:assert/strict";
import { BruteForceIndex } from "../../lib/recall/mod.ts";

function rand(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}

function unit(r: () => number, dim: number): Float32Array {
  const v = Float32Array.from({ length: dim }, r);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

Deno.test("vector index: top-k equals a naive sort, per namespace, with allow-lists", () => {
  const r = rand(7);
  const dim = 37; // odd on purpose: exercises the unrolled loop's tail
  const idx = new BruteForceIndex(dim);
  const vecs = new Map<number, [string, Float32Array]>();
  for (let pk = 1; pk <= 400; pk++) {
    const ns = pk % 3 === 0 ? "b" : "a";
    const v = unit(r, dim);
    vecs.set(pk, [ns, v]);
    idx.upsert(pk, ns, v);
  }
  const q = unit(r, dim);
  const naive = (ns: string, allow?: Set<number>) =>
    [...vecs].filter(([pk, [n]]) => n === ns && (!allow || allow.has(pk)))
      .map(([pk, [, v]]) => ({ pk, score: v.reduce((s, x, i) => s + x * q[i], 0) }))
      .sort((x, y) => y.score - x.score).slice(0, 10);
  for (const ns of ["a", "b"]) {
    const got = idx.search(ns, q, 10);
    const want = naive(ns);
    assert.deepEqual(got.map((h) => h.pk), want.map((h) => h.pk));
    got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i].score) < 1e-5));
  }
  const allow = new Set([3, 6, 9, 12, 100, 101]);
  assert.deepEqual(
    idx.search("b", q, 10, allow).map((h) => h.pk),
    naive("b", allow).map((h) => h.pk),
  );
  assert.equal(idx.size("a") + idx.size("b"), 400);
  assert.deepEqual(idx.search("none", q, 5), []);
});

Deno.test("vector index: remove and move keep lookups consistent", () => {
  const r = rand(3);
  const idx = new BruteForceIndex(8);
  const v = Array.from({ length: 6 }, () => unit(r, 8));
  v.forEach((x, i) => idx.upsert(i + 1, "a", x));
  idx.remove(2); // swap-remove moves the last row into slot 1
  assert.equal(idx.get(2), null);
  assert.deepEqual(Array.from(idx.get(6)!), Array.from(v[5]));
  idx.upsert(3, "b", v[2]); // namespace change moves it
  assert.equal(idx.size("a"), 4);
  assert.equal(idx.search("b", v[2], 1)[0].pk, 3);
  assert.equal(idx.search("a", v[5], 1)[0].pk, 6);
  assert.throws(() => idx.upsert(9, "a", new Float32Array(3)), /3 dims/);
});
