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

/** Unit vectors from a seeded generator, clustered so many scores are close. */
function clustered(n: number, dim: number, seed: number): Float32Array[] {
  let s = seed;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const centres = Array.from({ length: 5 }, () => Array.from({ length: dim }, r));
  return Array.from({ length: n }, (_, i) => {
    const v = centres[i % 5].map((c) => c + 0.3 * r());
    const norm = Math.hypot(...v);
    return Float32Array.from(v, (x) => x / norm);
  });
}

/** The oracle: cosine of unit vectors by a plain loop, best first, ties by insertion order. */
function exactTop(vs: Float32Array[], q: Float32Array, k: number): number[] {
  const scored = vs.map((v, i) => ({ i, s: v.reduce((acc, x, j) => acc + x * q[j], 0) }));
  return scored.sort((a, b) => b.s - a.s || a.i - b.i).slice(0, k).map((x) => x.i);
}

for (const dim of [356, 30]) {
  Deno.test(`vector index: top-k equals an exact scan over 1500 rows (dim ${dim})`, () => {
    const vs = clustered(1500, dim, 11);
    const index = new BruteForceIndex(dim);
    vs.forEach((v, i) => index.upsert(1000 + i, "ns", v));
    // Another namespace's rows never compete.
    clustered(300, dim, 5).forEach((v, i) => index.upsert(9000 + i, "other", v));
    for (const [qi, q] of clustered(8, dim, 99).entries()) {
      const want = exactTop(vs, q, 25).map((i) => 1000 + i);
      const got = index.search("ns", q, 25);
      assert.deepEqual(got.map((h) => h.pk), want, `query ${qi}`);
      const exact = vs[want[0] - 1000].reduce((acc, x, j) => acc + x * q[j], 0);
      assert.ok(Math.abs(got[0].score - exact) < 1e-9, "scores are exact, not float32 sums");
    }
  });
}

Deno.test("vector index: status tags and allow sets restrict the scan", () => {
  const vs = clustered(200, 356, 3);
  const index = new BruteForceIndex(356);
  vs.forEach((v, i) => index.upsert(i + 1, "ns", v, i % 2 === 0 ? 1 : 2));
  const q = vs[10];
  const even = index.search("ns", q, 5, undefined, 1);
  assert.ok(even.every((h) => (h.pk - 1) % 2 === 0));
  assert.equal(even[0].pk, 11);
  const allowed = index.search("ns", q, 5, new Set([3, 4, 5]));
  assert.deepEqual(allowed.map((h) => h.pk).sort(), [3, 4, 5]);
});

Deno.test("vector index: rows loaded into reserved arenas behave as rows added one by one", () => {
  const r = rand(11);
  const dim = 16;
  const rows = Array.from({ length: 300 }, (_, i) => ({
    pk: 10 + i * 3, // in key order, as a first load reads them
    ns: i % 4 === 0 ? "b" : "a",
    v: unit(r, dim),
  }));
  const plain = new BruteForceIndex(dim);
  const reserved = new BruteForceIndex(dim);
  reserved.reserve("a", 225);
  reserved.reserve("b", 75);
  for (const x of rows) {
    plain.upsert(x.pk, x.ns, x.v);
    reserved.upsert(x.pk, x.ns, x.v);
  }
  // Then a catch-up's changes: a rewrite in place, a move to another namespace, removals
  // (a key never held among them), a new row.
  const changes: [string, number, string?, Float32Array?][] = [
    ["upsert", rows[5].pk, "a", unit(r, dim)],
    ["upsert", rows[7].pk, "b", unit(r, dim)],
    ["remove", rows[0].pk],
    ["remove", 11],
    ["remove", rows[299].pk],
    ["upsert", 5000, "a", unit(r, dim)],
  ];
  for (const [op, pk, ns, v] of changes) {
    for (const idx of [plain, reserved]) {
      if (op === "remove") idx.remove(pk);
      else idx.upsert(pk, ns!, v!);
    }
  }
  assert.equal(reserved.size(), 299); // 300, two removed, one new
  assert.equal(plain.size(), 299);
  assert.equal(reserved.size("b"), plain.size("b"));
  for (const x of rows) assert.deepEqual(reserved.get(x.pk), plain.get(x.pk));
  assert.deepEqual(reserved.get(5000), plain.get(5000));
  const q = unit(r, dim);
  for (const ns of ["a", "b"]) {
    assert.deepEqual(reserved.search(ns, q, 20), plain.search(ns, q, 20));
  }
});

Deno.test("vector index: a snapshot adopted into reserved arenas holds its rows once", () => {
  const r = rand(13);
  const dim = 8;
  const rows = Array.from({ length: 50 }, (_, i) => ({ pk: 100 - i, v: unit(r, dim) }));
  const source = new BruteForceIndex(dim);
  for (const x of rows) source.upsert(x.pk, "a", x.v, 1);
  const [a] = [...source.arenas()];

  const index = new BruteForceIndex(dim);
  index.reserve("a", 20); // room reserved before the snapshot is read: no rows yet
  index.adopt("a", a.pks, a.tags, (bytes) => {
    bytes.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  });
  index.reserve("a", 50); // as serve's warm start asks after a load: nothing changes
  assert.equal(index.size(), 50);
  for (const x of rows) assert.deepEqual(index.get(x.pk), x.v);
  // A catch-up rewrites the row with the highest key and adds one above it.
  const newer = unit(r, dim);
  index.upsert(100, "a", newer);
  index.upsert(101, "a", unit(r, dim));
  assert.equal(index.size(), 51, "the rewrite replaced row 100, not added a second one");
  assert.deepEqual(index.get(100), newer);
  assert.throws(() => index.adopt("a", a.pks, a.tags, () => {}), /already has rows/);
});
