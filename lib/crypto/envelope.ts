/**
 * The sealed-value format, defined once for both ways of sealing (cipher.ts: Node's crypto,
 * synchronous; WebCrypto, asynchronous, for start-up paths):
 *
 *     enc1:<kid>:<base64(nonce(12) ‖ ciphertext ‖ tag(16))>
 *
 * The data key is HKDF-SHA256 of a keyring key (salt `memoryoss/v1`, info `ns:<namespace>`,
 * 32 bytes: AES-256-GCM). The additional authenticated data binds the namespace, the memory id
 * and the field name, so a ciphertext copied into another row or column fails to open.
 *
 * @module
 */

/** Prefix of every sealed value. */
export const ENVELOPE_PREFIX = "enc1:";
const ENVELOPE = /^enc1:([0-9a-f]{12}):([A-Za-z0-9+/]+={0,2})$/;
/** AES-GCM nonce length in bytes (random per value). */
export const NONCE_BYTES = 12;
/** AES-GCM tag length in bytes (after the ciphertext). */
export const TAG_BYTES = 16;
/** HKDF-SHA256 salt of every data key. */
export const HKDF_SALT: Uint8Array<ArrayBuffer> = new TextEncoder().encode("memoryoss/v1");

/** Which row and column a value belongs to (authenticated, not secret). */
export interface FieldRef {
  namespace: string;
  id: string;
  field: string;
}

/** HKDF info of the data key of `namespace`. */
export function hkdfInfo(namespace: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`ns:${namespace}`);
}

/** The additional authenticated data of a value of `ref`. */
export function aadOf(ref: FieldRef): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(
    JSON.stringify(["memoryoss/v1", ref.namespace, ref.id, ref.field]),
  );
}

/** True when `value` has the shape of a sealed value. */
export function isSealed(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX) && ENVELOPE.test(value);
}

/** The key id of a sealed value, or null for plaintext. */
export function sealedKid(value: string): string | null {
  return value.startsWith(ENVELOPE_PREFIX) ? (ENVELOPE.exec(value)?.[1] ?? null) : null;
}

/** The sealed value of `nonce ‖ ciphertext ‖ tag` under key `kid`. */
export function envelope(kid: string, body: Uint8Array): string {
  return `${ENVELOPE_PREFIX}${kid}:${body.toBase64()}`;
}

/** A sealed value's kid and base64 body, or null when `value` does not have the shape. */
export function parseEnvelope(value: string): { kid: string; b64: string } | null {
  const m = ENVELOPE.exec(value);
  return m ? { kid: m[1], b64: m[2] } : null;
}

/**
 * A sealed body split into nonce, ciphertext and tag; null when it is too short to hold them
 * or is not base64 (either fails authentication).
 */
export function splitBody(
  b64: string,
):
  | { nonce: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer>; tag: Uint8Array<ArrayBuffer> }
  | null {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = Uint8Array.fromBase64(b64);
  } catch {
    return null;
  }
  if (body.length < NONCE_BYTES + TAG_BYTES) return null;
  return {
    nonce: body.subarray(0, NONCE_BYTES),
    ct: body.subarray(NONCE_BYTES, body.length - TAG_BYTES),
    tag: body.subarray(body.length - TAG_BYTES),
  };
}

/** A fresh random nonce. */
export function newNonce(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
}
