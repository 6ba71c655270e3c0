/**
 * A Bloom filter of the source words that did not make it into the word table. It lets the
 * typo corrector tell a misspelling ("reciever") from a real but rare word ("linter",
 * "docker"), which must not be "corrected" to "winter" or "locker".
 *
 * @module
 */

/** Two independent 32-bit hashes of a string (FNV-1a, and FNV-1a with murmur mixing). */
function hashes(word: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  let g = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35);
  g ^= g >>> 16;
  return [h >>> 0, (g | 1) >>> 0]; // odd step so probes never repeat early
}

/**
 * Set `word`'s `k` bits in `bits` (Kirsch-Mitzenmacher double hashing).
 *
 * @example
 * ```ts
 * const bits = new Uint8Array(1024);
 * bloomAdd(bits, 5, "linter");
 * bloomHas(bits, 5, "linter"); // true
 * ```
 */
export function bloomAdd(bits: Uint8Array, k: number, word: string): void {
  const m = bits.length * 8;
  const [h1, h2] = hashes(word);
  for (let i = 0; i < k; i++) {
    const bit = (h1 + Math.imul(i, h2) >>> 0) % m;
    bits[bit >>> 3] |= 1 << (bit & 7);
  }
}

/**
 * Whether `word` may have been added (false positives at the filter's design rate).
 *
 * @example
 * ```ts
 * bloomHas(new Uint8Array(8), 3, "x"); // false
 * ```
 */
export function bloomHas(bits: Uint8Array, k: number, word: string): boolean {
  const m = bits.length * 8;
  if (m === 0 || k === 0) return false;
  const [h1, h2] = hashes(word);
  for (let i = 0; i < k; i++) {
    const bit = (h1 + Math.imul(i, h2) >>> 0) % m;
    if ((bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
