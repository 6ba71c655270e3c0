/**
 * Reading vectors as stored beside their memories: what changed since a revision (so an
 * in-memory index catches up with other processes) and pages in key order (warm start).
 *
 * @module
 */
import { blobDims, decodeVector, decodeVectorInto } from "./rows.ts";
import type { Store } from "./store.ts";

/** A vector as stored with its memory. */
export interface StoredVector {
  pk: number;
  namespace: string;
  status: string;
  archived: boolean;
  embedding: Float32Array | null;
  embedder_id: string | null;
}

/** What changed since a revision: enough for an in-memory index to catch up. */
export interface ChangeSet {
  rev: number;
  upserts: StoredVector[];
  deletes: number[];
}

const VECTOR_COLUMNS = "pk, namespace, status, archived, embedding, embedder_id";
type VectorRow = {
  pk: number;
  namespace: string;
  status: string;
  archived: number;
  embedding: Uint8Array | null;
  embedder_id: string | null;
};

function storedVector(r: VectorRow): StoredVector {
  return {
    pk: r.pk,
    namespace: r.namespace,
    status: r.status,
    archived: r.archived === 1,
    // A damaged blob (not whole float32s) counts as missing: doctor re-embeds it.
    embedding: r.embedding ? decodeVector(r.embedding) : null,
    embedder_id: r.embedder_id,
  };
}

/**
 * Vectors of rows changed after `rev`, and pks deleted after it.
 *
 * @example
 * ```ts
 * const { rev, upserts, deletes } = vectorChanges(store, lastRev);
 * ```
 */
export function vectorChanges(store: Store, rev: number): ChangeSet {
  const current = store.currentRev();
  if (current === rev) return { rev, upserts: [], deletes: [] };
  const rows = store.prepare(
    `SELECT ${VECTOR_COLUMNS} FROM memories WHERE rev > ? AND rev <= ?`,
  ).all(rev, current) as VectorRow[];
  const dels = store.prepare("SELECT pk FROM tombstones WHERE rev > ? AND rev <= ?").all(
    rev,
    current,
  ) as { pk: number }[];
  return { rev: current, upserts: rows.map(storedVector), deletes: dels.map((d) => d.pk) };
}

/**
 * Vectors of at most `limit` rows with a primary key above `after`, in key order.
 *
 * @example
 * ```ts
 * const page = vectorPage(store, 0, 2000);
 * ```
 */
export function vectorPage(store: Store, after: number, limit: number): StoredVector[] {
  const rows = store.prepare(
    `SELECT ${VECTOR_COLUMNS} FROM memories WHERE pk > ? ORDER BY pk LIMIT ?`,
  ).all(after, limit) as VectorRow[];
  return rows.map(storedVector);
}

/**
 * Vectors of the rows with these pks (missing ones skipped): the few neighbours a write
 * compares against, without loading an index.
 *
 * @example
 * ```ts
 * const [v] = vectorsByPk(store, [42]);
 * ```
 */
export function vectorsByPk(store: Store, pks: number[]): StoredVector[] {
  if (pks.length === 0) return [];
  const rows = store.prepare(
    `SELECT ${VECTOR_COLUMNS} FROM memories WHERE pk IN (${pks.map(() => "?").join(",")})`,
  ).all(...pks) as VectorRow[];
  return rows.map(storedVector);
}

/**
 * Vectors of the `limit` rows written last at or before `rev` (a vector snapshot taken at
 * `rev` must hold exactly these: a check that it belongs to this database's history).
 *
 * @example
 * ```ts
 * const latest = vectorsUpTo(store, snapshotRev, 8);
 * ```
 */
export function vectorsUpTo(store: Store, rev: number, limit: number): StoredVector[] {
  const rows = store.prepare(
    `SELECT ${VECTOR_COLUMNS} FROM memories WHERE rev <= ? ORDER BY rev DESC LIMIT ?`,
  ).all(rev, limit) as VectorRow[];
  return rows.map(storedVector);
}

/**
 * Every row written at or before `rev`, in key order, to `fn` (a process's first index load
 * without a usable snapshot: one pass over the table, nothing kept). A row whose vector has `dim` dimensions is decoded
 * into one buffer reused for every row, so `fn` must copy what it keeps (the index does);
 * others get their own array, or null when damaged.
 *
 * @example
 * ```ts
 * eachVectorUpTo(store, store.currentRev(), 356, (u) => apply(u));
 * ```
 */
export function eachVectorUpTo(
  store: Store,
  rev: number,
  dim: number,
  fn: (u: StoredVector) => void,
): void {
  const scratch = new Float32Array(dim);
  // Pages of rows as arrays (no object per row): about a third less CPU than one iterate() at
  // 100k. A row changed after `rev` meanwhile is left to the caller's next catch-up.
  const st = store.prepare(
    `SELECT ${VECTOR_COLUMNS} FROM memories WHERE pk > ? AND rev <= ? ORDER BY pk LIMIT 2000`,
  );
  // Deno's node:sqlite has it; its type declarations do not yet.
  (st as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  for (let after = 0;;) {
    const rows = st.all(after, rev) as unknown as VectorCells[];
    for (const [pk, namespace, status, archived, b, embedder_id] of rows) {
      let embedding: Float32Array | null = null;
      if (b && blobDims(b) === dim) {
        decodeVectorInto(b, scratch);
        embedding = scratch;
      } else if (b) embedding = decodeVector(b);
      fn({ pk, namespace, status, archived: archived === 1, embedding, embedder_id });
    }
    if (rows.length < 2000) return;
    after = rows[rows.length - 1][0];
  }
}

/** A row of {@link VECTOR_COLUMNS} as an array. */
type VectorCells = [number, string, string, number, Uint8Array | null, string | null];

/** Rows per namespace (archived and vectorless ones too): room to reserve before a load. */
export function rowsPerNamespace(store: Store): Map<string, number> {
  const rows = store.prepare(
    "SELECT namespace, count(*) AS n FROM memories GROUP BY namespace",
  ).all() as { namespace: string; n: number }[];
  return new Map(rows.map((r) => [r.namespace, r.n]));
}
