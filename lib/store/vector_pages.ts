/**
 * Vectors in pages (schema v8, issue 21): the one place a memory's vector is kept. Row `pk`'s
 * vector of `dim` float32 values is slot `pk % PAGE_ROWS` of page `floor(pk / PAGE_ROWS)` in
 * `vector_pages(dim, page, vecs)`; its `memories.embedding` holds the empty blob
 * ({@link IN_PAGES}), so "has a vector" (`embedding IS NOT NULL`) reads as before. A first
 * index load reads a page per PAGE_ROWS rows (a few large blob reads instead of one per row,
 * and no file beside the database). A blob written into `embedding` by other means (an older
 * tool, a damaged value) stays there and wins over its page slot.
 *
 * Writes go through {@link putVector} / {@link clearVector}, which change a copy of the page
 * held for the connection's open transaction; {@link flushPages} writes each changed page
 * once, before the commit (so an import batch rewrites a page once, not per row). A page whose
 * slots are all zero is deleted: the table is a function of the rows' vectors.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** Rows per page: a page of 356-dimension float32 vectors is 91 KB. */
export const PAGE_ROWS = 64;

/** `memories.embedding` of a row whose vector is in its page. */
export const IN_PAGES: Uint8Array = new Uint8Array(0);

/** The table (created by migration v8). */
export const VECTOR_PAGES_SQL = `
CREATE TABLE vector_pages (
  dim INTEGER NOT NULL,
  page INTEGER NOT NULL,
  vecs BLOB NOT NULL,
  PRIMARY KEY (dim, page)
);
`;

interface Dirty {
  dim: number;
  page: number;
  bytes: Uint8Array;
}

const dirty = new WeakMap<DatabaseSync, Map<string, Dirty>>();
const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

function stmt(db: DatabaseSync, sql: string): StatementSync {
  let m = statements.get(db);
  if (!m) statements.set(db, m = new Map());
  let st = m.get(sql);
  if (!st) m.set(sql, st = db.prepare(sql));
  return st;
}

const pageOf = (pk: number) => Math.floor(pk / PAGE_ROWS);
const slotOf = (pk: number) => pk - pageOf(pk) * PAGE_ROWS;

/**
 * Page `page` of `dim` as this connection sees it (its own unflushed changes included), or
 * null when there is none. Callers must not change the bytes.
 */
export function readPage(db: DatabaseSync, dim: number, page: number): Uint8Array | null {
  const d = dirty.get(db)?.get(`${dim}:${page}`);
  if (d) return d.bytes;
  const row = stmt(db, "SELECT vecs FROM vector_pages WHERE dim = ? AND page = ?").get(
    dim,
    page,
  ) as { vecs: Uint8Array } | undefined;
  return row && row.vecs.byteLength === PAGE_ROWS * dim * 4 ? row.vecs : null;
}

/** The page held for change in this transaction (created zeroed when missing). */
function pageForWrite(db: DatabaseSync, dim: number, page: number): Uint8Array {
  let m = dirty.get(db);
  if (!m) dirty.set(db, m = new Map());
  const key = `${dim}:${page}`;
  let d = m.get(key);
  if (!d) {
    const bytes = new Uint8Array(PAGE_ROWS * dim * 4);
    const stored = readPage(db, dim, page);
    if (stored) bytes.set(stored);
    m.set(key, d = { dim, page, bytes });
  }
  return d.bytes;
}

/** Put row `pk`'s vector (float32 values or their little-endian bytes) into its page. */
export function putVector(db: DatabaseSync, pk: number, v: Float32Array | Uint8Array): void {
  const bytes = v instanceof Float32Array
    ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    : v;
  const dim = bytes.byteLength / 4;
  pageForWrite(db, dim, pageOf(pk)).set(bytes, slotOf(pk) * dim * 4);
}

/** Zero row `pk`'s slot among vectors of `dim` (a deleted row, or one whose vector moved). */
export function clearVector(db: DatabaseSync, pk: number, dim: number): void {
  if (!readPage(db, dim, pageOf(pk))) return;
  const at = slotOf(pk) * dim * 4;
  pageForWrite(db, dim, pageOf(pk)).fill(0, at, at + dim * 4);
}

/**
 * Row `pk`'s vector bytes from its page (a view: copy what you keep), or null when the page
 * is missing.
 */
export function pagedVectorBytes(db: DatabaseSync, pk: number, dim: number): Uint8Array | null {
  const page = readPage(db, dim, pageOf(pk));
  if (!page) return null;
  const at = slotOf(pk) * dim * 4;
  return page.subarray(at, at + dim * 4);
}

/** Write the pages this transaction changed (call before COMMIT). */
export function flushPages(db: DatabaseSync): void {
  const m = dirty.get(db);
  if (!m || m.size === 0) return;
  const put = stmt(db, "INSERT OR REPLACE INTO vector_pages (dim, page, vecs) VALUES (?, ?, ?)");
  const del = stmt(db, "DELETE FROM vector_pages WHERE dim = ? AND page = ?");
  for (const d of m.values()) {
    if (d.bytes.some((b) => b !== 0)) put.run(d.dim, d.page, d.bytes);
    else del.run(d.dim, d.page);
  }
  m.clear();
}

/** Forget this transaction's page changes (after a ROLLBACK). */
export function dropPages(db: DatabaseSync): void {
  dirty.get(db)?.clear();
}

/**
 * Before a row's vector is rewritten or the row deleted: zero its old page slot when its
 * vector was in a page of another dimension than `newDim` (or the row is going: newDim null).
 */
export function leaveOldPage(db: DatabaseSync, pk: number, newDim: number | null): void {
  const old = stmt(db, "SELECT dim, length(embedding) AS n FROM memories WHERE pk = ?").get(
    pk,
  ) as { dim: number | null; n: number | null } | undefined;
  if (old && old.n === 0 && old.dim && old.dim !== newDim) clearVector(db, pk, old.dim);
}

/**
 * Move every whole float32 vector held in `memories.embedding` into its page and mark the row
 * {@link IN_PAGES} (migration v8; a copy from Postgres). Damaged blobs stay where they are.
 * Runs inside the caller's transaction; the rows' revisions are unchanged (the vectors are).
 */
export function packVectors(db: DatabaseSync): number {
  const st = db.prepare(
    "SELECT pk, embedding FROM memories WHERE pk > ? AND dim > 0 AND " +
      "length(embedding) = dim * 4 ORDER BY pk LIMIT 2000",
  );
  let n = 0;
  for (let after = 0;;) {
    const rows = st.all(after) as { pk: number; embedding: Uint8Array }[];
    for (const r of rows) putVector(db, r.pk, r.embedding);
    flushPages(db);
    n += rows.length;
    if (rows.length < 2000) break;
    after = rows[rows.length - 1].pk;
  }
  db.exec("UPDATE memories SET embedding = X'' WHERE dim > 0 AND length(embedding) = dim * 4");
  return n;
}
