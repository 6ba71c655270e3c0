/**
 * The keyless guard: a home whose database holds sealed values but whose `memoryoss.key` is
 * missing (a backup restored without `--include-key`, a key file deleted by hand) must never
 * get a fresh key. A new key could not open the old values, and sealing new ones with it
 * would mix two keys in one home. The caller refuses with one line instead.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { MemoryossError } from "../errors/mod.ts";

/** Where sealed values can live: table and text column (kept in step with lib/store). */
const SEALED_COLUMNS: [string, string][] = [
  ["memories", "content"],
  ["remember_queue", "payload"],
  ["memory_edges", "detail"],
];

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message.split(":")[0]}`);
  }
}

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
  if (!exists(dbPath)) return null;
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(dbPath, { readOnly: true });
  } catch {
    return null;
  }
  try {
    for (const [table, column] of SEALED_COLUMNS) {
      try {
        const row = db.prepare(
          `SELECT substr(${column}, 6, 12) AS kid FROM ${table} ` +
            `WHERE ${column} LIKE 'enc1:____________:%' LIMIT 1`,
        ).get() as { kid: string } | undefined;
        if (row) return row.kid;
      } catch { /* table not created yet */ }
    }
    return null;
  } finally {
    db.close();
  }
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
  if (exists(keyPath)) return;
  const kid = sealedKidIn(dbPath);
  if (kid === null) return;
  throw new MemoryossError(
    "INVALID_CONFIG",
    `this home's memories are encrypted with key ${kid}, but ${keyPath} is missing: put the ` +
      "original memoryoss.key (and memoryoss.keyring) back, e.g. from a backup made with " +
      "--include-key; no new key was created",
  );
}
