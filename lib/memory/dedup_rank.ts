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

/** Rows kept at most over all cached intersections. */
const MAX_MET = 2_000_000;

interface Met {
  lists: TermPostings[];
  /** Each list's edit count when `rows` was last brought up to date. */
  edits: number[];
  /** Rows up to this key are in `rows`; appends above it are not yet. */
  upto: number;
  rows: { pk: number; f: number[] }[];
}

/**
 * {@link intersect} of the same lists, kept per term list: a bulk import asks for the same
 * few term sets again and again (a subject's words and an object's), and between two asks
 * the lists only grow at their end. An entry stays whole while none of its lists was edited
 * (a row taken out, a frequency changed, a key put in at or below one an entry covers)
 * and is then extended by intersecting the lists' tails above the keys it covers; else it is
 * computed again. The caller reports every change to a list it holds.
 */
export class Intersections {
  /** Intersections computed whole, and those extended by their lists' tails (for tests). */
  readonly counts = { computed: 0, extended: 0 };
  #met = new Map<string, Met>();
  #kept = 0;
  #edits = new WeakMap<TermPostings, number>();
  /** The highest row key in any list the caller holds. */
  #high = 0;
  /** The highest key any kept intersection covers: a key put in above it is an append. */
  #covered = 0;

  /** A list the caller holds (read from the index, or kept): its keys count for `#high`. */
  hold(list: TermPostings): void {
    const last = list.pks[list.pks.length - 1] ?? 0;
    if (last > this.#high) this.#high = last;
  }

  /**
   * Row `pk` went into `list` at index `i` (a sorted insert). At the end and above every key
   * an intersection covers, it is an append (the same new row goes into each of its words'
   * lists); anything else is an edit of the list.
   */
  inserted(list: TermPostings, i: number, pk: number): void {
    if (i !== list.pks.length - 1 || pk <= this.#covered) this.edited(list);
    if (pk > this.#high) this.#high = pk;
  }

  /** A row of `list` was taken out or its frequency changed. */
  edited(list: TermPostings): void {
    this.#edits.set(list, (this.#edits.get(list) ?? 0) + 1);
  }

  /** Forget every intersection (the caller dropped or replaced lists). */
  clear(): void {
    this.#met.clear();
    this.#kept = 0;
  }

  /** `intersect(lists)`, from the entry kept for `key` when it is still whole. */
  of(key: string, lists: TermPostings[]): { pk: number; f: number[] }[] {
    const edits = lists.map((l) => this.#edits.get(l) ?? 0);
    const m = this.#met.get(key);
    if (m && m.lists.every((l, i) => l === lists[i] && m.edits[i] === edits[i])) {
      if (this.#high > m.upto) {
        const tail = intersect(lists.map((l) => above(l, m.upto)));
        for (const r of tail) m.rows.push(r);
        this.#kept += tail.length;
        m.upto = this.#covered = this.#high;
        this.counts.extended++;
      }
      return m.rows;
    }
    this.counts.computed++;
    const rows = intersect(lists);
    if (m) this.#kept -= m.rows.length;
    if (this.#kept + rows.length > MAX_MET) this.clear();
    this.#met.set(key, { lists, edits, upto: this.#covered = this.#high, rows });
    this.#kept += rows.length;
    return rows;
  }
}

/** The part of `list` above key `pk`. */
function above(list: TermPostings, pk: number): TermPostings {
  const i = lowerBound(list.pks, pk + 1);
  return { pks: list.pks.slice(i), f: list.f.slice(i) };
}
