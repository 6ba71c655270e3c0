/**
 * Signature primitives. `memoryoss.hmac-sha256.v1` is memoryOSS's scheme (a shared secret, so
 * no third-party verifiability); `memoryoss.ed25519.v1` is our default (Web Crypto Ed25519,
 * public keys shareable in catalogs) and signs an RFC 8785 (JCS) message we define.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import { constantTimeEqual, fromHex, toHex } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { sha256Hex } from "./canonical.ts";
import { jcs } from "./jcs.ts";
import { chronoToRfc3339 } from "./rust_format.ts";

/** memoryOSS's HMAC scheme name. */
export const HMAC_SCHEME = "memoryoss.hmac-sha256.v1";
/** Our Ed25519 scheme name (a line we define; message is JCS, see {@link ed25519Message}). */
export const ED25519_SCHEME = "memoryoss.ed25519.v1";
/** The scheme of an unsigned bundle. */
export const UNSIGNED_SCHEME = "unsigned";

/** What a signature binds: who, as which identity kind, when, over what subject. */
export interface SignatureFields {
  /** Signer identity id, e.g. `device:3f9a0c1d2e4b5a69` (see {@link signerName}). */
  identity: string;
  /** Identity kind: `author`, `device` or `sync_peer`. */
  kind: string;
  /** RFC 3339 timestamp as stored in the signature (`signed_at`). */
  signedAt: string;
  /** The envelope hash, or `"<kind>:<hex>"` for sidecar subjects. */
  subject: string;
}

/**
 * The memoryOSS HMAC message: `identity\nkind\n<signed_at as chrono to_rfc3339>\nsubject`;
 * the timestamp is re-printed in UTC with `+00:00` and 0/3/6/9 fractional digits.
 *
 * @example
 * ```ts
 * hmacMessage({ identity: "device:x", kind: "device", signedAt: "2026-03-13T09:00:00Z",
 *   subject: "ab" }); // "device:x\ndevice\n2026-03-13T09:00:00+00:00\nab"
 * ```
 */
export function hmacMessage(f: SignatureFields): string {
  return `${f.identity}\n${f.kind}\n${chronoToRfc3339(f.signedAt)}\n${f.subject}`;
}

/**
 * HMAC-SHA256 of {@link hmacMessage} under the shared secret, lowercase hex.
 *
 * @example
 * ```ts
 * hmacSign("secret", fields); // 64 hex digits
 * ```
 */
export function hmacSign(secret: string | Uint8Array, f: SignatureFields): string {
  return createHmac("sha256", secret).update(hmacMessage(f)).digest("hex");
}

/**
 * Checks an HMAC value in constant time. Malformed fields give false, never a throw.
 *
 * @example
 * ```ts
 * hmacVerify("secret", fields, hmacSign("secret", fields)); // true
 * ```
 */
export function hmacVerify(
  secret: string | Uint8Array,
  f: SignatureFields,
  value: string,
): boolean {
  let expected: string;
  try {
    expected = hmacSign(secret, f);
  } catch {
    return false;
  }
  return constantTimeEqual(expected, value);
}

/**
 * Our Ed25519 message: UTF-8 of the JCS form of
 * `{scheme, identity, identity_kind, signed_at, subject}`; `signed_at` is taken verbatim.
 *
 * @example
 * ```ts
 * new TextDecoder().decode(ed25519Message(fields));
 * // '{"identity":"…","identity_kind":"…","scheme":"memoryoss.ed25519.v1","signed_at":"…",…}'
 * ```
 */
export function ed25519Message(f: SignatureFields): Uint8Array<ArrayBuffer> {
  const text = jcs({
    scheme: ED25519_SCHEME,
    identity: f.identity,
    identity_kind: f.kind,
    signed_at: f.signedAt,
    subject: f.subject,
  });
  return new TextEncoder().encode(text);
}

const ED25519 = { name: "Ed25519" } as const;

/**
 * Short fingerprint of a raw Ed25519 public key (hex): the first 16 hex digits of its SHA-256.
 *
 * @example
 * ```ts
 * keyFingerprint("11".repeat(32)).length; // 16
 * ```
 */
export function keyFingerprint(keyHex: string): string {
  return sha256Hex(hexToBytes(keyHex, "public key")).slice(0, 16);
}

/**
 * The signer name an Ed25519 key signs under: `<kind>:<fingerprint>`. The name is inside the
 * envelope hash and the signed message; the key itself (`signature.public_key`) is not, so a
 * verifier checks that the name binds the key it carries.
 *
 * @example
 * ```ts
 * signerName("11".repeat(32)); // "device:" + keyFingerprint("11".repeat(32))
 * ```
 */
export function signerName(keyHex: string, kind = "device"): string {
  return `${kind}:${keyFingerprint(keyHex)}`;
}

function hexToBytes(hex: string, what: string): Uint8Array<ArrayBuffer> {
  const out = fromHex(hex);
  if (!out) throw new MemoryossError("INVALID_INPUT", `${what} is not hex`);
  return out;
}

/**
 * A fresh extractable Ed25519 key pair.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = await generateEd25519KeyPair();
 * ```
 */
export async function generateEd25519KeyPair(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"]) as CryptoKeyPair;
}

/**
 * The raw 32-byte public key as lowercase hex (what a catalog publishes).
 *
 * @example
 * ```ts
 * await exportEd25519PublicKey(publicKey); // 64 hex digits
 * ```
 */
export async function exportEd25519PublicKey(key: CryptoKey): Promise<string> {
  return toHex(await crypto.subtle.exportKey("raw", key));
}

/**
 * Imports a raw public key from hex.
 *
 * @example
 * ```ts
 * const key = await importEd25519PublicKey(hex);
 * ```
 */
export async function importEd25519PublicKey(hex: string): Promise<CryptoKey> {
  const raw = hexToBytes(hex, "public key");
  if (raw.length !== 32) throw new MemoryossError("INVALID_INPUT", "public key must be 32 bytes");
  return await crypto.subtle.importKey("raw", raw, ED25519, true, ["verify"]);
}

/**
 * The private key as PKCS#8 hex, for storage in a key file.
 *
 * @example
 * ```ts
 * const hex = await exportEd25519PrivateKey(privateKey);
 * ```
 */
export async function exportEd25519PrivateKey(key: CryptoKey): Promise<string> {
  return toHex(await crypto.subtle.exportKey("pkcs8", key));
}

/**
 * Imports a PKCS#8 hex private key.
 *
 * @example
 * ```ts
 * const key = await importEd25519PrivateKey(hex);
 * ```
 */
export async function importEd25519PrivateKey(hex: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey("pkcs8", hexToBytes(hex, "private key"), ED25519, true, [
      "sign",
    ]);
  } catch (e) {
    if (e instanceof MemoryossError) throw e;
    throw new MemoryossError("INVALID_INPUT", "not an Ed25519 PKCS#8 private key");
  }
}

/**
 * Signs {@link ed25519Message}; the 64-byte signature as lowercase hex.
 *
 * @example
 * ```ts
 * const value = await ed25519Sign(privateKey, fields);
 * ```
 */
export async function ed25519Sign(privateKey: CryptoKey, f: SignatureFields): Promise<string> {
  return toHex(await crypto.subtle.sign(ED25519, privateKey, ed25519Message(f)));
}

/**
 * Verifies an Ed25519 value; false for any malformed input instead of a throw.
 *
 * @example
 * ```ts
 * await ed25519Verify(publicKeyHex, fields, value); // true
 * ```
 */
export async function ed25519Verify(
  publicKey: CryptoKey | string,
  f: SignatureFields,
  value: string,
): Promise<boolean> {
  try {
    const key = typeof publicKey === "string" ? await importEd25519PublicKey(publicKey) : publicKey;
    const sig = hexToBytes(value, "signature");
    if (sig.length !== 64) return false;
    return await crypto.subtle.verify(ED25519, key, sig, ed25519Message(f));
  } catch {
    return false;
  }
}
