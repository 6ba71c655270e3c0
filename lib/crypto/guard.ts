/**
 * The keyless guard: a home whose database holds sealed values but whose `memoryoss.key` is
 * missing (a backup restored without `--include-key`, a key file deleted by hand) must never
 * get a fresh key. A new key could not open the old values, and sealing new ones with it
 * would mix two keys in one home. The caller refuses with one line instead.
 *
 * Reading the database is the store's (lib/store's `sealedKidInFile`): the caller passes that
 * reader in, so this folder, below the store, never imports it.
 *
 * @module
 */
import { MemoryossError, pathExistsSync } from "../errors/mod.ts";
import { providedBaseKey } from "./provided.ts";

/** The key id of one sealed value in the database at `dbPath`, or null when it holds none. */
export type SealedKidReader = (dbPath: string) => string | null;

/**
 * Throws INVALID_CONFIG (exit 3, one line) when `keyPath` is missing but the database at
 * `dbPath` holds sealed values (as `sealedKidOf` reads it); call it before creating a key
 * file. Cheap when the key exists.
 *
 * @example
 * ```ts
 * refuseKeylessSealedHome(loaded.keyPath, loaded.dbPath, sealedKidInFile);
 * ```
 */
export function refuseKeylessSealedHome(
  keyPath: string,
  dbPath: string,
  sealedKidOf: SealedKidReader,
): void {
  if (providedBaseKey(keyPath) || pathExistsSync(keyPath)) return;
  const kid = pathExistsSync(dbPath) ? sealedKidOf(dbPath) : null;
  if (kid === null) return;
  throw new MemoryossError(
    "INVALID_CONFIG",
    `this home's memories are encrypted with key ${kid}, but ${keyPath} is missing: put the ` +
      "original memoryoss.key (and memoryoss.keyring) back, e.g. from a backup made with " +
      "--include-key; no new key was created",
  );
}
