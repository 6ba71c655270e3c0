/**
 * In-memory vector search. Brute force over unit vectors (dot product = cosine) kept in one
 * Float32Array arena per namespace, so namespace filtering costs nothing and other namespaces
 * never compete for top-k. Behind an interface so an ANN index can replace it.
 */

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

class Arena {
  data: Float32Array;
  pks: number[] = [];
  tags: number[] = [];
  constructor(readonly dim: number) {
    this.data = new Float32Array(dim * 64);
  }
  get count(): number {
    return this.pks.length;
  }
  push(pk: number, v: Float32Array, tag: number): number {
    const slot = this.pks.length;
    if ((slot + 1) * this.dim > this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data.set(v, slot * this.dim);
    this.pks.push(pk);
    this.tags.push(tag);
    return slot;
  }
}

/** Exact search; about 16 ms at 100k × 384 on the build machines. */
export class BruteForceIndex implements VectorIndex {
  readonly dim: number;
  #arenas = new Map<string, Arena>();
  /** pk → [namespace, slot] */
  #where = new Map<number, [string, number]>();

  constructor(dim: number) {
    this.dim = dim;
  }

  upsert(pk: number, namespace: string, vector: Float32Array, tag = 1): void {
    if (vector.length !== this.dim) {
      throw new Error(`vector has ${vector.length} dims, index has ${this.dim}`);
    }
    const at = this.#where.get(pk);
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
    this.#where.set(pk, [namespace, arena.push(pk, vector, tag)]);
  }

  remove(pk: number): void {
    const at = this.#where.get(pk);
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
      this.#where.set(movedPk, [ns, slot]);
    }
    arena.pks.pop();
    arena.tags.pop();
    this.#where.delete(pk);
  }

  get(pk: number): Float32Array | null {
    const at = this.#where.get(pk);
    if (!at) return null;
    const arena = this.#arenas.get(at[0])!;
    return arena.data.slice(at[1] * this.dim, (at[1] + 1) * this.dim);
  }

  size(namespace?: string): number {
    if (namespace !== undefined) return this.#arenas.get(namespace)?.count ?? 0;
    return this.#where.size;
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
    const { data, pks, tags, dim } = arena;
    const n = arena.count;
    // Insertion-sorted top-k; k is small (≤ a few hundred).
    const topScore = new Float64Array(k).fill(-Infinity);
    const topPk = new Array<number>(k).fill(-1);
    let filled = 0;
    for (let i = 0; i < n; i++) {
      if (tagMask !== undefined && (tags[i] & tagMask) === 0) continue;
      if (allow && !allow.has(pks[i])) continue;
      const off = i * dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let j = 0;
      for (; j + 3 < dim; j += 4) {
        s0 += data[off + j] * q[j];
        s1 += data[off + j + 1] * q[j + 1];
        s2 += data[off + j + 2] * q[j + 2];
        s3 += data[off + j + 3] * q[j + 3];
      }
      for (; j < dim; j++) s0 += data[off + j] * q[j];
      const s = s0 + s1 + s2 + s3;
      if (filled < k) filled++;
      else if (s <= topScore[k - 1]) continue;
      let p = filled - 1;
      while (p > 0 && topScore[p - 1] < s) {
        topScore[p] = topScore[p - 1];
        topPk[p] = topPk[p - 1];
        p--;
      }
      topScore[p] = s;
      topPk[p] = pks[i];
    }
    const out: VectorHit[] = [];
    for (let i = 0; i < filled; i++) out.push({ pk: topPk[i], score: topScore[i] });
    return out;
  }
}
