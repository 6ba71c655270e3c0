/**
 * SHA-256 (FIPS 180-4) in plain JavaScript, synchronous. The runtime's only synchronous SHA-256
 * is Node's crypto, whose polyfill costs ≈ 17 ms of CPU to load (node.ts); WebCrypto's digest is
 * asynchronous. `sha256Hex` (bytes.ts) uses this for short inputs while Node's crypto is not
 * loaded, so a command that only hashes a few short keys (recall: episode keys of sessions, the
 * keyring's key ids) never loads it. Output is SHA-256's, byte for byte (tests/crypto/
 * sha256_js_test.ts: FIPS vectors and Node's digests of every length around the block edges).
 *
 * Why not a library: `@noble/hashes` (2.4.0) was tried in its place. The first npm package in a
 * process's module graph makes Deno open its npm snapshot and take the node_modules lock at
 * start, ≈ 8–15 ms of CPU measured on `remember` and `recall` (20 alternating rounds each,
 * docs/benchmarks.md, 2026-12-08) — more than this file saves — and a dynamic import with a
 * literal specifier counts as part of the graph too. This is the textbook algorithm, nothing
 * more, and is checked against published vectors and Node's digests.
 *
 * @module
 */

/** Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = Uint32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** One 64-byte block of `v` at `off` into the state `h`, with `w` as the message schedule. */
function block(h: Uint32Array, w: Uint32Array, v: DataView, off: number): void {
  for (let i = 0; i < 16; i++) w[i] = v.getUint32(off + i * 4);
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15], b = w[i - 2];
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1; // the array stores it mod 2^32
  }
  let [a, b, c, d, e, f, g, k] = h;
  for (let i = 0; i < 64; i++) {
    const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] +
      w[i]) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

/**
 * SHA-256 of `data`, as 32 bytes.
 *
 * @example
 * ```ts
 * sha256Sync(new TextEncoder().encode("abc")).toHex().slice(0, 8); // "ba7816bf"
 * ```
 */
export function sha256Sync(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const n = data.length;
  // The message, 0x80, zeros, and its length in bits (64-bit big-endian), in whole blocks.
  const buf = new Uint8Array(Math.ceil((n + 9) / 64) * 64);
  buf.set(data);
  buf[n] = 0x80;
  const v = new DataView(buf.buffer);
  v.setUint32(buf.length - 8, Math.floor(n / 0x20000000));
  v.setUint32(buf.length - 4, (n * 8) >>> 0);
  const h = Uint32Array.of(
    0x6a09e667,
    0xbb67ae85,
    0x3c6ef372,
    0xa54ff53a,
    0x510e527f,
    0x9b05688c,
    0x1f83d9ab,
    0x5be0cd19,
  );
  const w = new Uint32Array(64);
  for (let off = 0; off < buf.length; off += 64) block(h, w, v, off);
  const out = new Uint8Array(32);
  const o = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) o.setUint32(i * 4, h[i]);
  return out;
}
