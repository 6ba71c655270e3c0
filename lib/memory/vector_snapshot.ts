/**
 * The vector index on disk, beside the database (`<db>-vectors`), so a one-shot process (CLI
 * `recall`) opens it with one file read instead of reading and decoding every row's blob. It is
 * a cache, never the truth: it holds the usable vectors as of a store revision, and the runtime
 * catches up from that revision through the store's change log like any other index. It is
 * ignored when it is unreadable, from another embedder, newer than the database, or from
 * another database file (a restore renames a new file into place); deleting it costs one slow
 * start. The vectors are the same bytes the `embedding` column holds (not sealed there either).
 *
 * Layout (little-endian): "MOSSVS01", u32 header length, JSON header {rev, db, embedder, dim,
 * count, namespaces}, padding to 8, then `count` pks (f64), namespace indexes (u32), tags (u32)
 * and `count × dim` float32 values.
 */

import { SCHEMA_VERSION, statusBit, type Store, type StoredVector } from "../store/mod.ts";
import type { BruteForceIndex } from "../recall/mod.ts";

/** One vector of the snapshot (its namespace and status tag as the index keeps them). */
export interface SnapshotRow {
  pk: number;
  namespace: string;
  tag: number;
  vector: Float32Array;
}

/** A snapshot read back. */
export interface VectorSnapshot {
  rev: number;
  rows: SnapshotRow[];
}

interface Header {
  rev: number;
  db: string;
  embedder: string;
  dim: number;
  count: number;
  namespaces: string[];
}

const MAGIC = "MOSSVS01";

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

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * Read the snapshot when it matches: same database file, same embedder and dimension, and a
 * revision not beyond `currentRev`. Anything else (missing, damaged, stale identity) is null.
 */
export function readSnapshot(
  dbPath: string,
  want: { db: string; embedder: string; dim: number; currentRev: number },
): VectorSnapshot | null {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(snapshotPath(dbPath));
  } catch {
    return null;
  }
  try {
    if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const hLen = view.getUint32(8, true);
    const h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hLen))) as Header;
    if (
      h.db !== want.db || h.embedder !== want.embedder || h.dim !== want.dim ||
      !(h.rev <= want.currentRev) || !Number.isInteger(h.count)
    ) return null;
    const n = h.count;
    let off = align(12 + hLen, 8);
    const need = off + n * 8 + n * 8 + n * h.dim * 4;
    if (bytes.byteLength !== need) return null;
    // Typed views need aligned offsets: a fresh read buffer starts at 0; otherwise copy.
    let buf = bytes.buffer as ArrayBuffer;
    if (bytes.byteOffset % 8 !== 0) [buf, off] = [bytes.slice(off).buffer, 0];
    else off += bytes.byteOffset;
    const pks = new Float64Array(buf, off, n);
    const ns = new Uint32Array(buf, off + n * 8, n);
    const tags = new Uint32Array(buf, off + n * 12, n);
    const data = new Float32Array(buf, off + n * 16, n * h.dim);
    const rows: SnapshotRow[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const namespace = h.namespaces[ns[i]];
      if (namespace === undefined) return null;
      rows[i] = {
        pk: pks[i],
        namespace,
        tag: tags[i],
        vector: data.subarray(i * h.dim, (i + 1) * h.dim),
      };
    }
    return { rev: h.rev, rows };
  } catch {
    return null;
  }
}

/**
 * Write the snapshot atomically (a temp file renamed over the old one, mode 0600). Failures
 * are ignored: a read-only home or a full disk only costs the next process a slow start.
 */
export function writeSnapshot(
  dbPath: string,
  meta: { db: string; embedder: string; dim: number; rev: number },
  rows: Iterable<SnapshotRow>,
): boolean {
  const list = [...rows];
  const n = list.length;
  const namespaces: string[] = [];
  const nsIndex = new Map<string, number>();
  const header: Header = { ...meta, count: n, namespaces };
  for (const r of list) {
    if (!nsIndex.has(r.namespace)) {
      nsIndex.set(r.namespace, namespaces.length);
      namespaces.push(r.namespace);
    }
  }
  const hBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = align(12 + hBytes.length, 8);
  const out = new Uint8Array(start + n * 16 + n * meta.dim * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, hBytes.length, true);
  out.set(hBytes, 12);
  const pks = new Float64Array(out.buffer, start, n);
  const ns = new Uint32Array(out.buffer, start + n * 8, n);
  const tags = new Uint32Array(out.buffer, start + n * 12, n);
  const data = new Float32Array(out.buffer, start + n * 16, n * meta.dim);
  list.forEach((r, i) => {
    pks[i] = r.pk;
    ns[i] = nsIndex.get(r.namespace)!;
    tags[i] = r.tag;
    data.set(r.vector, i * meta.dim);
  });
  const path = snapshotPath(dbPath);
  const tmp = `${path}.${Deno.pid}.tmp`;
  try {
    Deno.writeFileSync(tmp, out, { mode: 0o600 });
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
 * Whether the rows written last up to the snapshot's revision are in it as the database holds
 * them. A database file replaced in place, or deleted and made anew under a reused inode,
 * reaches the same revision with other rows: those rows differ from the snapshot's.
 */
function agrees(
  store: Store,
  snap: VectorSnapshot,
  usable: (u: StoredVector) => boolean,
): boolean {
  const latest = store.vectorsUpTo(snap.rev, 8);
  if (latest.length === 0) return snap.rows.length === 0;
  const byPk = new Map(snap.rows.map((r) => [r.pk, r.vector]));
  return latest.every((u) => {
    const v = byPk.get(u.pk);
    if (!usable(u)) return v === undefined;
    return v !== undefined && v.length === u.embedding!.length &&
      v.every((x, i) => Object.is(x, u.embedding![i]));
  });
}

/**
 * The first load of a process's index: the snapshot (when it matches), then the store's
 * changes since its revision, applied by `apply` exactly as a later catch-up would; without a
 * snapshot, every row. Rewrites the snapshot (when `write`) if there was none or the catch-up
 * was large. Returns the revision the index is now at.
 */
export function firstLoad(
  store: Store,
  index: BruteForceIndex,
  apply: (u: StoredVector) => boolean,
  usable: (u: StoredVector) => boolean,
  key: SnapshotKey | null,
  write: boolean,
): number {
  let snap = key ? readSnapshot(store.path, { ...key, currentRev: store.currentRev() }) : null;
  if (snap && !agrees(store, snap, usable)) snap = null;
  for (const r of snap?.rows ?? []) index.upsert(r.pk, r.namespace, r.vector, r.tag);
  const changes = store.changesSince(snap?.rev ?? 0);
  for (const pk of changes.deletes) index.remove(pk);
  const kept = changes.upserts.map(apply);
  const churn = changes.deletes.length + changes.upserts.length;
  if (key && write && (!snap || churn > Math.max(256, snap.rows.length / 8))) {
    // The index's rows, rebuilt the way it was (deletes, then upserts over the snapshot).
    const rows = new Map((snap?.rows ?? []).map((r) => [r.pk, r]));
    for (const pk of changes.deletes) rows.delete(pk);
    changes.upserts.forEach((u, i) => {
      if (!kept[i]) rows.delete(u.pk);
      else {
        const vector = u.embedding!;
        rows.set(u.pk, { pk: u.pk, namespace: u.namespace, tag: statusBit(u.status), vector });
      }
    });
    writeSnapshot(store.path, { ...key, rev: changes.rev }, rows.values());
  }
  return changes.rev;
}
