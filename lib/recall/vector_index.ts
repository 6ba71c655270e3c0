/**
 * In-memory vector search. Brute force over unit vectors (dot product = cosine) kept in one
 * contiguous Float32 arena per namespace, so namespace filtering costs nothing and other
 * namespaces never compete for top-k. The arena lives in WebAssembly memory and a SIMD kernel
 * (lib/wasm/dots.wat) scans it; the best candidates are re-scored in double precision, so
 * scores are exactly those of a plain scalar scan. Behind an interface so an ANN index can
 * replace it.
 */
import { DotRows } from "../wasm/mod.ts";

/** A scored hit. */
export interface VectorHit {
  pk: number;
  score: number;
}

/** What recall needs from a vector index. */
export interface VectorIndex {
  readonly dim: number;
  /** `tag` is a small bit set (e.g. the status) that searches can filter on without a lookup. */
  upsert(pk: number, namespace: string, vector: Float32Array, tag?: number): void;
  remove(pk: number): void;
  /**
   * Top `k` by cosine in `namespace`; `allow` restricts to these pks, `tagMask` to rows whose
   * tag shares a bit with it.
   */
  search(
    namespace: string,
    query: Float32Array,
    k: number,
    allow?: Set<number>,
    tagMask?: number,
  ): VectorHit[];
  get(pk: number): Float32Array | null;
  size(namespace?: string): number;
}

/**
 * One namespace's rows, laid out for the SIMD dot kernel (lib/wasm `DotRows`: query, rows,
 * one float32 score per row); where the kernel cannot run they are scanned in JS. Row `i` has
 * key `pks[i]` and tag `tags[i]`.
 */
class Arena {
  readonly rows: DotRows;
  count = 0;
  pks = new Float64Array(0);
  tags = new Uint32Array(0);
  /** Scores of the JS scan (only where the kernel cannot run). */
  #scores = new Float32Array(0);
  constructor(readonly dim: number, capacity = 64) {
    this.rows = new DotRows(dim, capacity);
    this.#keys(capacity);
  }
  get data(): Float32Array {
    return this.rows.data;
  }
  get capacity(): number {
    return this.rows.capacity;
  }
  /** Room for `capacity` rows in a fresh buffer, the rows so far copied in. */
  #resize(capacity: number): void {
    this.rows.resize(capacity, this.count);
    this.#keys(capacity);
  }
  #keys(capacity: number): void {
    const pks = new Float64Array(capacity);
    pks.set(this.pks.subarray(0, this.count));
    const tags = new Uint32Array(capacity);
    tags.set(this.tags.subarray(0, this.count));
    this.pks = pks;
    this.tags = tags;
  }
  /** Room for at least `rows` rows (a fresh buffer when more are needed). */
  grow(rows: number): void {
    if (rows > this.capacity) this.#resize(rows);
  }
  push(pk: number, v: Float32Array, tag: number): number {
    const slot = this.count;
    if (slot === this.capacity) this.#resize(this.capacity * 2);
    this.data.set(v, slot * this.dim);
    this.pks[slot] = pk;
    this.tags[slot] = tag;
    this.count++;
    return slot;
  }
  /** Dot products of `q` with the first `count` rows (float32; valid until the next scan). */
  scan(q: Float32Array): Float32Array {
    const { dim, count, data } = this;
    const out = this.rows.dots(q, count);
    if (out) return out;
    if (this.#scores.length < count) this.#scores = new Float32Array(this.capacity);
    const scores = this.#scores;
    for (let i = 0; i < count; i++) scores[i] = rowDot(data, i * dim, q);
    return scores;
  }
}

/** The double-precision dot product of `q` with the row at `off`. */
function rowDot(data: Float32Array, off: number, q: Float32Array): number {
  const dim = q.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += data[off + j] * q[j];
    s1 += data[off + j + 1] * q[j + 1];
    s2 += data[off + j + 2] * q[j + 2];
    s3 += data[off + j + 3] * q[j + 3];
  }
  for (; j < dim; j++) s0 += data[off + j] * q[j];
  return s0 + s1 + s2 + s3;
}

/** Candidates re-scored in double precision per hit asked for (plus a margin). */
const RESCORE_FACTOR = 2;
const RESCORE_MARGIN = 16;

/** The best `k` (score, item) pairs, kept by insertion; k is small (a few hundred at most). */
class TopK {
  readonly scores: Float64Array;
  readonly items: Int32Array;
  filled = 0;
  constructor(readonly k: number) {
    this.scores = new Float64Array(k).fill(-Infinity);
    this.items = new Int32Array(k).fill(-1);
  }
  /** The score an entry must beat to get in. */
  get floor(): number {
    return this.filled < this.k ? -Infinity : this.scores[this.k - 1];
  }
  add(s: number, item: number): void {
    const { scores, items } = this;
    if (this.filled < this.k) this.filled++;
    else if (s <= scores[this.k - 1]) return;
    let p = this.filled - 1;
    while (p > 0 && scores[p - 1] < s) {
      scores[p] = scores[p - 1];
      items[p] = items[p - 1];
      p--;
    }
    scores[p] = s;
    items[p] = item;
  }
}

/**
 * Lookups by key before the key map is built: a scan of each arena's keys (native
 * `indexOf`, microseconds at 10k rows) is cheaper than building the map for a one-shot
 * process that touches a few rows after its first load.
 */
const SCANS_BEFORE_MAP = 32;

/** Exact search over every row of the namespace. */
export class BruteForceIndex implements VectorIndex {
  readonly dim: number;
  #arenas = new Map<string, Arena>();
  /** pk → [namespace, slot]; built on demand (see {@link SCANS_BEFORE_MAP}). */
  #where: Map<number, [string, number]> | null = new Map();
  #scans = 0;
  #size = 0;
  /** No row has a key above this one (a first load adds keys in order: no lookup needed). */
  #maxPk = -Infinity;

  constructor(dim: number) {
    this.dim = dim;
  }

  /** Where `pk` is, or undefined. */
  #find(pk: number): [string, number] | undefined {
    if (this.#where) return this.#where.get(pk);
    if (++this.#scans <= SCANS_BEFORE_MAP) {
      for (const [ns, arena] of this.#arenas) {
        const slot = arena.pks.subarray(0, arena.count).indexOf(pk);
        if (slot >= 0) return [ns, slot];
      }
      return undefined;
    }
    const where = new Map<number, [string, number]>();
    for (const [ns, arena] of this.#arenas) {
      for (let i = 0; i < arena.count; i++) where.set(arena.pks[i], [ns, i]);
    }
    this.#where = where;
    return where.get(pk);
  }

  upsert(pk: number, namespace: string, vector: Float32Array, tag = 1): void {
    if (vector.length !== this.dim) {
      throw new Error(`vector has ${vector.length} dims, index has ${this.dim}`);
    }
    const at = pk > this.#maxPk ? undefined : this.#find(pk);
    if (at && at[0] === namespace) {
      const arena = this.#arenas.get(namespace)!;
      arena.data.set(vector, at[1] * this.dim);
      arena.tags[at[1]] = tag;
      return;
    }
    if (at) this.remove(pk);
    let arena = this.#arenas.get(namespace);
    if (!arena) {
      arena = new Arena(this.dim);
      this.#arenas.set(namespace, arena);
    }
    const slot = arena.push(pk, vector, tag);
    this.#where?.set(pk, [namespace, slot]);
    this.#size++;
    if (pk > this.#maxPk) this.#maxPk = pk;
  }

  /**
   * Rows with keys `firstPk`, `firstPk + 1`, … (`values.length / dim` of them, row after row)
   * appended to `namespace` in one copy: a first load's run of a vector page. Keys at or below
   * the largest held so far go one by one through {@link upsert}.
   */
  appendRun(namespace: string, firstPk: number, tag: number, values: Float32Array): void {
    const n = values.length / this.dim;
    if (!Number.isInteger(n)) throw new Error(`run of ${values.length} values, dim ${this.dim}`);
    if (firstPk <= this.#maxPk) {
      for (let i = 0; i < n; i++) {
        this.upsert(firstPk + i, namespace, values.subarray(i * this.dim, (i + 1) * this.dim), tag);
      }
      return;
    }
    let arena = this.#arenas.get(namespace);
    if (!arena) this.#arenas.set(namespace, arena = new Arena(this.dim, Math.max(64, n)));
    if (arena.count + n > arena.capacity) arena.grow(Math.max(arena.capacity * 2, arena.count + n));
    const at = arena.count;
    arena.data.set(values, at * this.dim);
    for (let i = 0; i < n; i++) {
      arena.pks[at + i] = firstPk + i;
      this.#where?.set(firstPk + i, [namespace, at + i]);
    }
    arena.tags.fill(tag, at, at + n);
    arena.count += n;
    this.#size += n;
    this.#maxPk = firstPk + n - 1;
  }

  /**
   * Room for `rows` rows in `namespace` (a first load that knows the counts): the arena is
   * allocated once at that size instead of doubling its way there, which copies every row
   * each time and, while it copies, holds the old arena and the new one (up to three times
   * the rows' bytes at the peak). Never shrinks; rows already held are kept.
   */
  reserve(namespace: string, rows: number): void {
    if (this.#size === 0) this.#where = null; // a first load: look keys up by scan at first
    const arena = this.#arenas.get(namespace);
    if (!arena) this.#arenas.set(namespace, new Arena(this.dim, Math.max(64, rows)));
    else arena.grow(rows);
  }

  /** Every row out (the index as new). */
  clear(): void {
    this.#arenas.clear();
    this.#where = new Map();
    this.#size = 0;
    this.#maxPk = -Infinity;
  }

  remove(pk: number): void {
    const at = pk > this.#maxPk ? undefined : this.#find(pk);
    if (!at) return;
    const [ns, slot] = at;
    const arena = this.#arenas.get(ns)!;
    const last = arena.count - 1;
    // Swap-remove keeps the arena dense.
    if (slot !== last) {
      const movedPk = arena.pks[last];
      arena.data.copyWithin(slot * this.dim, last * this.dim, (last + 1) * this.dim);
      arena.pks[slot] = movedPk;
      arena.tags[slot] = arena.tags[last];
      this.#where?.set(movedPk, [ns, slot]);
    }
    arena.count--;
    this.#where?.delete(pk);
    this.#size--;
  }

  get(pk: number): Float32Array | null {
    const at = this.#find(pk);
    if (!at) return null;
    const arena = this.#arenas.get(at[0])!;
    return arena.data.slice(at[1] * this.dim, (at[1] + 1) * this.dim);
  }

  size(namespace?: string): number {
    if (namespace !== undefined) return this.#arenas.get(namespace)?.count ?? 0;
    return this.#size;
  }

  search(
    namespace: string,
    q: Float32Array,
    k: number,
    allow?: Set<number>,
    tagMask?: number,
  ): VectorHit[] {
    const arena = this.#arenas.get(namespace);
    if (!arena || k <= 0 || q.length !== this.dim) return [];
    const { pks, tags, dim, data } = arena;
    const n = arena.count;
    // Candidates by the float32 kernel, then the exact order among them in double precision
    // (the two differ by rounding only, far less than the margin of extra candidates).
    const scores = arena.scan(q);
    const cand = new TopK(k * RESCORE_FACTOR + RESCORE_MARGIN);
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      if (s <= cand.floor) continue;
      if (tagMask !== undefined && (tags[i] & tagMask) === 0) continue;
      if (allow && !allow.has(pks[i])) continue;
      cand.add(s, i);
    }
    const top = new TopK(k);
    for (let c = 0; c < cand.filled; c++) {
      top.add(rowDot(data, cand.items[c] * dim, q), cand.items[c]);
    }
    const out: VectorHit[] = [];
    for (let i = 0; i < top.filled; i++) out.push({ pk: pks[top.items[i]], score: top.scores[i] });
    return out;
  }
}
