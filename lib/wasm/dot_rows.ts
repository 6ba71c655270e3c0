/**
 * Rows of `dim` float32 values laid out for the dot product kernel (dots.wat) in a
 * WebAssembly memory: [query: dim, padded to 16 bytes][rows: capacity·dim][out: capacity].
 * `dots(q, n)` is the float32 dot product of `q` with each of the first `n` rows, by the SIMD
 * kernel; null where it cannot run (no WebAssembly SIMD, `dim` not a multiple of 4, more rows
 * than WebAssembly memory holds), and the caller scans `data` itself.
 *
 * @module
 */
import { type DotsKernel, dotsKernel } from "./dots_wasm.ts";

const PAGE = 65536;

/** Rows in one buffer the kernel can scan; grows by a fresh buffer, never in place. */
export class DotRows {
  /** The rows, row `i` at `[i*dim, (i+1)*dim)`. A new array after {@link resize}. */
  data = new Float32Array(0);
  capacity = 0;
  #kernel: DotsKernel | null = null;
  #query = new Float32Array(0);
  #out = new Float32Array(0);
  readonly #rowsAt: number;

  constructor(readonly dim: number, capacity = 64) {
    this.#rowsAt = Math.ceil((dim * 4) / 16) * 16;
    this.resize(capacity, 0);
  }

  /**
   * Room for `capacity` rows, the first `keep` copied over. A fresh memory each time, never
   * `memory.grow()`: that detaches the old buffer, and the first detached buffer makes V8
   * check every typed-array access in the process from then on (about twice as slow). Past
   * what WebAssembly memory can hold (4 GiB), an ordinary buffer and no kernel.
   */
  resize(capacity: number, keep: number): void {
    const outAt = this.#rowsAt + capacity * this.dim * 4;
    let memory: WebAssembly.Memory | null = null;
    try {
      memory = new WebAssembly.Memory({ initial: Math.ceil((outAt + capacity * 4) / PAGE) });
    } catch {
      memory = null;
    }
    const buf = (memory?.buffer ?? new ArrayBuffer(outAt + capacity * 4)) as ArrayBuffer;
    const data = new Float32Array(buf, this.#rowsAt, capacity * this.dim);
    data.set(this.data.subarray(0, keep * this.dim));
    this.data = data;
    this.capacity = capacity;
    this.#query = new Float32Array(buf, 0, this.dim);
    this.#out = new Float32Array(buf, outAt, capacity);
    this.#kernel = memory && this.dim % 4 === 0 ? dotsKernel(memory) : null;
  }

  /** Float32 dot products of `q` with rows `0 … n-1` (a view, valid until the next call). */
  dots(q: Float32Array, n: number): Float32Array | null {
    if (!this.#kernel || q.length !== this.dim) return null;
    this.#query.set(q);
    this.#kernel(0, this.#rowsAt, n, this.dim, this.#out.byteOffset);
    return this.#out;
  }
}
