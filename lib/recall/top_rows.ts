/**
 * bm25 of several terms from their per-term values (term_stats.ts): the rows with the best
 * summed values, in scratch arrays reused between searches (issue 21: recall's garbage).
 *
 * @module
 */
import type { FtsRanked } from "../store/mod.ts";

/** Row keys the dense sum arrays cover (12 bytes each). */
const MAX_ROW_KEY = 1 << 22;

/** One term's rows (key order) and their single-term FTS5 bm25 values. */
export type TermScores = { pks: number[]; s: Float64Array };

/**
 * The first `n` rows by the sum of the lists' values (lower first, as FTS5's bm25), ties by
 * row key. Sums are built list by list in order, as FTS5 adds phrase after phrase. Null when
 * row keys are too large for the dense scratch arrays.
 */
export function topRows(lists: TermScores[], n: number): FtsRanked[] | null {
  let max = 0;
  let postings = 0;
  for (const { pks } of lists) {
    if (pks.length) max = Math.max(max, pks[pks.length - 1]);
    postings += pks.length;
  }
  if (max >= MAX_ROW_KEY) return null;
  const acc = scratch(max + 1);
  // Rows in the order first seen, and their sums: scratch too, at most one slot per posting.
  const { touched, values: room } = touchedScratch(postings);
  let t = 0;
  for (const { pks, s } of lists) {
    for (let i = 0; i < pks.length; i++) {
      const pk = pks[i];
      if (acc.stamp[pk] === acc.epoch) acc.sum[pk] += s[i];
      else {
        acc.stamp[pk] = acc.epoch;
        acc.sum[pk] = s[i];
        touched[t++] = pk;
      }
    }
  }
  if (n <= 0 || t === 0) return [];
  // The n-th best value; rows better than it, then rows equal to it by key.
  const values = room.subarray(0, t);
  for (let i = 0; i < t; i++) values[i] = acc.sum[touched[i]];
  values.sort();
  const bar = values[Math.min(n, t) - 1];
  const out: FtsRanked[] = [];
  for (let i = 0; i < t; i++) {
    const pk = touched[i];
    if (acc.sum[pk] <= bar) out.push({ pk, s: acc.sum[pk] });
  }
  out.sort((a, b) => a.s - b.s || a.pk - b.pk);
  return out.slice(0, n);
}

/** Sums by row key, reused between searches (a new epoch marks every slot unused). */
let shared = { sum: new Float64Array(0), stamp: new Uint32Array(0), epoch: 0 };

function scratch(size: number) {
  if (shared.sum.length < size || shared.epoch >= 0xffffffff) {
    const len = Math.max(size, Math.floor(shared.sum.length * 1.5));
    shared = { sum: new Float64Array(len), stamp: new Uint32Array(len), epoch: 0 };
  }
  shared.epoch++;
  return shared;
}

/**
 * The rows a search touched and their sums (12 bytes per posting of its largest search so
 * far), reused so that a search allocates neither (issue 21: recall's garbage).
 */
let rows = { touched: new Uint32Array(0), values: new Float64Array(0) };

function touchedScratch(postings: number) {
  if (rows.touched.length < postings) {
    const len = Math.max(postings, Math.floor(rows.touched.length * 1.5));
    rows = { touched: new Uint32Array(len), values: new Float64Array(len) };
  }
  return rows;
}
