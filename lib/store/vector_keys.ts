/**
 * What a first index load needs of each row besides its vector (namespace, status, archive
 * flag, embedder, dimension, whether the vector is in its page), kept per page of 64 rows in
 * `vector_page_keys(page, rows)` so the load reads a few hundred small values and the vector
 * pages, never every row of `memories` (schema v8, issue 21).
 *
 * Triggers on `memories` set a page's `rows` to NULL whenever anything changes a row of it
 * (the store, an older tool, a hand-written UPDATE), and the store rebuilds the NULL pages
 * from the rows before each commit ({@link refreshKeys}); a load that meets a NULL page (a
 * writer that does not refresh) reads that page's rows instead. So the keys are an index of
 * the table, never a second truth.
 *
 * `rows` is JSON: `{"g": [[namespace, status, archived, embedder_id, dim, paged], …],
 * "s": [group + 1 per slot, 0 where no row]}`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { PAGE_ROWS } from "./vector_pages.ts";

/** Tables, the stale index and the triggers (migration v8). */
export const VECTOR_KEYS_SQL = `
CREATE TABLE vector_page_keys (page INTEGER PRIMARY KEY, rows TEXT);
CREATE INDEX vector_page_keys_stale ON vector_page_keys(page) WHERE rows IS NULL;
CREATE TRIGGER vector_keys_ai AFTER INSERT ON memories BEGIN
  INSERT INTO vector_page_keys(page, rows) VALUES (new.pk / ${PAGE_ROWS}, NULL)
    ON CONFLICT(page) DO UPDATE SET rows = NULL;
END;
CREATE TRIGGER vector_keys_ad AFTER DELETE ON memories BEGIN
  UPDATE vector_page_keys SET rows = NULL WHERE page = old.pk / ${PAGE_ROWS};
END;
CREATE TRIGGER vector_keys_au AFTER UPDATE OF pk, namespace, status, archived, embedder_id, dim,
  embedding ON memories BEGIN
  UPDATE vector_page_keys SET rows = NULL WHERE page IN (old.pk / ${PAGE_ROWS}, new.pk / ${PAGE_ROWS});
END;
`;

/** What rows of a page share besides their vectors, as the first load sees them. */
export interface KeyGroup {
  namespace: string;
  status: string;
  archived: boolean;
  embedder_id: string | null;
  dim: number | null;
  /** The vectors are in their page (the rows' `embedding` is the empty mark). */
  paged: boolean;
  /** Each row holds a blob of its own (damaged, or written by other means). */
  inRow: boolean;
}

type Group = [string, string, number, string | null, number | null, number];
type Cells = [number, string, string, number, string | null, number | null, number | null];

const ROWS_SQL = "SELECT pk, namespace, status, archived, embedder_id, dim, length(embedding) " +
  "FROM memories WHERE pk >= ? AND pk < ? ORDER BY pk";

function pageRows(db: DatabaseSync, page: number): Cells[] {
  const st = db.prepare(ROWS_SQL);
  // Deno's node:sqlite has it; its type declarations do not yet.
  (st as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  return st.all(page * PAGE_ROWS, (page + 1) * PAGE_ROWS) as unknown as Cells[];
}

/** A page's rows as groups and, per slot, its group + 1 (0 where no row). */
function grouped(rows: Cells[], page: number): { g: Group[]; s: number[] } {
  const groups: Group[] = [];
  const index = new Map<string, number>();
  const slots = new Array<number>(PAGE_ROWS).fill(0);
  for (const [pk, ns, status, archived, emb, dim, n] of rows) {
    const g: Group = [ns, status, archived, emb, dim, n === 0 ? 1 : n === null ? 0 : 2];
    const key = JSON.stringify(g);
    let i = index.get(key);
    if (i === undefined) index.set(key, i = groups.push(g) - 1);
    slots[pk - page * PAGE_ROWS] = i + 1;
  }
  return { g: groups, s: slots };
}

/** The JSON of a page's rows. */
function encode(rows: Cells[], page: number): string | null {
  return rows.length === 0 ? null : JSON.stringify(grouped(rows, page));
}

/**
 * Rebuild every page the triggers marked (call inside the write transaction, before COMMIT).
 * A page with no rows left is deleted.
 */
export function refreshKeys(db: DatabaseSync): void {
  const stale = db.prepare("SELECT page FROM vector_page_keys WHERE rows IS NULL").all() as {
    page: number;
  }[];
  if (stale.length === 0) return;
  const put = db.prepare("UPDATE vector_page_keys SET rows = ? WHERE page = ?");
  const del = db.prepare("DELETE FROM vector_page_keys WHERE page = ?");
  for (const { page } of stale) {
    const json = encode(pageRows(db, page), page);
    if (json === null) del.run(page);
    else put.run(json, page);
  }
}

/** Build the keys of every row from scratch (migration v8). */
export function buildKeys(db: DatabaseSync): void {
  db.exec("DELETE FROM vector_page_keys");
  db.exec(
    `INSERT INTO vector_page_keys(page, rows) SELECT DISTINCT pk / ${PAGE_ROWS}, NULL FROM memories`,
  );
  refreshKeys(db);
}

/**
 * Every page's rows in key order to `fn`: the groups and, per slot, its group + 1 (0 where
 * no row). Call inside a read transaction, so the pages and the rows are of one moment. A
 * page whose keys are stale is grouped from its rows.
 */
export function eachKeyPage(
  db: DatabaseSync,
  fn: (page: number, groups: KeyGroup[], slots: ArrayLike<number>) => void,
): void {
  const st = db.prepare("SELECT page, rows FROM vector_page_keys ORDER BY page");
  // Deno's node:sqlite has it; its type declarations do not yet.
  (st as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  for (const [page, json] of st.iterate() as Iterable<[number, string | null]>) {
    const { g, s } = json === null
      ? grouped(pageRows(db, page), page)
      : JSON.parse(json) as { g: Group[]; s: number[] };
    const groups = g.map(([namespace, status, archived, embedder_id, dim, where]) => ({
      namespace,
      status,
      archived: archived === 1,
      embedder_id,
      dim,
      paged: where === 1,
      inRow: where === 2,
    }));
    fn(page, groups, s);
  }
}
