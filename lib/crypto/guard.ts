/**
 * The keyless guard: a home whose database holds sealed values but whose `memoryoss.key` is
 * missing (a backup restored without `--include-key`, a key file deleted by hand) must never
 * get a fresh key. A new key could not open the old values, and sealing new ones with it
 * would mix two keys in one home. The caller refuses with one line instead.
 *
 * @module
 */
// The leaf, not lib/store/mod.ts: the store imports lib/crypto (and this guard runs on the
// start-up path of every command, `remember` included).
import { sealedKidInFile } from "../store/dbfile_sql.ts";
import { MemoryossError, pathExistsSync } from "../errors/mod.ts";
import { providedBaseKey } from "./provided.ts";

/**
 * The key id of one sealed value in the database at `dbPath`, or null when there is no
 * database or it holds no sealed value (a database that cannot be opened counts as none).
 *
 * @example
 * ```ts
 * sealedKidIn("/home/me/.memoryoss/memoryoss.db"); // "bec32bfb0470" or null
 * ```
 */
export function sealedKidIn(dbPath: string): string | null {
  if (!pathExistsSync(dbPath)) return null;
  return sealedKidInFile(dbPath);
}

/**
 * Throws INVALID_CONFIG (exit 3, one line) when `keyPath` is missing but the database at
 * `dbPath` holds sealed values; call it before creating a key file. Cheap when the key exists.
 *
 * @example
 * ```ts
 * refuseKeylessSealedHome(loaded.keyPath, loaded.dbPath);
 * Keyring.ensureKeyFile(loaded.keyPath);
 * ```
 */
export function refuseKeylessSealedHome(keyPath: string, dbPath: string): void {
  if (providedBaseKey(keyPath) || pathExistsSync(keyPath)) return;
  const kid = sealedKidIn(dbPath);
  if (kid === null) return;
  throw new MemoryossError(
    "INVALID_CONFIG",
    `this home's memories are encrypted with key ${kid}, but ${keyPath} is missing: put the ` +
      "original memoryoss.key (and memoryoss.keyring) back, e.g. from a backup made with " +
      "--include-key; no new key was created",
  );
}
