/**
 * FTS5's bm25 (ext/fts5/fts5_aux.c, `bm25(memories_fts, 1.0, 0.5)`), operation by operation,
 * over postings held in memory, and the ranking FTS5 gives with it (value, then row key).
 * Used by dedup_index.ts.
 */
import type { TermPostings } from "../store/mod.ts";

const K1 = 1.2;
const B = 0.75;
/** Relative gap under which two different rows' values count as a possible tie. */
const TIE = 1e-9;

/** A candidate row: its token count and each phrase's weighted frequency in it. */
export interface Row {
  pk: number;
  size: number;
  f: number[];
  /** FTS5's value (lower is better). */
  s: number;
}

/** FTS5's IDF of a phrase found in `hits` of `rows` rows (floored at 1e-6). */
export function idfOf(rows: number, hits: number): number {
  const idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return idf <= 0.0 ? 1e-6 : idf;
}

/** Row keys in every list, with each list's frequency for them (a merge of sorted lists). */
export function intersect(lists: TermPostings[]): { pk: number; f: number[] }[] {
  const out: { pk: number; f: number[] }[] = [];
  if (lists.length === 0) return out;
  // Driven by the shortest list; the others advance past it.
  let d = 0;
  for (let i = 1; i < lists.length; i++) if (lists[i].pks.length < lists[d].pks.length) d = i;
  const at = lists.map(() => 0);
  const lead = lists[d].pks;
  outer: for (let n = 0; n < lead.length; n++) {
    const pk = lead[n];
    at[d] = n;
    for (let i = 0; i < lists.length; i++) {
      if (i === d) continue;
      const pks = lists[i].pks;
      let j = at[i];
      while (j < pks.length && pks[j] < pk) j++;
      at[i] = j;
      if (j === pks.length) break outer;
      if (pks[j] !== pk) continue outer;
    }
    out.push({ pk, f: lists.map((l, i) => l.f[at[i]]) });
  }
  return out;
}

/**
 * The first `k` row keys by FTS5's bm25 of `rows` (phrases in query order), ties by row key;
 * null when that order could turn on the last bit of `Math.log` against the C library's
 * `log` (two different rows closer than 1e-9 relative, or equal without being twins).
 */
export function firstByBm25(
  rows: Row[],
  idf: number[],
  avgdl: number,
  k: number,
): number[] | null {
  // The first k + 1 by (value, key), kept in order: a full sort is not needed.
  const first: Row[] = [];
  for (const r of rows) {
    let score = 0.0;
    for (let i = 0; i < idf.length; i++) {
      const f = r.f[i];
      score += idf[i] * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * r.size / avgdl)));
    }
    r.s = -1.0 * score;
    if (first.length > k && !after(first[k], r)) continue;
    let i = first.length;
    first.push(r);
    for (; i > 0 && after(first[i - 1], r); i--) first[i] = first[i - 1];
    first[i] = r;
    if (first.length > k + 1) first.pop();
  }
  for (let i = 0; i + 1 < first.length; i++) {
    if (!settled(first[i], first[i + 1])) return null;
  }
  return first.slice(0, k).map((r) => r.pk);
}

/** True when `a` comes after `b` in FTS5's order (`ORDER BY bm25, rowid`). */
function after(a: Row, b: Row): boolean {
  return a.s > b.s || (a.s === b.s && a.pk > b.pk);
}

/** Two adjacent rows whose order cannot turn on the last bit of a logarithm. */
function settled(a: Row, b: Row): boolean {
  if (a.s === b.s) return a.size === b.size && a.f.every((f, i) => f === b.f[i]);
  return b.s - a.s > TIE * Math.max(Math.abs(a.s), Math.abs(b.s));
}

/** First index in sorted `xs` whose value is ≥ `x`. */
export function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
