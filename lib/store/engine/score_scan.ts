/**
 * The scan behind the engines' `nearest` index (vector_rows.ts): every row's score is the cosine
 * `dot / sqrt(|q|² |v|²)` with the dot product summed in double precision, in order.
 *
 * Where lib/wasm's SIMD kernel runs, it computes every row's dot product in float32 first, and
 * only the rows that can still be among the best `k` are scored in double precision. The
 * float32 sum differs from the exact one by at most γ·Σ|qⱼvⱼ| ≤ γ·|q||v| with γ = m·u/(1−m·u),
 * m = dim + 2, u = 2⁻²⁴ (any summation order; Higham, "Accuracy and Stability of Numerical
 * Algorithms", §3.1), plus 2⁻¹⁵⁰ per product that underflows: so each row's cosine lies within
 * a known `e` of its float32 estimate `a`. With `T` the k-th largest `a − e`, at least `k` rows
 * score `T` or more, so a row whose `a + e` is below `T` cannot be in the answer; the rest are
 * scored exactly. The answer (scores and order, ties by pk) is bit for bit the plain scan's.
 *
 * @module
 */
import type { EngineHit } from "./types.ts";
import type { Rows, TopK } from "./vector_rows.ts";

/** Above this `k`, every row is scored exactly (the pre-selection's bookkeeping is per k). */
const MAX_PRESELECT_K = 256;

/** The float32 dot's bound relative to |q||v|, with slack for the double-precision steps. */
function relativeBound(dim: number): number {
  const mu = (dim + 2) * 2 ** -24;
  return (mu / (1 - mu)) * 1.001 + 1e-12;
}

/** The exact score of row `i` (the definition every answer uses). */
function exactScore(rows: Rows, i: number, q: Float32Array, qn: number): number {
  const dim = rows.dim;
  const data = rows.data;
  const o = i * dim;
  let dot = 0;
  for (let j = 0; j < dim; j++) dot += q[j] * data[o + j];
  const nb = rows.norm2[i];
  return qn === 0 || nb === 0 ? 0 : dot / Math.sqrt(qn * nb);
}

/** Score every row passing `keep` against `q` into `top`. */
export function scoreRows(
  rows: Rows,
  q: Float32Array,
  top: TopK,
  keep: (i: number) => boolean,
): EngineHit[] {
  let qn = 0;
  for (let j = 0; j < rows.dim; j++) qn += q[j] * q[j];
  const dots = qn > 0 && qn < Infinity && top.k <= MAX_PRESELECT_K
    ? rows.vec.dots(q, rows.n)
    : null;
  const offer = (i: number) => {
    const s = exactScore(rows, i, q, qn);
    if (s === s) top.offer(s, rows.pks[i]); // NaN (a stored non-finite value) never ranks
  };
  if (!dots) {
    for (let i = 0; i < rows.n; i++) if (keep(i)) offer(i);
  } else {
    for (const i of candidates(rows, dots, qn, top.k, keep)) offer(i);
  }
  return top.result();
}

/**
 * The rows passing `keep` that can be among the best `k` given the float32 dot products
 * `dots`, in row order; rows whose estimate is not finite are always in.
 */
function candidates(
  rows: Rows,
  dots: Float32Array,
  qn: number,
  k: number,
  keep: (i: number) => boolean,
): number[] {
  const e0 = relativeBound(rows.dim);
  const tiny = rows.dim * 2 ** -148;
  const n = rows.n;
  const upper = new Float64Array(n).fill(NaN); // NaN: not kept, never a candidate
  const low = new Float64Array(k).fill(-Infinity); // the k largest lower bounds, descending
  for (let i = 0; i < n; i++) {
    if (!keep(i)) continue;
    const nb = rows.norm2[i];
    if (nb === 0) { // scored 0 exactly
      upper[i] = 0;
      insert(low, 0);
      continue;
    }
    const d = Math.sqrt(qn * nb);
    const a = dots[i] / d;
    if (!Number.isFinite(a)) {
      upper[i] = Infinity;
      continue;
    }
    const e = e0 + tiny / d;
    upper[i] = a + e;
    insert(low, a - e);
  }
  const floor = low[k - 1];
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (upper[i] >= floor) out.push(i);
  return out;
}

/** `x` into the descending array `low` if it beats its last entry (the last falls out). */
function insert(low: Float64Array, x: number): void {
  let p = low.length - 1;
  if (!(x > low[p])) return;
  while (p > 0 && low[p - 1] < x) {
    low[p] = low[p - 1];
    p--;
  }
  low[p] = x;
}
