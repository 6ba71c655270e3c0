/**
 * Backup and restore of a memoryoss home: one `.tar.zst` (zstd level 3, memoryOSS's; or
 * `.tar.gz`) holding the home under `data/` with
 * a consistent database snapshot, memoryOSS's `backup-meta.json` and `backup-manifest.json`
 * (per-file size and SHA-256); archives memoryOSS made (meta, no manifest) restore too.
 * Key files are left out unless asked. A restore verifies everything before it writes, and
 * refuses a non-empty home without `force`.
 *
 * @example
 * ```ts
 * import { createBackup, restoreBackup } from "./lib/backup/mod.ts";
 * await createBackup({ home, dbPath, keyFiles: [keyPath], includeKey: false,
 *   output: "b.tar.gz", now: new Date(), version: "0.1.0" });
 * await restoreBackup({ archive: "b.tar.gz", home: "/tmp/fresh", force: false });
 * ```
 *
 * @module
 */
export { createBackup } from "./create.ts";
export {
  encryptedRowCount,
  restoreBackup,
  scanArchive,
  verifyArchive,
  verifyBackup,
} from "./restore.ts";
export { checkArchive, safeArchivePath } from "./manifest.ts";
export { readTar, TarWriter } from "./tar.ts";
