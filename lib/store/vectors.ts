/**
 * Reading vectors as stored beside their memories: what changed since a revision (so an
 * in-memory index catches up with other processes) and pages in key order (warm start).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { decodeVector } from "./rows.ts";
import type { Store } from "./store.ts";
import { PAGE_ROWS, readPage } from "./vector_pages.ts";
import { eachKeyPage, type KeyGroup } from "./vector_keys.ts";

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

const VECTOR_COLUMNS = "pk, namespace, status, archived, embedding, embedder_id, dim";
type VectorRow = {
  pk: number;
  namespace: string;
  status: string;
  archived: number;
  embedding: Uint8Array | null;
  embedder_id: string | null;
  dim: number | null;
};

/**
 * A row's vector as a new array: from its page when the row holds the empty mark
 * (vector_pages.ts), else from the row's own blob. A damaged blob (not whole float32s) or a
 * missing page counts as missing: doctor re-embeds it.
 */
function rowVector(db: DatabaseSync, r: VectorRow, pages?: PageCache): Float32Array | null {
  if (!r.embedding) return null;
  if (r.embedding.byteLength > 0 || !r.dim) return decodeVector(r.embedding);
  const page = Math.floor(r.pk / PAGE_ROWS);
  const key = `${r.dim}:${page}`;
  let b = pages?.get(key);
  if (b === undefined) {
    b = readPage(db, r.dim, page);
    pages?.set(key, b);
  }
  const at = (r.pk - page * PAGE_ROWS) * r.dim * 4;
  return b ? decodeVector(b.subarray(at, at + r.dim * 4)) : null;
}

/** Pages read by one call, `${dim}:${page}` → bytes (null: none), for rows sharing a page. */
type PageCache = Map<string, Uint8Array | null>;

function storedVectors(store: Store, rows: VectorRow[]): StoredVector[] {
  const pages: PageCache = new Map();
  return rows.map((r) => ({
    pk: r.pk,
    namespace: r.namespace,
    status: r.status,
    archived: r.archived === 1,
    embedding: rowVector(store.db, r, pages),
    embedder_id: r.embedder_id,
  }));
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
  return { rev: current, upserts: storedVectors(store, rows), deletes: dels.map((d) => d.pk) };
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
  return storedVectors(store, rows);
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
  return storedVectors(store, rows);
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
  return storedVectors(store, rows);
}

/**
 * Rows of one run of a vector page: consecutive keys `first.pk`, `first.pk + 1`, … with the
 * same namespace, status, archive flag and embedder.
 */
export interface VectorRun {
  /** The first row; its `embedding` is the first `dim` of `values` (null with them). */
  first: StoredVector;
  /** `count × dim` values, row after row: a view, valid only during the call. */
  values: Float32Array | null;
  count: number;
}

/**
 * Every row in key order to `fn`, in runs, with the rows per namespace to `reserve` first (a
 * process's first index load): the per-page keys (vector_keys.ts) and the vector pages of
 * `dim`, read in one read transaction, never every row of `memories`. Rows whose vector is of
 * another dimension or missing come with null values; a vector held in its row (damaged, or
 * written by other means) comes alone. Returns the revision read.
 *
 * @example
 * ```ts
 * const rev = loadVectors(store, 356, (ns, n) => index.reserve(ns, n), (run) => add(run));
 * ```
 */
export function loadVectors(
  store: Store,
  dim: number,
  reserve: (namespace: string, rows: number) => void,
  fn: (run: VectorRun) => void,
): number {
  const own = !store.db.isTransaction;
  // Memory-mapped reads for the load: the pages' blobs are read as fast as a file (about four
  // times faster than through SQLite's page reads; measured in docs/benchmarks.md).
  const mmap = own ? mmapSize(store) : null;
  if (mmap !== null) store.db.exec(`PRAGMA mmap_size = ${LOAD_MMAP}`);
  if (own) store.db.exec("BEGIN");
  try {
    const rev = store.currentRev();
    const pages: [number, KeyGroup[], ArrayLike<number>][] = [];
    const perNamespace = new Map<string, number>();
    eachKeyPage(store.db, (page, groups, slots) => {
      pages.push([page, groups, slots]);
      for (let i = 0; i < PAGE_ROWS; i++) {
        const ns = slots[i] ? groups[slots[i] - 1].namespace : null;
        if (ns !== null) perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + 1);
      }
    });
    for (const [ns, n] of perNamespace) reserve(ns, n);
    const views = new PageViews(store.db, dim);
    const one = store.prepare("SELECT embedding FROM memories WHERE pk = ?");
    for (const [page, groups, slots] of pages) {
      for (let i = 0; i < PAGE_ROWS;) {
        if (!slots[i]) {
          i++;
          continue;
        }
        const g = groups[slots[i] - 1];
        const pk = page * PAGE_ROWS + i;
        const { namespace, status, archived, embedder_id } = g;
        const first = { pk, namespace, status, archived, embedding: null, embedder_id };
        if (g.inRow) {
          const row = one.get(pk) as { embedding: Uint8Array | null } | undefined;
          const embedding = row?.embedding ? decodeVector(row.embedding) : null;
          fn({ first: { ...first, embedding }, values: embedding, count: 1 });
          i++;
          continue;
        }
        // The run: the following slots of the same group.
        let j = i + 1;
        while (j < PAGE_ROWS && slots[j] === slots[i]) j++;
        const values = g.paged && g.dim === dim ? views.get(page, pk, j - i) : null;
        const embedding = values && values.subarray(0, dim);
        fn({ first: { ...first, embedding }, values, count: j - i });
        i = j;
      }
    }
    return rev;
  } finally {
    if (own) store.db.exec("COMMIT");
    if (mmap !== null) store.db.exec(`PRAGMA mmap_size = ${mmap}`);
  }
}

/**
 * Views of rows' vectors in the pages of one dimension, asked for in page order (this
 * connection's unwritten page changes included: a load inside a write transaction sees them).
 */
class PageViews {
  #page = -1;
  #values: Float32Array | null = null;
  constructor(readonly db: DatabaseSync, readonly dim: number) {}
  /** `count` rows from `pk` on, or null when the page is missing. */
  get(page: number, pk: number, count: number): Float32Array | null {
    if (page !== this.#page) {
      this.#page = page;
      const b = readPage(this.db, this.dim, page);
      this.#values = b === null
        ? null
        : b.byteOffset % 4 === 0
        ? new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4)
        : new Float32Array(b.slice().buffer);
    }
    if (!this.#values) return null;
    const at = (pk - page * PAGE_ROWS) * this.dim;
    return this.#values.subarray(at, at + count * this.dim);
  }
}

/** The mapping a first load asks for (SQLite caps it at its compile-time limit). */
const LOAD_MMAP = 1 << 30;

function mmapSize(store: Store): number {
  return Number((store.db.prepare("PRAGMA mmap_size").get() as { mmap_size: number }).mmap_size);
}

/** Rows per namespace (archived and vectorless ones too): room to reserve before a load. */
export function rowsPerNamespace(store: Store): Map<string, number> {
  const rows = store.prepare(
    "SELECT namespace, count(*) AS n FROM memories GROUP BY namespace",
  ).all() as { namespace: string; n: number }[];
  return new Map(rows.map((r) => [r.namespace, r.n]));
}
