/**
 * Exact word lookup over the asset's word block (UTF-8 words joined by "\n") without making a
 * string per word: an open-addressing table of word ids keyed by FNV-1a of the word's bytes.
 * Building it is one pass over ~400 KB, several times faster than 50k `Map.set`s of decoded
 * strings, which matters because every process that embeds builds it once (`store` and
 * `recall` start-up). The pass runs as WebAssembly (word_index.wat): the same loop in JS runs
 * cold, interpreted for most of its 15–30 ms; the JS version below stays as the fallback and
 * the reference the tests compare with.
 *
 * @module
 */
import { fillKernel } from "./word_index_wasm.ts";

const NEWLINE = 10;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Word id by exact word, and word by id; same answers as a `Map` over the split block. */
export class WordIndex {
  readonly #block: Uint8Array;
  /** Byte offset of word `i`; `starts[count]` is one past the block's end. */
  readonly #starts: Int32Array;
  /** Word ids (or -1) by hash slot; the table is at most half full. */
  readonly #slots: Int32Array;
  readonly #mask: number;
  #scratch = new Uint8Array(64);

  private constructor(block: Uint8Array, starts: Int32Array, slots: Int32Array) {
    this.#block = block;
    this.#starts = starts;
    this.#slots = slots;
    this.#mask = slots.length - 1;
  }

  /**
   * Index a block of `count` words; throws when the block holds another number of words.
   *
   * @example
   * ```ts
   * const idx = WordIndex.build(new TextEncoder().encode("the\nof"), 2);
   * idx.get("of"); // 1
   * ```
   */
  static build(block: Uint8Array, count: number, opts: { wasm?: boolean } = {}): WordIndex {
    const nslots = 2 ** Math.ceil(Math.log2(count * 2 + 2));
    const built = opts.wasm === false ? null : buildWasm(block, count, nslots);
    const [starts, slots, found] = built ?? jsBuild(block, count, nslots);
    if (found !== count) {
      const has = found > count ? `more than ${count}` : String(found);
      throw new Error(`asset has ${has} words, expected ${count}`);
    }
    return new WordIndex(block, starts, slots);
  }

  /** The table as built (for tests: WebAssembly and JS builds must agree slot for slot). */
  get layout(): { starts: Int32Array; slots: Int32Array } {
    return { starts: this.#starts, slots: this.#slots };
  }

  /** Number of words. */
  get size(): number {
    return this.#starts.length - 1;
  }

  /** The id of `word`, or undefined when the table lacks it. */
  get(word: string): number | undefined {
    const bytes = this.#encode(word);
    let h = FNV_OFFSET;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], FNV_PRIME);
    for (let s = h & this.#mask;; s = (s + 1) & this.#mask) {
      const id = this.#slots[s];
      if (id === -1) return undefined;
      if (this.#equals(id, bytes)) return id;
    }
  }

  /** The word with id `id`. */
  word(id: number): string {
    return new TextDecoder().decode(
      this.#block.subarray(this.#starts[id], this.#starts[id + 1] - 1),
    );
  }

  /** Whether word `id` is exactly `word` (no string is made). */
  is(id: number, word: string): boolean {
    return id >= 0 && id < this.size && this.#equals(id, this.#encode(word));
  }

  #equals(id: number, bytes: Uint8Array): boolean {
    const start = this.#starts[id];
    if (this.#starts[id + 1] - 1 - start !== bytes.length) return false;
    for (let i = 0; i < bytes.length; i++) if (this.#block[start + i] !== bytes[i]) return false;
    return true;
  }

  /** UTF-8 bytes of `word`; ASCII (nearly every lookup) skips the encoder. */
  #encode(word: string): Uint8Array {
    if (this.#scratch.length < word.length * 3) this.#scratch = new Uint8Array(word.length * 3);
    const out = this.#scratch;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= 0x80) return new TextEncoder().encode(word);
      out[i] = c;
    }
    return out.subarray(0, word.length);
  }
}

type Built = [starts: Int32Array, slots: Int32Array, found: number];

function jsBuild(block: Uint8Array, count: number, nslots: number): Built {
  const starts = new Int32Array(count + 1);
  const slots = new Int32Array(nslots).fill(-1);
  return [starts, slots, fillIndex(block, count, starts, slots)];
}

const PAGE = 65536;

/**
 * {@link fillIndex} in WebAssembly: the block, the starts and the slots in one memory (the
 * arrays stay views of it); null where WebAssembly is unavailable or the block too large.
 */
function buildWasm(block: Uint8Array, count: number, nslots: number): Built | null {
  const startsAt = Math.ceil(block.length / 4) * 4;
  const slotsAt = startsAt + (count + 1) * 4;
  const bytes = slotsAt + nslots * 4;
  if (bytes > 2 ** 30) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
  } catch {
    return null;
  }
  const fill = fillKernel(memory);
  if (!fill) return null;
  const buf = memory.buffer as ArrayBuffer;
  new Uint8Array(buf, 0, block.length).set(block);
  const starts = new Int32Array(buf, startsAt, count + 1);
  const slots = new Int32Array(buf, slotsAt, nslots).fill(-1);
  const found = fill(0, block.length, count, startsAt, slotsAt, nslots - 1);
  return [starts, slots, found];
}

/**
 * One pass over the block: record each word's start and put its id in `slots` (linear
 * probing; a repeated word takes over its earlier slot). Returns the number of words, and
 * stops counting at `count + 1`. Plain locals only: this runs cold, once per process.
 */
function fillIndex(block: Uint8Array, count: number, starts: Int32Array, slots: Int32Array) {
  const mask = slots.length - 1;
  const end = block.length;
  let id = 0;
  let from = 0;
  let h = FNV_OFFSET;
  for (let i = 0; i <= end; i++) {
    const b = i < end ? block[i] : NEWLINE;
    if (b !== NEWLINE) {
      h = Math.imul(h ^ b, FNV_PRIME);
      continue;
    }
    if (id === count) return count + 1;
    const len = i - from;
    let s = h & mask;
    for (let other = slots[s]; other !== -1; other = slots[s]) {
      const at = starts[other];
      if (starts[other + 1] - 1 - at === len && sameBytes(block, at, from, len)) break;
      s = (s + 1) & mask;
    }
    slots[s] = id;
    starts[id] = from;
    starts[++id] = i + 1;
    from = i + 1;
    h = FNV_OFFSET;
  }
  return id;
}

function sameBytes(block: Uint8Array, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (block[a + k] !== block[b + k]) return false;
  return true;
}
