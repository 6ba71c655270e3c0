/**
 * One namespace's vectors held in memory for {@link MemoryEngine.nearest} (vector_cache.ts):
 * per dimension, the rows in one contiguous Float32Array (lib/wasm's `DotRows`, laid out for the
 * SIMD dot product kernel that lib/recall's index runs on too) with each row's squared norm,
 * key, status, archive flag and embedder beside it, scanned brute force. A score is the cosine
 * `dot / sqrt(|q|² |v|²)` of the stored float32 values summed in double precision (each row's
 * |v|² computed once when it enters), 0 when either vector is all zeros: the figure the engines
 * computed per call before.
 *
 * The kernel's float32 dot products only choose which rows to score (score_scan.ts); every
 * score returned is that double-precision figure, bit for bit.
 *
 * @module
 */
import { DotRows } from "../../wasm/mod.ts";
import type { EngineHit, EngineVectorRow } from "./types.ts";
import { scoreRows } from "./score_scan.ts";

/** What the index keeps of a row. */
export type IndexRow = Pick<EngineVectorRow, "pk" | "status" | "archived" | "embedding"> & {
  embedder_id: string | null;
};

/** What a search is restricted to (the index's share of a `MemoryFilter`). */
export interface IndexQuery {
  archived: "exclude" | "include" | "only";
  statuses?: readonly string[];
  embedderId?: string;
  /** Only these pks (a filter the index cannot judge, resolved in SQL). */
  allow?: Set<number>;
}

/** Small codes for repeated strings (statuses, embedder ids). */
class Codes {
  readonly #codes = new Map<string, number>();
  code(s: string): number {
    let c = this.#codes.get(s);
    if (c === undefined) this.#codes.set(s, c = this.#codes.size);
    return c;
  }
  find(s: string): number | undefined {
    return this.#codes.get(s);
  }
  get size(): number {
    return this.#codes.size;
  }
}

/** The rows of one dimension. Row `i`: values `data[i*dim .. (i+1)*dim)`, key `pks[i]`. */
export class Rows {
  n = 0;
  readonly vec: DotRows;
  norm2: Float64Array;
  pks: Float64Array;
  status: Uint16Array;
  embedder: Uint16Array;
  archived: Uint8Array;
  readonly slot = new Map<number, number>();

  constructor(readonly dim: number, capacity = 64) {
    this.vec = new DotRows(dim, capacity);
    this.norm2 = new Float64Array(capacity);
    this.pks = new Float64Array(capacity);
    this.status = new Uint16Array(capacity);
    this.embedder = new Uint16Array(capacity);
    this.archived = new Uint8Array(capacity);
  }

  /** The values (a new array after the rows grow). */
  get data(): Float32Array {
    return this.vec.data;
  }

  #grow(): void {
    const cap = this.pks.length * 2;
    const more = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, n: number) => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.vec.resize(cap, this.n);
    this.norm2 = more(this.norm2, cap);
    this.pks = more(this.pks, cap);
    this.status = more(this.status, cap);
    this.embedder = more(this.embedder, cap);
    this.archived = more(this.archived, cap);
  }

  put(pk: number, v: Float32Array, status: number, embedder: number, archived: boolean): void {
    let i = this.slot.get(pk);
    if (i === undefined) {
      if (this.n === this.pks.length) this.#grow();
      i = this.n++;
      this.slot.set(pk, i);
    }
    this.data.set(v, i * this.dim);
    let m = 0;
    for (let j = 0; j < v.length; j++) m += v[j] * v[j];
    this.norm2[i] = m;
    this.pks[i] = pk;
    this.status[i] = status;
    this.embedder[i] = embedder;
    this.archived[i] = archived ? 1 : 0;
  }

  /** Remove `pk`, moving the last row into its place. */
  remove(pk: number): void {
    const i = this.slot.get(pk);
    if (i === undefined) return;
    this.slot.delete(pk);
    const last = --this.n;
    if (i === last) return;
    const d = this.dim;
    this.data.copyWithin(i * d, last * d, (last + 1) * d);
    this.norm2[i] = this.norm2[last];
    this.pks[i] = this.pks[last];
    this.status[i] = this.status[last];
    this.embedder[i] = this.embedder[last];
    this.archived[i] = this.archived[last];
    this.slot.set(this.pks[i], i);
  }
}

/**
 * The best `k` hits, best first (higher score, then lower pk): kept sorted while `k` is small,
 * else every hit collected and sorted once at the end.
 */
export class TopK {
  readonly #hits: EngineHit[] = [];
  readonly #small: boolean;
  constructor(readonly k: number) {
    this.#small = k <= 256;
  }
  offer(s: number, pk: number): void {
    const h = this.#hits;
    if (!this.#small) {
      h.push({ pk, score: s });
      return;
    }
    if (h.length === this.k) {
      const w = h[h.length - 1];
      if (s < w.score || (s === w.score && pk > w.pk)) return;
      h.pop();
    }
    let p = h.length;
    while (p > 0 && (h[p - 1].score < s || (h[p - 1].score === s && h[p - 1].pk > pk))) p--;
    h.splice(p, 0, { pk, score: s });
  }
  result(): EngineHit[] {
    if (this.#small) return this.#hits;
    return this.#hits.sort((a, b) => b.score - a.score || a.pk - b.pk).slice(0, this.k);
  }
}

/** Every vector of one namespace, by dimension, as of revision `rev`. */
export class NamespaceIndex {
  readonly #byDim = new Map<number, Rows>();
  readonly #dimOf = new Map<number, number>();
  readonly #statuses = new Codes();
  readonly #embedders = new Codes();

  constructor(public rev: number) {}

  /** Add or replace a row; a row without a vector leaves the index. */
  upsert(r: IndexRow): void {
    const v = r.embedding;
    if (!v || v.length === 0) return this.remove(r.pk);
    const had = this.#dimOf.get(r.pk);
    if (had !== undefined && had !== v.length) this.remove(r.pk);
    let rows = this.#byDim.get(v.length);
    if (!rows) this.#byDim.set(v.length, rows = new Rows(v.length));
    rows.put(
      r.pk,
      v,
      this.#statuses.code(r.status),
      this.#embedders.code(r.embedder_id ?? ""),
      r.archived,
    );
    this.#dimOf.set(r.pk, v.length);
  }

  remove(pk: number): void {
    const d = this.#dimOf.get(pk);
    if (d === undefined) return;
    this.#dimOf.delete(pk);
    this.#byDim.get(d)?.remove(pk);
  }

  /** The `k` rows passing `f` closest to `q` by cosine, best first (ties by pk). */
  search(q: Float32Array, k: number, f: IndexQuery): EngineHit[] {
    const rows = this.#byDim.get(q.length);
    if (!rows || k <= 0) return [];
    let emb = -1;
    if (f.embedderId !== undefined) {
      const c = this.#embedders.find(f.embedderId);
      if (c === undefined) return [];
      emb = c;
    }
    let okStatus: Uint8Array | null = null;
    if (f.statuses?.length) {
      okStatus = new Uint8Array(this.#statuses.size);
      for (const s of f.statuses) {
        const c = this.#statuses.find(s);
        if (c !== undefined) okStatus[c] = 1;
      }
    }
    const arch = f.archived === "include" ? -1 : f.archived === "only" ? 1 : 0;
    return scoreRows(rows, q, new TopK(k), (i) =>
      (arch < 0 || rows.archived[i] === arch) &&
      (emb < 0 || rows.embedder[i] === emb) &&
      (okStatus === null || okStatus[rows.status[i]] === 1) &&
      (f.allow === undefined || f.allow.has(rows.pks[i])));
  }
}
