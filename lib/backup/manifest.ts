/**
 * The backup manifest (`backup-manifest.json`, the archive's last entry) and the pure checks
 * a restore runs before it touches anything: every listed file present with its size and
 * SHA-256, nothing unlisted, every path safely inside `data/`.
 *
 * @module
 */
import { z } from "zod";
import { type BackupMeta, META_NAME, parseEntry } from "./meta.ts";

export const BACKUP_FORMAT = "memoryoss.backup.v1";
export const MANIFEST_NAME = "backup-manifest.json";
/** Home files live under this folder in the archive. */
export const DATA_DIR = "data/";

/** One archived file. */
export const ManifestFile = z.object({
  path: z.string(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mode: z.number().int().min(0).max(0o7777),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** The manifest. */
export const BackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  created_at: z.string(),
  memoryoss_version: z.string(),
  source_home: z.string(),
  key_included: z.boolean(),
  /** Archive path of the database snapshot, or null when the home had none. */
  db: z.string().nullable(),
  schema_version: z.number().int().nullable(),
  memory_count: z.number().int().nullable(),
  files: z.array(ManifestFile),
  /** SHA-256 of `backup-meta.json` (memoryOSS's entry); absent in backups made before it. */
  meta_sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** What a scan of the archive found for one entry. */
export interface ScannedFile {
  size: number;
  sha256: string;
  type: "file" | "directory" | "other";
  /** The entry's mode bits. */
  mode?: number;
}

/**
 * True for an archive path a restore may write: `data/…`, relative, no `..`, `.` or empty
 * segments, no backslashes or NULs.
 *
 * @example
 * ```ts
 * safeArchivePath("data/memoryoss.db"); // true
 * safeArchivePath("data/../../etc/passwd"); // false
 * ```
 */
export function safeArchivePath(path: string): boolean {
  if (!path.startsWith(DATA_DIR) || /[\\\0]/.test(path)) return false;
  const parts = path.slice(DATA_DIR.length).split("/");
  return parts.length > 0 && parts.every((p) => p !== "" && p !== "." && p !== "..");
}

/**
 * Parses the manifest text; returns the problem instead of throwing.
 *
 * @example
 * ```ts
 * parseManifest("{}").ok; // false
 * ```
 */
export function parseManifest(
  text: string,
): { ok: true; manifest: BackupManifest } | { ok: false; problem: string } {
  const r = parseEntry(BackupManifest, MANIFEST_NAME, text);
  return r.ok ? { ok: true, manifest: r.value } : r;
}

/**
 * Every way the scanned archive disagrees with its manifest (empty when it verifies).
 *
 * @example
 * ```ts
 * checkArchive(manifest, scanned); // [] for an intact backup
 * ```
 */
export function checkArchive(
  manifest: BackupManifest,
  scanned: ReadonlyMap<string, ScannedFile>,
  duplicates: readonly string[] = [],
): string[] {
  const problems: string[] = duplicates.map((p) => `${p}: appears more than once`);
  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (!safeArchivePath(f.path)) problems.push(`${f.path}: unsafe path`);
    if (listed.has(f.path)) problems.push(`${f.path}: listed twice`);
    listed.add(f.path);
    const got = scanned.get(f.path);
    if (!got) problems.push(`${f.path}: missing from the archive`);
    else if (got.type !== "file") problems.push(`${f.path}: not a regular file`);
    else if (got.size !== f.size) problems.push(`${f.path}: size ${got.size}, expected ${f.size}`);
    else if (got.sha256 !== f.sha256) problems.push(`${f.path}: sha256 mismatch`);
  }
  for (const [path, s] of scanned) {
    if (path === MANIFEST_NAME || (s.type === "directory" && path.endsWith("/"))) continue;
    if (path === META_NAME && manifest.meta_sha256 !== undefined) {
      if (s.type !== "file" || s.sha256 !== manifest.meta_sha256) {
        problems.push(`${META_NAME}: sha256 mismatch`);
      }
      continue;
    }
    if (!listed.has(path)) problems.push(`${path}: not listed in the manifest`);
  }
  if (manifest.meta_sha256 !== undefined && !scanned.has(META_NAME)) {
    problems.push(`${META_NAME}: missing from the archive`);
  }
  if (manifest.db !== null && !listed.has(manifest.db)) {
    problems.push(`${manifest.db}: database listed but not archived`);
  }
  return problems;
}

/**
 * The checks for an archive memoryOSS made (`data/` tree plus `backup-meta.json`, no
 * manifest): every entry is the meta file, a folder or a regular file safely inside `data/`,
 * none twice. memoryOSS skips unsafe entries when it restores; we refuse the archive.
 *
 * @example
 * ```ts
 * checkMemoryossArchive(scanned); // [] for an archive `memoryoss backup` (Rust) wrote
 * ```
 */
export function checkMemoryossArchive(
  scanned: ReadonlyMap<string, ScannedFile>,
  duplicates: readonly string[] = [],
): string[] {
  const problems: string[] = duplicates.map((p) => `${p}: appears more than once`);
  for (const [path, s] of scanned) {
    if (path === META_NAME) continue;
    if (s.type === "directory") {
      const dir = path.replace(/\/+$/, "");
      if (dir !== "data" && !safeArchivePath(dir)) problems.push(`${path}: unsafe path`);
    } else if (s.type !== "file") problems.push(`${path}: not a regular file`);
    else if (!safeArchivePath(path)) problems.push(`${path}: unsafe path`);
  }
  return problems;
}

/**
 * The manifest a restore follows for a memoryOSS archive: its files as scanned (sizes and
 * hashes from the scan, so the writing pass is checked against the first), its meta fields;
 * memoryOSS's database is not ours, so `db` is null. Modes keep their permission bits;
 * `memoryoss.key` is written 0600 whatever the archive says.
 */
export function manifestFromMeta(
  meta: BackupMeta,
  scanned: ReadonlyMap<string, ScannedFile>,
): BackupManifest {
  const files: ManifestFile[] = [];
  for (const [path, s] of scanned) {
    if (s.type !== "file" || path === META_NAME) continue;
    const mode = path.endsWith("/memoryoss.key") ? 0o600 : (s.mode ?? 0o600) & 0o777;
    files.push({ path, size: s.size, sha256: s.sha256, mode });
  }
  return {
    format: BACKUP_FORMAT,
    created_at: meta.created_at,
    memoryoss_version: meta.version,
    source_home: meta.data_dir,
    key_included: meta.key_included,
    db: null,
    schema_version: null,
    memory_count: null,
    files,
  };
}
