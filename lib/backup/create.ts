/**
 * `memoryoss backup`: one `.tar.zst` (or `.tar.gz`) with the home under `data/`, the database as a consistent
 * snapshot (SQLite's online backup in one step, so writers in other processes go on and
 * nothing half-written is copied), memoryOSS's `backup-meta.json` (`{version, created_at,
 * data_dir, key_included}`), and `backup-manifest.json` last with each file's size and
 * SHA-256. Key files are left out unless asked; the archive is written 0600 and renamed into
 * place only when complete.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { MemoryossError, pathExists } from "../errors/mod.ts";
import { snapshotDatabase } from "../store/mod.ts";
import {
  BACKUP_FORMAT,
  type BackupManifest,
  DATA_DIR,
  MANIFEST_NAME,
  type ManifestFile,
} from "./manifest.ts";
import { TarWriter } from "./tar.ts";
import { backupMetaText, META_MODE, META_NAME, rfc3339 } from "./meta.ts";
import { type Compression, compressionFor, compressStream } from "./compress.ts";

/** Options for {@link createBackup}. */
export interface BackupOptions {
  home: string;
  dbPath: string;
  /** Secret files left out unless `includeKey` (memoryoss.key, the signing key). */
  keyFiles: string[];
  includeKey: boolean;
  output: string;
  now: Date;
  version: string;
  busyTimeoutMs?: number;
  /** Default: by `output`'s name, zstd (`.tar.zst`, memoryOSS's) unless it ends `.tar.gz`/`.tgz`. */
  compression?: Compression;
}

/** A file to archive: its archive path and where its bytes come from. */
interface Source {
  path: string;
  file: string;
  mode: number;
  mtime: number;
}

const rand = () => crypto.randomUUID().slice(0, 8);

/**
 * Lock and temporary files, which belong to a running process and mean nothing in a restored
 * home: `*.lock` (the drain lock), `*.tmp`, `*.tmp-xxxxxxxx`, `*.partial-…`, `*.restore-…`
 * (half-written files of an atomic write or restore), SQLite journals of any database.
 *
 * @example
 * ```ts
 * isTransient("memoryoss.db.drain.lock"); // true
 * isTransient("memoryoss.toml"); // false
 * ```
 */
export function isTransient(name: string): boolean {
  return /\.(?:lock|tmp)$/.test(name) || /\.(?:tmp|partial|restore)-[0-9a-f]{8}/.test(name) ||
    /-(?:journal|wal|shm)$/.test(name);
}

/** Home files to archive: regular files only (symlinks, sockets skipped), sorted. */
async function homeFiles(home: string, skip: (abs: string) => boolean): Promise<Source[]> {
  const out: Source[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const e of Deno.readDir(dir)) {
      const abs = join(dir, e.name);
      if (e.isSymlink || skip(abs)) continue;
      if (e.isDirectory) await walk(abs);
      else if (e.isFile) {
        const st = await Deno.stat(abs);
        out.push({
          path: DATA_DIR + relative(home, abs).split(sep).join("/"),
          file: abs,
          mode: (st.mode ?? 0o600) & 0o7777,
          mtime: (st.mtime?.getTime() ?? 0) / 1000,
        });
      }
    }
  }
  await walk(home);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * Writes a backup of `home` to `output` and returns its manifest.
 *
 * @example
 * ```ts
 * const m = await createBackup({ home, dbPath, keyFiles: [keyPath], includeKey: false,
 *   output: "backup.tar.gz", now: new Date(), version: "0.1.0" });
 * m.files.length;
 * ```
 */
export async function createBackup(o: BackupOptions): Promise<BackupManifest> {
  const home = resolve(o.home);
  if (!(await pathExists(home, { follow: false }))) {
    throw new MemoryossError("NOT_FOUND", `no memoryoss home at ${home}`);
  }
  const output = resolve(o.output);
  const dbPath = resolve(o.dbPath);
  const keys = new Set(o.keyFiles.map((k) => resolve(k)));
  const outDir = dirname(output);
  const snapshot = join(outDir, `.${basename(output)}.snapshot-${rand()}.db`);
  const partial = join(outDir, `.${basename(output)}.partial-${rand()}`);
  const dbRel = dbPath.startsWith(home + sep)
    ? relative(home, dbPath).split(sep).join("/")
    : "memoryoss.db";
  const skip = (abs: string) =>
    abs === output || abs === snapshot || abs === partial ||
    // `-vectors`: the vector snapshot of schema v7 and older, a cache (vectors are in the database since v8).
    [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`, `${dbPath}-vectors`].includes(
      abs,
    ) ||
    (!o.includeKey && keys.has(abs)) || isTransient(basename(abs));
  const sources = await homeFiles(home, skip);
  let snap: { schema_version: number; memory_count: number | null } | null = null;
  try {
    if (await pathExists(dbPath, { follow: false })) {
      try {
        snap = await snapshotDatabase(dbPath, snapshot, o.busyTimeoutMs);
      } catch (e) {
        throw new MemoryossError("IO", `cannot snapshot ${dbPath}: ${(e as Error).message}`);
      }
      sources.push({
        path: DATA_DIR + dbRel,
        file: snapshot,
        mode: 0o600,
        mtime: o.now.getTime() / 1000,
      });
    }
    const kind = o.compression ?? compressionFor(output);
    // memoryOSS's entry, as it writes it: key_included is the flag asked for.
    const meta = new TextEncoder().encode(backupMetaText({
      version: o.version,
      created_at: rfc3339(o.now),
      data_dir: home,
      key_included: o.includeKey,
    }));
    const files = await writeArchive(partial, kind, sources, meta, (files, metaSha) => ({
      format: BACKUP_FORMAT,
      created_at: o.now.toISOString(),
      memoryoss_version: o.version,
      source_home: home,
      key_included: o.includeKey && [...keys].some((k) => sources.some((s) => s.file === k)),
      db: snap ? DATA_DIR + dbRel : null,
      schema_version: snap?.schema_version ?? null,
      memory_count: snap?.memory_count ?? null,
      files,
      meta_sha256: metaSha,
    }));
    await Deno.rename(partial, output);
    return files;
  } finally {
    await Deno.remove(snapshot).catch(() => {});
    await Deno.remove(partial).catch(() => {});
  }
}

/** Exactly `size` bytes of `path`, hashed on the way; a file that shrinks fails. */
async function* fileBytes(path: string, size: number, hash: Hash): AsyncGenerator<Uint8Array> {
  let left = size;
  const f = await Deno.open(path);
  try {
    const buf = new Uint8Array(1 << 16);
    while (left > 0) {
      const n = await f.read(buf.subarray(0, Math.min(buf.length, left)));
      if (n === null) throw new MemoryossError("IO", `${path} shrank during the backup`);
      const chunk = buf.slice(0, n);
      hash.update(chunk);
      yield chunk;
      left -= n;
    }
  } finally {
    f.close();
  }
}

/**
 * Streams the tar.zst (or tar.gz): the `data/` files, memoryOSS's `backup-meta.json`, then
 * the manifest (built from what was written), last.
 */
async function writeArchive(
  target: string,
  kind: Compression,
  sources: Source[],
  meta: Uint8Array,
  manifestFor: (files: ManifestFile[], metaSha256: string) => BackupManifest,
): Promise<BackupManifest> {
  const file = await Deno.open(target, { write: true, createNew: true, mode: 0o600 });
  const packed = compressStream(kind);
  const piped = packed.readable.pipeTo(file.writable);
  const tar = new TarWriter(packed.writable);
  try {
    const files: ManifestFile[] = [];
    for (const s of sources) {
      // Size first, then exactly that many bytes: a file that grows meanwhile is cut, one
      // that shrinks fails the backup rather than writing a corrupt archive.
      const size = (await Deno.stat(s.file)).size;
      const hash = createHash("sha256");
      await tar.add({ ...s, size }, fileBytes(s.file, size, hash));
      files.push({ path: s.path, size, sha256: hash.digest("hex"), mode: s.mode });
    }
    const mtime = Date.now() / 1000;
    await tar.add({ path: META_NAME, size: meta.length, mode: META_MODE, mtime }, [meta]);
    const manifest = manifestFor(files, createHash("sha256").update(meta).digest("hex"));
    const body = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n");
    await tar.add({ path: MANIFEST_NAME, size: body.length, mode: 0o600, mtime }, [body]);
    await tar.finish();
    await piped;
    return manifest;
  } catch (e) {
    tar.abort(e);
    await piped.catch(() => {});
    throw e;
  }
}

/** Part of `backup`'s face; the online snapshot itself is lib/store's (a database file by path). */
export { snapshotDatabase };
