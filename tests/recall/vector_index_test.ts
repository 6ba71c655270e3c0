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

Deno.test("vector index: runs appended in one copy behave as rows added one by one", () => {
  const r = rand(13);
  const dim = 8;
  // A first load's runs: consecutive keys of one namespace and tag, in key order; a run below
  // the largest key held goes row by row (a rewrite of row 12, not a second copy).
  const runs: [string, number, number, Float32Array[]][] = [
    ["a", 10, 1, [unit(r, dim), unit(r, dim), unit(r, dim)]],
    ["b", 13, 2, [unit(r, dim)]],
    ["a", 64, 1, Array.from({ length: 70 }, () => unit(r, dim))],
    ["a", 12, 4, [unit(r, dim)]],
  ];
  const plain = new BruteForceIndex(dim);
  const runsIndex = new BruteForceIndex(dim);
  runsIndex.reserve("a", 40); // less room than the rows: the arena grows
  for (const [ns, first, tag, vs] of runs) {
    vs.forEach((v, i) => plain.upsert(first + i, ns, v, tag));
    const values = new Float32Array(vs.length * dim);
    vs.forEach((v, i) => values.set(v, i * dim));
    runsIndex.appendRun(ns, first, tag, values);
  }
  assert.equal(runsIndex.size(), 74);
  assert.deepEqual([runsIndex.size("a"), runsIndex.size("b")], [73, 1]);
  for (const pk of [10, 11, 12, 13, 64, 100, 133]) {
    assert.deepEqual(runsIndex.get(pk), plain.get(pk), `pk ${pk}`);
  }
  assert.equal(runsIndex.get(14), null);
  const q = unit(r, dim);
  for (const ns of ["a", "b"]) {
    assert.deepEqual(runsIndex.search(ns, q, 10), plain.search(ns, q, 10));
    assert.deepEqual(
      runsIndex.search(ns, q, 10, undefined, 4),
      plain.search(ns, q, 10, undefined, 4),
    );
  }
  // Then a catch-up: removals and a rewrite find the appended rows.
  for (const idx of [plain, runsIndex]) {
    idx.remove(11);
    idx.remove(100);
    idx.upsert(65, "a", q, 1);
  }
  assert.equal(runsIndex.size(), 72);
  assert.deepEqual(runsIndex.search("a", q, 5), plain.search("a", q, 5));
  assert.throws(() => runsIndex.appendRun("a", 500, 1, new Float32Array(dim + 1)), /run of/);
});
