/**
 * The engines' `nearest` index (lib/store/engine/vector_rows.ts): the SIMD kernel only chooses
 * which rows to score, so every answer is bit for bit the plain double-precision scan's, written
 * out here as the oracle: cosine = Σ qⱼvⱼ / sqrt(Σ qⱼ² · Σ vⱼ²) summed in order in doubles, 0
 * when either vector is all zeros, NaN never ranks, best first, ties by lower pk.
 */
import assert from "node:assert/strict";
import { NamespaceIndex } from "../../lib/store/engine/vector_rows.ts";

function plainScan(rows: Map<number, Float32Array>, q: Float32Array, k: number) {
  let qn = 0;
  for (const x of q) qn += x * x;
  const hits: { pk: number; score: number }[] = [];
  for (const [pk, v] of rows) {
    if (v.length !== q.length) continue;
    let dot = 0, vn = 0;
    for (let j = 0; j < q.length; j++) dot += q[j] * v[j];
    for (let j = 0; j < v.length; j++) vn += v[j] * v[j];
    const s = qn === 0 || vn === 0 ? 0 : dot / Math.sqrt(qn * vn);
    if (!Number.isNaN(s)) hits.push({ pk, score: s });
  }
  return hits.sort((a, b) => b.score - a.score || a.pk - b.pk).slice(0, k);
}

function rand(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}

function build(vectors: Map<number, Float32Array>): NamespaceIndex {
  const idx = new NamespaceIndex(0);
  for (const [pk, embedding] of vectors) {
    idx.upsert({ pk, embedding, status: "active", archived: false, embedder_id: "e" });
  }
  return idx;
}

function check(vectors: Map<number, Float32Array>, queries: Float32Array[], ks: number[]) {
  const idx = build(vectors);
  for (const q of queries) {
    for (const k of ks) {
      assert.deepEqual(idx.search(q, k, { archived: "exclude" }), plainScan(vectors, q, k));
    }
  }
}

Deno.test("nearest index: random 384-d vectors, k 1 to 300, the plain scan's answers", () => {
  const r = rand(7);
  const vectors = new Map<number, Float32Array>();
  for (let pk = 1; pk <= 1500; pk++) vectors.set(pk, Float32Array.from({ length: 384 }, r));
  const queries = Array.from({ length: 5 }, () => Float32Array.from({ length: 384 }, r));
  check(vectors, queries, [1, 10, 50, 300]);
});

Deno.test("nearest index: near-duplicates a float32 sum cannot order, ties by pk", () => {
  const r = rand(11);
  const base = Float32Array.from({ length: 64 }, r);
  const vectors = new Map<number, Float32Array>();
  for (let pk = 1; pk <= 400; pk++) {
    const v = base.slice();
    v[pk % 64] = v[pk % 64] * (1 + (pk % 7) * 2 ** -23); // differ by a last bit or so
    vectors.set(pk, v);
  }
  for (let pk = 401; pk <= 440; pk++) vectors.set(pk, base.slice()); // exact duplicates
  check(vectors, [base, Float32Array.from(base, (x, j) => x + (j % 3) * 1e-7)], [1, 5, 30]);
});

Deno.test("nearest index: zero, tiny, huge and non-finite vectors score as the plain scan", () => {
  const r = rand(3);
  const vectors = new Map<number, Float32Array>();
  for (let pk = 1; pk <= 60; pk++) vectors.set(pk, Float32Array.from({ length: 8 }, r));
  vectors.set(61, new Float32Array(8)); // all zeros: score 0
  vectors.set(62, Float32Array.from({ length: 8 }, () => 1e-30)); // products underflow float32
  vectors.set(63, Float32Array.from({ length: 8 }, (_, j) => (j % 2 ? -1e-40 : 1e-40)));
  vectors.set(64, Float32Array.from({ length: 8 }, () => 3e38)); // products overflow float32
  vectors.set(65, Float32Array.from([NaN, 1, 1, 1, 1, 1, 1, 1])); // never ranks
  vectors.set(66, Float32Array.from([Infinity, 1, 1, 1, 1, 1, 1, 1]));
  const up = Float32Array.from({ length: 8 }, () => 1);
  const small = Float32Array.from({ length: 8 }, () => 1e-20); // × 1e-30 underflows float32
  check(vectors, [up, small, Float32Array.from({ length: 8 }, r), new Float32Array(8)], [1, 3, 70]);
  // hand-computed: the all-1e-30 row points along (1,…,1), so it is the query's exact match
  assert.deepEqual(build(vectors).search(up, 1, { archived: "exclude" }), [{ pk: 62, score: 1 }]);
});

Deno.test("nearest index: filters choose rows before the top k, scores unchanged", () => {
  const r = rand(5);
  const idx = new NamespaceIndex(0);
  const kept = new Map<number, Float32Array>();
  for (let pk = 1; pk <= 800; pk++) {
    const embedding = Float32Array.from({ length: 16 }, r);
    const status = pk % 3 === 0 ? "archived-ish" : "active";
    const archived = pk % 5 === 0;
    idx.upsert({ pk, embedding, status, archived, embedder_id: pk % 2 ? "a" : "b" });
    if (status === "active" && !archived && pk % 2 === 1 && pk % 4 !== 3) kept.set(pk, embedding);
  }
  const allow = new Set([...Array(800).keys()].filter((pk) => pk % 4 !== 3));
  const q = Float32Array.from({ length: 16 }, r);
  const got = idx.search(q, 20, {
    archived: "exclude",
    statuses: ["active"],
    embedderId: "a",
    allow,
  });
  assert.deepEqual(got, plainScan(kept, q, 20));
});
