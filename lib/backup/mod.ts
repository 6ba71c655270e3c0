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
export { type BackupOptions, createBackup, snapshotDatabase } from "./create.ts";
export {
  type ArchiveScan,
  encryptedRowCount,
  restoreBackup,
  type RestoreResult,
  scanArchive,
  verifyArchive,
  verifyBackup,
} from "./restore.ts";
export {
  BackupMeta,
  backupMetaText,
  META_MODE,
  META_NAME,
  parseBackupMeta,
  rfc3339,
} from "./meta.ts";
export {
  BACKUP_FORMAT,
  BackupManifest,
  checkArchive,
  checkMemoryossArchive,
  DATA_DIR,
  MANIFEST_NAME,
  ManifestFile,
  manifestFromMeta,
  parseManifest,
  safeArchivePath,
  type ScannedFile,
} from "./manifest.ts";
export { readTar, type TarEntry, type TarFile, TarWriter } from "./tar.ts";
export {
  type Compression,
  compressionFor,
  compressStream,
  decompressStream,
  openDecompressed,
  sniffCompression,
  ZSTD_LEVEL,
} from "./compress.ts";
