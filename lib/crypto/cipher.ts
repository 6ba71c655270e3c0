/**
 * Field encryption: AES-256-GCM with a per-namespace data key derived by HKDF-SHA256 from a
 * keyring key (salt `memoryoss/v1`, info `ns:<namespace>`). A sealed value is self-describing
 * text, so no schema column is needed for the key id:
 *
 *     enc1:<kid>:<base64(nonce(12) ‖ ciphertext ‖ tag(16))>
 *
 * The additional authenticated data binds the namespace, the memory id and the field name, so
 * a ciphertext copied into another row or column fails to open instead of being misread.
 * Values without the prefix are plaintext (stores written before encryption, or with it off).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { MemoryossError } from "../errors/mod.ts";
import type { Keyring } from "./keyring.ts";

/** Prefix of every sealed value. */
export const ENVELOPE_PREFIX = "enc1:";
const ENVELOPE = /^enc1:([0-9a-f]{12}):([A-Za-z0-9+/]+={0,2})$/;
const SALT = Buffer.from("memoryoss/v1");
/** Opened values kept per process (about 4k memories' text). */
const OPENED_CACHE = 4096;

/** True when `value` has the shape of a sealed value. */
export function isSealed(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX) && ENVELOPE.test(value);
}

/** The key id of a sealed value, or null for plaintext. */
export function sealedKid(value: string): string | null {
  return value.startsWith(ENVELOPE_PREFIX) ? (ENVELOPE.exec(value)?.[1] ?? null) : null;
}

/** Which row and column a value belongs to (authenticated, not secret). */
export interface FieldRef {
  namespace: string;
  id: string;
  field: string;
}

function aad(ref: FieldRef): Buffer {
  return Buffer.from(JSON.stringify(["memoryoss/v1", ref.namespace, ref.id, ref.field]));
}

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
  #keys = new Map<string, Buffer>();
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
    this.#opened.clear();
  }

  #dataKey(kid: string, namespace: string, ref: FieldRef | null): Buffer {
    const cacheKey = `${kid}\0${namespace}`;
    let k = this.#keys.get(cacheKey);
    if (k) return k;
    let master = this.keyring.keyFor(kid);
    if (!master) {
      this.reload();
      master = this.keyring.keyFor(kid);
    }
    if (!master) {
      const what = ref ? `memory ${ref.id} is encrypted with key ${kid}` : `key ${kid}`;
      throw new MemoryossError(
        "INVALID_CONFIG",
        `${what}, which ${this.keyring.keyPath} (and ${this.keyring.ringPath}) does not hold: ` +
          "the key file was replaced or lost; restore it from a backup made with --include-key",
      );
    }
    k = Buffer.from(hkdfSync("sha256", master, SALT, Buffer.from(`ns:${namespace}`), 32));
    if (this.#keys.size > 4096) this.#keys.clear();
    this.#keys.set(cacheKey, k);
    return k;
  }

  /** Seal `plaintext` for one field of one row with the active key (or `kid`). */
  seal(ref: FieldRef, plaintext: string, kid?: string): string {
    const use = kid ?? this.activeKid();
    if (!use) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        `encryption is on but there is no key file at ${this.keyring.keyPath} ` +
          "(set [encryption] enabled = false, or restore the key file)",
      );
    }
    const nonce = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.#dataKey(use, ref.namespace, null), nonce);
    c.setAAD(aad(ref));
    const body = Buffer.concat([nonce, c.update(plaintext, "utf8"), c.final(), c.getAuthTag()]);
    return `${ENVELOPE_PREFIX}${use}:${body.toString("base64")}`;
  }

  /** Open a sealed value; plaintext values are returned unchanged. */
  open(ref: FieldRef, value: string): string {
    if (!value.startsWith(ENVELOPE_PREFIX)) return value;
    const cacheKey = `${ref.namespace}\0${ref.id}\0${ref.field}\0${value}`;
    const hit = this.#opened.get(cacheKey);
    if (hit !== undefined) return hit;
    const m = ENVELOPE.exec(value);
    if (!m) return value;
    const plain = this.#open(ref, m[1], m[2]);
    if (this.#opened.size >= OPENED_CACHE) {
      this.#opened.delete(this.#opened.keys().next().value!);
    }
    this.#opened.set(cacheKey, plain);
    return plain;
  }

  #open(ref: FieldRef, kid: string, b64: string): string {
    const key = this.#dataKey(kid, ref.namespace, ref);
    const body = Buffer.from(b64, "base64");
    try {
      if (body.length < 28) throw new Error("short");
      const d = createDecipheriv("aes-256-gcm", key, body.subarray(0, 12));
      d.setAAD(aad(ref));
      d.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([d.update(body.subarray(12, body.length - 16)), d.final()])
        .toString("utf8");
    } catch {
      throw new MemoryossError(
        "INTEGRITY",
        `memory ${ref.id}: encrypted ${ref.field} fails authentication ` +
          "(tampered, corrupted, or copied from another row)",
      );
    }
  }
}
