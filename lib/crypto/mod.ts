/**
 * Encryption at rest: the keyring (`memoryoss.key` plus rotated keys in `memoryoss.keyring`)
 * and the field cipher (AES-256-GCM, per-namespace keys by HKDF-SHA256, self-describing
 * `enc1:<kid>:…` values), and the byte helpers every folder shares (hex, SHA-256 hex,
 * constant-time comparison). The store seals and opens fields at its one row mapping; see
 * docs/encryption.md for what is and is not protected.
 *
 * @example
 * ```ts
 * import { FieldCipher, Keyring } from "./lib/crypto/mod.ts";
 * const cipher = new FieldCipher(Keyring.load("/home/me/.memoryoss/memoryoss.key"));
 * ```
 *
 * @module
 */
export { concatBytes, constantTimeEqual, fromHex, sha256, sha256Hex, toHex } from "./bytes.ts";
export { ENVELOPE_PREFIX, FieldCipher, isSealed, sealedKid } from "./cipher.ts";
export { preloadNodeCrypto } from "./node.ts";
export { providedBaseKey } from "./provided.ts";
export {
  prepareVaultRingKey,
  unlockVaultKey,
  vaultHomeKids,
  vaultRingIsWrapped,
  vaultSettingsOf,
} from "./vault.ts";
export { Keyring, keyringPathFor, type KeyState, kidOf } from "./keyring.ts";
