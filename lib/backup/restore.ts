/**
 * `memoryoss restore`: verify the whole archive against its manifest first (a pass that
 * writes nothing), refuse a non-empty home without `force`, then extract into temporary
 * files beside their targets, check the hashes again and only then rename them into place
 * (dropping the old database's WAL and shared-memory files, which belong to the old file).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { concatBytes, Keyring, vaultHomeKids } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { encryptedRowCount, sealedKidInFile } from "../store/mod.ts";
import {
  type BackupManifest,
  checkArchive,
  checkMemoryossArchive,
  DATA_DIR,
  MANIFEST_NAME,
  manifestFromMeta,
  parseManifest,
  type ScannedFile,
} from "./manifest.ts";
import { type BackupMeta, META_NAME, parseBackupMeta } from "./meta.ts";
import { readTar } from "./tar.ts";
import { openDecompressed } from "./compress.ts";

const MAX_MANIFEST = 64 << 20;
/** The home's key file name (as lib/config names it). */
const KEY_FILE = "memoryoss.key";

/**
 * A scan of one archive: each entry's size and hash, the manifest, duplicate paths. `origin`
 * says who made it: `ours` (checked against `backup-manifest.json`) or `memoryOSS` (no
 * manifest, only `backup-meta.json`: the manifest is built from the scan, and the writing
 * pass is checked against it).
 */
export interface ArchiveScan {
  scanned: Map<string, ScannedFile>;
  duplicates: string[];
  manifest: BackupManifest | null;
  /** `backup-meta.json`, when the archive has one. */
  meta: BackupMeta | null;
  origin: "ours" | "memoryOSS";
  problems: string[];
}

/**
 * Reads the archive once, hashing every entry; `sink` may copy each file's bytes somewhere.
 * Never throws for a damaged archive: problems come back in the result.
 *
 * @example
 * ```ts
 * const scan = await scanArchive("backup.tar.gz");
 * scan.problems; // [] when intact
 * ```
 */
export async function scanArchive(
  path: string,
  sink?: (entry: string, mode: number) => Promise<WritableStreamDefaultWriter<Uint8Array> | null>,
): Promise<ArchiveScan> {
  const scanned = new Map<string, ScannedFile>();
  const duplicates: string[] = [];
  const texts = new Map<string, string>();
  const kept = (p: string) => p === MANIFEST_NAME || p === META_NAME;
  const none = { scanned, duplicates, manifest: null, meta: null, origin: "ours" as const };
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError("NOT_FOUND", `no such file: ${path}`);
    }
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message.split(":")[0]}`);
  }
  try {
    const unpacked = await openDecompressed(file);
    if (!unpacked) throw new MemoryossError("INVALID_INPUT", "not a .tar.zst or .tar.gz archive");
    await readTar(unpacked.stream, async (e, body) => {
      if (scanned.has(e.path)) duplicates.push(e.path);
      const hash = createHash("sha256");
      const parts: Uint8Array[] = [];
      const out = e.type === "file" && !kept(e.path) ? await sink?.(e.path, e.mode) : null;
      let size = 0;
      try {
        for await (const c of body()) {
          hash.update(c);
          size += c.length;
          if (kept(e.path) && size <= MAX_MANIFEST) parts.push(c);
          if (out) await out.write(c);
        }
      } finally {
        await out?.close();
      }
      if (kept(e.path)) texts.set(e.path, new TextDecoder().decode(concatBytes(parts)));
      scanned.set(e.path, { size, sha256: hash.digest("hex"), type: e.type, mode: e.mode });
    });
  } catch (e) {
    const msg = e instanceof MemoryossError
      ? e.message
      : `not a zstd or gzip tar archive (${(e as Error).message})`;
    return { ...none, problems: [msg] };
  }
  return judge(scanned, duplicates, texts);
}

/** The verdict on a read archive: ours (manifest) or memoryOSS's (meta only). */
function judge(
  scanned: Map<string, ScannedFile>,
  duplicates: string[],
  texts: Map<string, string>,
): ArchiveScan {
  const base = { scanned, duplicates, manifest: null, meta: null, origin: "ours" as const };
  const metaText = texts.get(META_NAME);
  const meta = metaText === undefined ? null : parseBackupMeta(metaText);
  const manifestText = texts.get(MANIFEST_NAME);
  if (manifestText === undefined) {
    if (!meta) {
      return { ...base, problems: [`neither ${MANIFEST_NAME} nor ${META_NAME} is in it`] };
    }
    if (!meta.ok) return { ...base, origin: "memoryOSS", problems: [meta.problem] };
    return {
      ...base,
      origin: "memoryOSS",
      meta: meta.meta,
      manifest: manifestFromMeta(meta.meta, scanned),
      problems: checkMemoryossArchive(scanned, duplicates),
    };
  }
  const m = parseManifest(manifestText);
  if (!m.ok) return { ...base, problems: [m.problem] };
  const problems = checkArchive(m.manifest, scanned, duplicates);
  if (meta && !meta.ok && m.manifest.meta_sha256 !== undefined) problems.push(meta.problem);
  return { ...base, manifest: m.manifest, meta: meta?.ok ? meta.meta : null, problems };
}

/**
 * Verifies a backup without writing anything. A file that is not an intact backup (not a
 * tar.gz, no manifest, a hash mismatch, an unsafe path, a link entry) is INVALID_INPUT
 * naming the first problem.
 *
 * @example
 * ```ts
 * const manifest = await verifyBackup("backup.tar.gz");
 * ```
 */
export async function verifyBackup(path: string): Promise<BackupManifest> {
  return (await verifyArchive(path)).manifest;
}

/**
 * {@link verifyBackup}, also saying who made the archive and what its `backup-meta.json` says.
 *
 * @example
 * ```ts
 * const { origin, meta } = await verifyArchive("memoryoss-backup-20260313-120000.tar.zst");
 * ```
 */
export async function verifyArchive(
  path: string,
): Promise<ArchiveScan & { manifest: BackupManifest }> {
  const scan = await scanArchive(path);
  if (scan.problems.length || !scan.manifest) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${path} is not a valid memoryoss backup: ${scan.problems[0]}` +
        (scan.problems.length > 1 ? ` (and ${scan.problems.length - 1} more)` : ""),
    );
  }
  return { ...scan, manifest: scan.manifest };
}

/** What a restore did. */
export interface RestoreResult {
  home: string;
  files: number;
  key_included: boolean;
  db: string | null;
  memory_count: number | null;
  /** Encrypted memories in the restored database: unreadable without the original key. */
  encrypted_count: number;
  /** A key id the restored data needs that the home's key files do not hold (else null). */
  missing_kid: string | null;
  /**
   * The restored home keeps its key wrapped by Vault (`memoryoss.key.vault`): its keys can
   * only be checked by name offline, and open only with `[encryption] provider = "vault"`.
   */
  vault: boolean;
  created_at: string;
  /** Who made the archive: this runtime (manifest-checked) or memoryOSS (meta only). */
  origin: "ours" | "memoryOSS";
  /** The archive's `backup-meta.json` (null in our backups from before it was written). */
  meta: BackupMeta | null;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(dir)) return false;
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return true;
    if (e instanceof Deno.errors.NotADirectory) {
      throw new MemoryossError("INVALID_INPUT", `${dir} is not a folder`);
    }
    throw e;
  }
}

/**
 * Restores a backup into `home` (created when missing). Refuses (FORBIDDEN) a non-empty home
 * unless `force`; with `force`, archived files replace their counterparts and other files
 * are left alone.
 *
 * @example
 * ```ts
 * await restoreBackup({ archive: "backup.tar.gz", home: "/tmp/fresh", force: false });
 * ```
 */
export async function restoreBackup(
  o: { archive: string; home: string; force: boolean },
): Promise<RestoreResult> {
  const home = resolve(o.home);
  const { manifest, origin, meta } = await verifyArchive(o.archive);
  if (!o.force && !(await isEmptyOrMissing(home))) {
    throw new MemoryossError(
      "FORBIDDEN",
      `restore refused: ${home} is not empty; pass --force to replace its files with the ` +
        "backup's (files the backup does not hold are kept)",
    );
  }
  await Deno.mkdir(home, { recursive: true, mode: 0o700 });
  const suffix = `.restore-${crypto.randomUUID().slice(0, 8)}`;
  const target = (p: string) => join(home, ...p.slice(DATA_DIR.length).split("/"));
  const modes = new Map(manifest.files.map((f) => [f.path, f.mode]));
  const temps: string[] = [];
  try {
    const second = await scanArchive(o.archive, async (entry) => {
      if (!modes.has(entry)) return null;
      const tmp = target(entry) + suffix;
      await Deno.mkdir(dirname(tmp), { recursive: true, mode: 0o700 });
      temps.push(tmp);
      const f = await Deno.open(tmp, { write: true, createNew: true, mode: modes.get(entry)! });
      return f.writable.getWriter();
    });
    // The archive could have changed since the first pass: check what was actually written
    // (for a memoryOSS archive, against the sizes and hashes of the first pass).
    const changed = origin === "ours"
      ? second.problems
      : [...second.problems, ...sameFiles(manifest, second.manifest)];
    if (changed.length || !second.manifest) {
      throw new MemoryossError(
        "INTEGRITY",
        `backup changed while restoring: ${changed[0]}`,
      );
    }
    if (manifest.db) {
      for (const ext of ["-wal", "-shm", "-journal"]) {
        await Deno.remove(target(manifest.db) + ext).catch(() => {});
      }
    }
    for (const f of manifest.files) {
      const dest = target(f.path);
      await Deno.rename(dest + suffix, dest);
      await Deno.chmod(dest, f.mode).catch(() => {}); // chmod is unsupported on Windows
    }
    temps.length = 0;
  } finally {
    for (const t of temps) await Deno.remove(t).catch(() => {});
  }
  return {
    home,
    files: manifest.files.length,
    key_included: manifest.key_included,
    db: manifest.db,
    memory_count: manifest.memory_count,
    encrypted_count: manifest.db ? encryptedRowCount(target(manifest.db)) : 0,
    missing_kid: manifest.db ? missingKid(target(manifest.db), join(home, KEY_FILE)) : null,
    vault: vaultHomeKids(join(home, KEY_FILE)) !== null,
    created_at: manifest.created_at,
    origin,
    meta,
  };
}

/** How the files of a second scan differ from the first's (a memoryOSS archive's check). */
function sameFiles(first: BackupManifest, second: BackupManifest | null): string[] {
  const now = new Map((second?.files ?? []).map((f) => [f.path, f]));
  const problems = first.files.filter((f) => now.get(f.path)?.sha256 !== f.sha256)
    .map((f) => `${f.path}: ${now.has(f.path) ? "sha256 mismatch" : "missing from the archive"}`);
  const before = new Set(first.files.map((f) => f.path));
  for (const p of now.keys()) if (!before.has(p)) problems.push(`${p}: new in the archive`);
  return problems;
}

/** A key id sealed data in `dbPath` uses that the keys at `keyPath` cannot open, or null. */
function missingKid(dbPath: string, keyPath: string): string | null {
  const kid = sealedKidInFile(dbPath);
  if (kid === null) return null;
  const vault = vaultHomeKids(keyPath);
  // A Vault home: its key files name their keys (unwrapping needs Vault, which restore does
  // not call). A wrapped key file too old to name its key cannot be checked: not reported.
  if (vault) return vault.base === kid || vault.ring.includes(kid) || !vault.base ? null : kid;
  try {
    return Keyring.load(keyPath).keyFor(kid) ? null : kid;
  } catch {
    return kid; // a damaged key file opens nothing
  }
}

/** Part of `backup`'s face; counted by lib/store (a database file by path). */
export { encryptedRowCount };
