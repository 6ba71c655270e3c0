/**
 * Field encryption: AES-256-GCM with a per-namespace data key derived by HKDF-SHA256 from a
 * keyring key. The format (`enc1:<kid>:base64(nonce ‖ ciphertext ‖ tag)`, the HKDF salt and
 * info, the additional authenticated data binding namespace, memory id and field) is defined
 * once, in envelope.ts. Two ways to the same bytes: `seal`/`open` are synchronous (Node's
 * crypto, loaded on first use: the store seals inside its write transactions), and
 * `sealAsync`/`openAsync` use WebCrypto (in the runtime, nothing to load), for start-up paths
 * such as `remember`, which seals its queued fact before the transaction.
 * Values without the prefix are plaintext (stores written before encryption, or with it off).
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  aadOf,
  envelope,
  ENVELOPE_PREFIX,
  type FieldRef,
  HKDF_SALT,
  hkdfInfo,
  newNonce,
  parseEnvelope,
  splitBody,
  TAG_BYTES,
} from "./envelope.ts";
import { concatBytes } from "./bytes.ts";
import type { Keyring } from "./keyring.ts";
import { nodeCrypto } from "./node.ts";

export { ENVELOPE_PREFIX, type FieldRef, isSealed, sealedKid } from "./envelope.ts";

/** Opened values kept per process (about 4k memories' text). */
const OPENED_CACHE = 4096;

/**
 * Seals and opens field values with a keyring. Derived keys are cached per (kid, namespace).
 *
 * @example
 * ```ts
 * const c = new FieldCipher(Keyring.load(keyPath));
 * const s = c.seal({ namespace: "demo", id: "m1", field: "content" }, "secret");
 * c.open({ namespace: "demo", id: "m1", field: "content" }, s); // "secret"
 * ```
 */
export class FieldCipher {
  readonly keyring: Keyring;
  #keys = new Map<string, Uint8Array>();
  #webKeys = new Map<string, Promise<CryptoKey>>();
  /**
   * Recently opened values, keyed by row, field and ciphertext together (so the AAD binding
   * holds for cached values too). Plaintext in process memory is outside the threat model.
   */
  #opened = new Map<string, string>();

  constructor(keyring: Keyring) {
    this.keyring = keyring;
  }

  /** The kid new values are sealed with (null when the home has no key). */
  activeKid(): string | null {
    return this.keyring.activeKid();
  }

  /** Re-read the keyring (another process rotated) and forget cached data keys. */
  reload(): void {
    this.keyring.reload();
    this.#keys.clear();
    this.#webKeys.clear();
    this.#opened.clear();
  }

  /** The keyring key `kid` (re-reading the ring once when it is missing). */
  #master(kid: string, ref: FieldRef | null): Uint8Array {
    let master = this.keyring.keyFor(kid);
    if (!master) {
      this.reload();
      master = this.keyring.keyFor(kid);
    }
    if (master) return master;
    const what = ref ? `memory ${ref.id} is encrypted with key ${kid}` : `key ${kid}`;
    throw new MemoryossError(
      "INVALID_CONFIG",
      `${what}, which ${this.keyring.keyPath} (and ${this.keyring.ringPath}) does not hold: ` +
        "the key file was replaced or lost; restore it from a backup made with --include-key",
    );
  }

  #dataKey(kid: string, namespace: string, ref: FieldRef | null): Uint8Array {
    const cacheKey = `${kid}\0${namespace}`;
    let k = this.#keys.get(cacheKey);
    if (k) return k;
    const master = this.#master(kid, ref);
    k = new Uint8Array(nodeCrypto().hkdfSync("sha256", master, HKDF_SALT, hkdfInfo(namespace), 32));
    if (this.#keys.size > 4096) this.#keys.clear();
    this.#keys.set(cacheKey, k);
    return k;
  }

  /** The same data key as {@link #dataKey}, as a WebCrypto AES-GCM key. */
  #webKey(kid: string, namespace: string, ref: FieldRef | null): Promise<CryptoKey> {
    const cacheKey = `${kid}\0${namespace}`;
    let k = this.#webKeys.get(cacheKey);
    if (k) return k;
    const master = this.#master(kid, ref) as Uint8Array<ArrayBuffer>;
    k = (async () => {
      const ikm = await crypto.subtle.importKey("raw", master, "HKDF", false, ["deriveKey"]);
      return await crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: hkdfInfo(namespace) },
        ikm,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    if (this.#webKeys.size > 4096) this.#webKeys.clear();
    this.#webKeys.set(cacheKey, k);
    return k;
  }

  #sealKid(kid?: string): string {
    const use = kid ?? this.activeKid();
    if (use) return use;
    throw new MemoryossError(
      "INVALID_CONFIG",
      `encryption is on but there is no key file at ${this.keyring.keyPath} ` +
        "(set [encryption] enabled = false, or restore the key file)",
    );
  }

  /** Seal `plaintext` for one field of one row with the active key (or `kid`). */
  seal(ref: FieldRef, plaintext: string, kid?: string): string {
    const use = this.#sealKid(kid);
    const nonce = newNonce();
    const c = nodeCrypto().createCipheriv(
      "aes-256-gcm",
      this.#dataKey(use, ref.namespace, null),
      nonce,
    );
    c.setAAD(aadOf(ref));
    const parts = [nonce, c.update(plaintext, "utf8"), c.final(), c.getAuthTag()];
    return envelope(use, concatBytes(parts));
  }

  /**
   * {@link seal} through WebCrypto: the same value (AES-GCM output is ciphertext ‖ tag), no
   * Node crypto loaded. For start-up paths that seal before their write transaction.
   */
  async sealAsync(ref: FieldRef, plaintext: string, kid?: string): Promise<string> {
    const use = this.#sealKid(kid);
    const key = await this.#webKey(use, ref.namespace, null);
    const nonce = newNonce();
    const ctTag = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce, additionalData: aadOf(ref), tagLength: TAG_BYTES * 8 },
      key,
      new TextEncoder().encode(plaintext),
    );
    return envelope(use, concatBytes([nonce, new Uint8Array(ctTag)]));
  }

  /** Open a sealed value; plaintext values are returned unchanged. */
  open(ref: FieldRef, value: string): string {
    if (!value.startsWith(ENVELOPE_PREFIX)) return value;
    const cacheKey = `${ref.namespace}\0${ref.id}\0${ref.field}\0${value}`;
    const hit = this.#opened.get(cacheKey);
    if (hit !== undefined) return hit;
    const m = parseEnvelope(value);
    if (!m) return value;
    const plain = this.#open(ref, m.kid, m.b64);
    if (this.#opened.size >= OPENED_CACHE) {
      this.#opened.delete(this.#opened.keys().next().value!);
    }
    this.#opened.set(cacheKey, plain);
    return plain;
  }

  #open(ref: FieldRef, kid: string, b64: string): string {
    const key = this.#dataKey(kid, ref.namespace, ref);
    try {
      const b = splitBody(b64);
      if (!b) throw new Error("short");
      const d = nodeCrypto().createDecipheriv("aes-256-gcm", key, b.nonce);
      d.setAAD(aadOf(ref));
      d.setAuthTag(b.tag);
      return new TextDecoder().decode(concatBytes([d.update(b.ct), d.final()]));
    } catch {
      throw unauthentic(ref);
    }
  }

  /**
   * {@link open} through WebCrypto (no cache): for one-shot paths that load no Node crypto
   * (`remember`'s queue, `recall`'s batches: lib/store sealed.ts `openSealedAsync`).
   */
  async openAsync(ref: FieldRef, value: string): Promise<string> {
    const m = value.startsWith(ENVELOPE_PREFIX) ? parseEnvelope(value) : null;
    if (!m) return value;
    const key = await this.#webKey(m.kid, ref.namespace, ref);
    const b = splitBody(m.b64);
    if (!b) throw unauthentic(ref);
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: b.nonce, additionalData: aadOf(ref), tagLength: TAG_BYTES * 8 },
        key,
        concatBytes([b.ct, b.tag]),
      );
      return new TextDecoder().decode(plain);
    } catch {
      throw unauthentic(ref);
    }
  }
}

function unauthentic(ref: FieldRef): MemoryossError {
  return new MemoryossError(
    "INTEGRITY",
    `memory ${ref.id}: encrypted ${ref.field} fails authentication ` +
      "(tampered, corrupted, or copied from another row)",
  );
}
