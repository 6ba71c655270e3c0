/**
 * Synchronous SHA-256 without Node's crypto: `@noble/hashes` (audited, dependency-free). The
 * runtime's only other synchronous SHA-256 is Node's crypto, whose polyfill costs ≈ 17 ms of CPU
 * to load (node.ts); WebCrypto's digest is asynchronous. `sha256Hex` (bytes.ts) uses this for
 * short inputs while Node's crypto is not loaded, so a command that only hashes a few short keys
 * (recall: episode keys of sessions, the keyring's key ids) never loads it
 * (tests/crypto/sha256_js_test.ts: FIPS vectors and Node's digests around the block edges).
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";

/** SHA-256 of `data`. */
export function sha256Sync(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return sha256(data) as Uint8Array<ArrayBuffer>;
}
