/**
 * `memoryoss restore`: verify the whole archive against its manifest first (a pass that
 * writes nothing), refuse a non-empty home without `force`, then extract into temporary
 * files beside their targets, check the hashes again and only then rename them into place
 * (dropping the old database's WAL and shared-memory files, which belong to the old file).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { dirname, join, resolve } from "node:path";
import { Keyring, sealedKidIn } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import {
  type BackupManifest,
  checkArchive,
  DATA_DIR,
  MANIFEST_NAME,
  parseManifest,
  type ScannedFile,
} from "./manifest.ts";
import { readTar } from "./tar.ts";

const MAX_MANIFEST = 64 << 20;
/** The home's key file name (as lib/config names it). */
const KEY_FILE = "memoryoss.key";

/** A scan of one archive: each entry's size and hash, the manifest, duplicate paths. */
export interface ArchiveScan {
  scanned: Map<string, ScannedFile>;
  duplicates: string[];
  manifest: BackupManifest | null;
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
  let manifestText: string | null = null;
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
    await readTar(file.readable.pipeThrough(new DecompressionStream("gzip")), async (e, body) => {
      if (scanned.has(e.path)) duplicates.push(e.path);
      const hash = createHash("sha256");
      const parts: Uint8Array[] = [];
      const out = e.type === "file" && e.path !== MANIFEST_NAME
        ? await sink?.(e.path, e.mode)
        : null;
      let size = 0;
      try {
        for await (const c of body()) {
          hash.update(c);
          size += c.length;
          if (e.path === MANIFEST_NAME && size <= MAX_MANIFEST) parts.push(c);
          if (out) await out.write(c);
        }
      } finally {
        await out?.close();
      }
      if (e.path === MANIFEST_NAME) {
        manifestText = new TextDecoder().decode(concat(parts));
      }
      scanned.set(e.path, { size, sha256: hash.digest("hex"), type: e.type });
    });
  } catch (e) {
    const msg = e instanceof MemoryossError
      ? e.message
      : `not a gzip tar archive (${(e as Error).message})`;
    return { scanned, duplicates, manifest: null, problems: [msg] };
  }
  if (manifestText === null) {
    return { scanned, duplicates, manifest: null, problems: [`${MANIFEST_NAME} is missing`] };
  }
  const m = parseManifest(manifestText);
  if (!m.ok) return { scanned, duplicates, manifest: null, problems: [m.problem] };
  return {
    scanned,
    duplicates,
    manifest: m.manifest,
    problems: checkArchive(m.manifest, scanned, duplicates),
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
  const scan = await scanArchive(path);
  if (scan.problems.length || !scan.manifest) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${path} is not a valid memoryoss backup: ${scan.problems[0]}` +
        (scan.problems.length > 1 ? ` (and ${scan.problems.length - 1} more)` : ""),
    );
  }
  return scan.manifest;
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
  created_at: string;
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
  const manifest = await verifyBackup(o.archive);
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
    // The archive could have changed since the first pass: check what was actually written.
    if (second.problems.length || !second.manifest) {
      throw new MemoryossError(
        "INTEGRITY",
        `backup changed while restoring: ${second.problems[0]}`,
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
    created_at: manifest.created_at,
  };
}

/** A key id sealed data in `dbPath` uses that the keys at `keyPath` cannot open, or null. */
function missingKid(dbPath: string, keyPath: string): string | null {
  const kid = sealedKidIn(dbPath);
  if (kid === null) return null;
  try {
    return Keyring.load(keyPath).keyFor(kid) ? null : kid;
  } catch {
    return kid; // a damaged key file opens nothing
  }
}

/**
 * Encrypted memories in a database file (0 when it has none or no memories table). Backups
 * and restores use it to say clearly that such a home needs its `memoryoss.key`.
 *
 * @example
 * ```ts
 * encryptedRowCount("/home/me/.memoryoss/memoryoss.db");
 * ```
 */
export function encryptedRowCount(dbPath: string): number {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(dbPath, { readOnly: true });
  } catch {
    return 0;
  }
  try {
    return (db.prepare(
      "SELECT count(*) AS n FROM memories WHERE content LIKE 'enc1:____________:%'",
    )
      .get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}
