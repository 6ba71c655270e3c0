/**
 * The vector index on disk, beside the database (`<db>-vectors`), so a one-shot process (CLI
 * `recall`) opens it with one file read instead of reading and decoding every row's blob. It is
 * a cache, never the truth: it holds the usable vectors as of a store revision, and the runtime
 * catches up from that revision through the store's change log like any other index. It is
 * ignored when it is unreadable, from another embedder, newer than the database, or from
 * another database file (a restore renames a new file into place); deleting it costs one slow
 * start. The vectors are the same bytes the `embedding` column holds (not sealed there either).
 *
 * Layout (little-endian): "MOSSVS02", u32 header length, JSON header {rev, db, embedder, dim,
 * count, namespaces, counts}, then `count` pks (f64), tags (u32) and `count × dim` float32
 * values. Rows are grouped by namespace (`counts[i]` rows of `namespaces[i]`, in the index's
 * slot order), so each namespace's values are read straight into the index's arena
 * (`BruteForceIndex.adopt`): no copy per row. (The first format, "MOSSVS01", is ignored and
 * rewritten.)
 */

import {
  eachVectorUpTo,
  rowsPerNamespace,
  SCHEMA_VERSION,
  type Store,
  type StoredVector,
  vectorsUpTo,
} from "../store/mod.ts";
import type { BruteForceIndex } from "../recall/mod.ts";

interface Header {
  rev: number;
  db: string;
  embedder: string;
  dim: number;
  count: number;
  namespaces: string[];
  counts: number[];
}

const MAGIC = "MOSSVS02";

/** The snapshot file of a database. */
export function snapshotPath(dbPath: string): string {
  return `${dbPath}-vectors`;
}

/**
 * The database file's identity (device and inode): a snapshot belongs to one file. Null where
 * the platform has no inode (then no snapshot is used).
 */
export function databaseIdentity(dbPath: string): string | null {
  try {
    const st = Deno.statSync(dbPath);
    return st.ino === null || st.dev === null ? null : `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/** Fill `into` from the file's current position; throws at the end of the file. */
function readExactly(file: Deno.FsFile, into: Uint8Array): void {
  for (let got = 0; got < into.length;) {
    const n = file.readSync(into.subarray(got));
    if (!n) throw new Error("snapshot ends early");
    got += n;
  }
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
}

const count = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/** The header when it describes a snapshot `want` can use and the file's size agrees. */
function usableHeader(
  h: Header,
  size: number,
  headerEnd: number,
  want: { db: string; embedder: string; dim: number; currentRev: number },
): boolean {
  if (
    h.db !== want.db || h.embedder !== want.embedder || h.dim !== want.dim ||
    !(h.rev <= want.currentRev) || !count(h.count) || !Array.isArray(h.namespaces) ||
    !Array.isArray(h.counts) || h.namespaces.length !== h.counts.length ||
    !h.namespaces.every((ns) => typeof ns === "string") || !h.counts.every(count) ||
    h.counts.reduce((a, b) => a + b, 0) !== h.count
  ) return false;
  return size === headerEnd + h.count * 12 + h.count * h.dim * 4;
}

/**
 * Load the snapshot into `index` (which holds nothing yet) when it matches: same database
 * file, same embedder and dimension, and a revision not beyond `currentRev`. Returns its
 * revision; null (and the index left empty) when it is missing, damaged or not this
 * database's.
 */
export function readSnapshot(
  dbPath: string,
  want: { db: string; embedder: string; dim: number; currentRev: number },
  index: BruteForceIndex,
): number | null {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(snapshotPath(dbPath));
  } catch {
    return null;
  }
  try {
    const size = file.statSync().size;
    const head = new Uint8Array(12);
    readExactly(file, head);
    if (new TextDecoder().decode(head.subarray(0, 8)) !== MAGIC) return null;
    const hLen = new DataView(head.buffer).getUint32(8, true);
    if (12 + hLen > size) return null;
    const hBytes = new Uint8Array(hLen);
    readExactly(file, hBytes);
    const h = JSON.parse(new TextDecoder().decode(hBytes)) as Header;
    if (!usableHeader(h, size, 12 + hLen, want)) return null;
    const n = h.count;
    const keys = new ArrayBuffer(n * 12);
    readExactly(file, new Uint8Array(keys));
    const pks = new Float64Array(keys, 0, n);
    const tags = new Uint32Array(keys, n * 8, n);
    // The values follow in namespace order: each group straight into its arena.
    let at = 0;
    h.namespaces.forEach((ns, i) => {
      const end = at + h.counts[i];
      index.adopt(ns, pks.subarray(at, end), tags.subarray(at, end), (rows) => {
        readExactly(file, rows);
      });
      at = end;
    });
    return h.rev;
  } catch {
    index.clear();
    return null;
  } finally {
    file.close();
  }
}

/**
 * Write `index` as the snapshot at revision `meta.rev`, atomically (a temp file renamed over
 * the old one, mode 0600). Failures are ignored: a read-only home or a full disk only costs the
 * next process a slow start.
 */
export function writeSnapshot(
  dbPath: string,
  meta: { db: string; embedder: string; dim: number; rev: number },
  index: BruteForceIndex,
): boolean {
  const groups = [...index.arenas()].filter((g) => g.pks.length > 0);
  const n = groups.reduce((a, g) => a + g.pks.length, 0);
  const header: Header = {
    ...meta,
    count: n,
    namespaces: groups.map((g) => g.namespace),
    counts: groups.map((g) => g.pks.length),
  };
  const hBytes = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(12 + hBytes.length);
  head.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(head.buffer).setUint32(8, hBytes.length, true);
  head.set(hBytes, 12);
  const keys = new ArrayBuffer(n * 12);
  const pks = new Float64Array(keys, 0, n);
  const tags = new Uint32Array(keys, n * 8, n);
  let at = 0;
  for (const g of groups) {
    pks.set(g.pks, at);
    tags.set(g.tags, at);
    at += g.pks.length;
  }
  const path = snapshotPath(dbPath);
  const tmp = `${path}.${Deno.pid}.tmp`;
  try {
    const file = Deno.openSync(tmp, { write: true, create: true, truncate: true, mode: 0o600 });
    try {
      writeAll(file, head);
      writeAll(file, new Uint8Array(keys));
      for (const g of groups) {
        writeAll(file, new Uint8Array(g.data.buffer, g.data.byteOffset, g.data.byteLength));
      }
    } finally {
      file.close();
    }
    Deno.renameSync(tmp, path);
    return true;
  } catch {
    try {
      Deno.removeSync(tmp);
    } catch { /* never written */ }
    return false;
  }
}

/** What a snapshot must match: the database file (and schema), the embedder, the dimension. */
export interface SnapshotKey {
  db: string;
  embedder: string;
  dim: number;
}

/** The key of `store`'s snapshot for `embedder`, or null where files have no identity. */
export function snapshotKey(
  store: Store,
  embedder: { id: string; dim: number },
): SnapshotKey | null {
  const db = databaseIdentity(store.path);
  return db ? { db: `${db}:v${SCHEMA_VERSION}`, embedder: embedder.id, dim: embedder.dim } : null;
}

/**
 * Whether the rows written last up to the snapshot's revision are in the index loaded from it
 * as the database holds them. A database file replaced in place, or deleted and made anew
 * under a reused inode, reaches the same revision with other rows: those rows differ from the
 * snapshot's.
 */
function agrees(
  store: Store,
  rev: number,
  index: BruteForceIndex,
  usable: (u: StoredVector) => boolean,
): boolean {
  const latest = vectorsUpTo(store, rev, 8);
  if (latest.length === 0) return index.size() === 0;
  return latest.every((u) => {
    const v = index.get(u.pk);
    if (!usable(u)) return v === null;
    return v !== null && v.length === u.embedding!.length &&
      v.every((x, i) => Object.is(x, u.embedding![i]));
  });
}

/**
 * The first load of a process's index (empty until now): the snapshot (when it matches), then
 * the store's changes since its revision, applied by `apply` exactly as a later catch-up
 * would; without a snapshot, every row, one pass in key order into arenas reserved at their
 * final size (no regrowth). Rewrites the snapshot from the index (when `write`) if there was
 * none or the catch-up was large. Returns the revision the index is now at.
 */
export function firstLoad(
  store: Store,
  index: BruteForceIndex,
  apply: (u: StoredVector) => boolean,
  usable: (u: StoredVector) => boolean,
  key: SnapshotKey | null,
  write: boolean,
): number {
  let rev = key
    ? readSnapshot(store.path, { ...key, currentRev: store.currentRev() }, index)
    : null;
  if (rev !== null && !agrees(store, rev, index, usable)) {
    index.clear();
    rev = null;
  }
  if (rev === null) {
    const at = fullLoad(store, index, apply);
    if (key && write) writeSnapshot(store.path, { ...key, rev: at }, index);
    return at;
  }
  const fromSnapshot = index.size();
  const changes = store.changesSince(rev);
  for (const pk of changes.deletes) index.remove(pk);
  for (const u of changes.upserts) apply(u);
  const churn = changes.deletes.length + changes.upserts.length;
  if (key && write && churn > Math.max(256, fromSnapshot / 8)) {
    writeSnapshot(store.path, { ...key, rev: changes.rev }, index);
  }
  return changes.rev;
}

/**
 * Every row up to the current revision into an empty index, each namespace's room reserved
 * first; rows changed after that revision (by another process, meanwhile) come with the next
 * catch-up. Returns the revision.
 */
function fullLoad(
  store: Store,
  index: BruteForceIndex,
  apply: (u: StoredVector) => boolean,
): number {
  const rev = store.currentRev();
  for (const [namespace, rows] of rowsPerNamespace(store)) index.reserve(namespace, rows);
  eachVectorUpTo(store, rev, index.dim, (u) => void apply(u));
  return rev;
}
