/**
 * Byte helpers, one home each: bytes ↔ lowercase hex, SHA-256 (hex or bytes), and a comparison whose
 * time does not depend on where two values differ. Node's crypto (synchronous SHA-256 of long
 * inputs, the comparison) is loaded on first use (node.ts); `sha256`, hex and `sha256Hex` of
 * short inputs need nothing loaded.
 *
 * @module
 */
import { loadedNodeCrypto, nodeCrypto } from "./node.ts";
import { sha256Sync } from "./sha256.ts";

/**
 * Inputs up to this many bytes are hashed in JavaScript (sha256.ts) while Node's crypto is not
 * loaded: loading it (≈ 17 ms) would cost more than hashing a few short keys in JavaScript.
 */
const JS_SHA256_MAX = 4096;

/**
 * Lowercase hex of `bytes`.
 *
 * @example
 * ```ts
 * toHex(new Uint8Array([0, 171])); // "00ab"
 * ```
 */
export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  return (bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toHex();
}

/**
 * The bytes of a hex string (either case); null when it is not whole bytes of hex.
 *
 * @example
 * ```ts
 * fromHex("00ab"); // Uint8Array [0, 171]
 * fromHex("0g"); // null
 * ```
 */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return null;
  return Uint8Array.fromHex(hex);
}

/**
 * SHA-256 of UTF-8 text or bytes, as lowercase hex.
 *
 * @example
 * ```ts
 * sha256Hex("abc").slice(0, 8); // "ba7816bf"
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  if (!loadedNodeCrypto() && data.length <= JS_SHA256_MAX) {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    // A string's UTF-8 may be longer than its UTF-16 length.
    if (bytes.length <= JS_SHA256_MAX) return toHex(sha256Sync(bytes));
  }
  return nodeCrypto().createHash("sha256").update(data).digest("hex");
}

/**
 * SHA-256 of UTF-8 text or bytes through Web Crypto, as bytes.
 *
 * @example
 * ```ts
 * (await sha256("abc")).length; // 32
 * ```
 */
export async function sha256(data: string | Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/**
 * Equality in constant time for equal lengths (a length difference answers false at once;
 * compare digests when the length itself is secret). Strings compare as UTF-8.
 *
 * @example
 * ```ts
 * constantTimeEqual("token", "token"); // true
 * ```
 */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const x = typeof a === "string" ? new TextEncoder().encode(a) : a;
  const y = typeof b === "string" ? new TextEncoder().encode(b) : b;
  return x.length === y.length && nodeCrypto().timingSafeEqual(x, y);
}

/** The byte arrays of `parts`, one after the other, in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
