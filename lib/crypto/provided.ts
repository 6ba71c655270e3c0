/**
 * Base keys held in memory instead of read from `memoryoss.key`: a key provider (Vault
 * Transit, `vault.ts`) unwraps the home's key once per process and hands it over here, and
 * the keyring, the keyless guard and the JWT secret use it as if the file held it. Likewise
 * the keys `encryption rotate` adds to `memoryoss.keyring`, which a Vault home stores wrapped:
 * unwrapped ones are held here, and a rotation takes its new key, wrapped in advance, from
 * here. A leaf module (no imports), so every start-up path can ask.
 *
 * @module
 */

const provided = new Map<string, Uint8Array>();

/** The file, beside `memoryoss.key`, that holds the Vault-wrapped key. */
export const WRAPPED_KEY_SUFFIX = ".vault";

/** Hand over the base key for `keyPath` (it is never written to disk by this module). */
export function provideBaseKey(keyPath: string, key: Uint8Array): void {
  provided.set(keyPath, key);
}

/**
 * The base key provided for `keyPath`, or null (then the key file is the source).
 *
 * @example
 * ```ts
 * providedBaseKey("/home/me/.memoryoss/memoryoss.key"); // Uint8Array(32) or null
 * ```
 */
export function providedBaseKey(keyPath: string): Uint8Array | null {
  return provided.get(keyPath) ?? null;
}

/** Rotated keys a provider unwrapped, per key file, by key id. */
const ringKeys = new Map<string, Map<string, Uint8Array>>();
/** A new key wrapped ahead of a rotation (Vault), per key file. */
const pending = new Map<string, { key: Uint8Array; wrapped: string }>();

/** Hand over an unwrapped keyring key (`kid`) of the home of `keyPath` (memory only). */
export function provideRingKey(keyPath: string, kid: string, key: Uint8Array): void {
  const m = ringKeys.get(keyPath) ?? new Map<string, Uint8Array>();
  m.set(kid, key);
  ringKeys.set(keyPath, m);
}

/** The unwrapped keyring key `kid` of `keyPath`'s home, or null while it is locked. */
export function providedRingKey(keyPath: string, kid: string): Uint8Array | null {
  return ringKeys.get(keyPath)?.get(kid) ?? null;
}

/** Hold a new key, already wrapped by the provider, for the next rotation of `keyPath`. */
export function provideNewRingKey(keyPath: string, key: Uint8Array, wrapped: string): void {
  pending.set(keyPath, { key, wrapped });
}

/** Take (once) the key {@link provideNewRingKey} prepared, or null. */
export function takeNewRingKey(keyPath: string): { key: Uint8Array; wrapped: string } | null {
  const p = pending.get(keyPath) ?? null;
  pending.delete(keyPath);
  return p;
}
