/**
 * Backup and restore of a memoryoss home: one `.tar.gz` holding the home under `data/` with
 * a consistent database snapshot and `backup-manifest.json` (per-file size and SHA-256).
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
export { type BackupOptions, createBackup, snapshotDatabase } from "./create.ts";
export {
  type ArchiveScan,
  encryptedRowCount,
  restoreBackup,
  type RestoreResult,
  scanArchive,
  verifyBackup,
} from "./restore.ts";
export {
  BACKUP_FORMAT,
  BackupManifest,
  checkArchive,
  DATA_DIR,
  MANIFEST_NAME,
  ManifestFile,
  parseManifest,
  safeArchivePath,
  type ScannedFile,
} from "./manifest.ts";
export { readTar, type TarEntry, type TarFile, TarWriter } from "./tar.ts";
