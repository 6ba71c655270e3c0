/**
 * Small vector helpers shared by the embedders.
 *
 * @module
 */

/**
 * Cosine similarity of two unit vectors (their dot product). Vectors of different lengths
 * are compared over the shorter one.
 *
 * @example
 * ```ts
 * cosine(new Float32Array([1, 0]), new Float32Array([0.6, 0.8])); // 0.6
 * ```
 */
export function cosine(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

/**
 * Scale `v` in place to unit length; returns false (leaving `v` alone) if it is all zeros
 * or not finite.
 *
 * @example
 * ```ts
 * const v = new Float32Array([3, 4]);
 * l2normalize(v); // true, v = [0.6, 0.8]
 * ```
 */
export function l2normalize(v: Float32Array | Float64Array): boolean {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  if (!(s > 0) || !Number.isFinite(s)) return false;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return true;
}
