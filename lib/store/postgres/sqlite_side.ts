/**
 * The SQLite end of a copy: rows read and written as stored (sealed fields stay sealed), tables
 * checked against the copy's column list first. Vectors leave as float32 blobs (read from
 * their pages, schema v8) and come back into their pages; content hashes leave as hex text
 * (Postgres's column) and come back as the SQLite store writes them (32 bytes since schema v7),
 * so a round trip gives back the same bytes.
 *
 * @module
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { dirname } from "node:path";
import { MemoryossError } from "../../errors/mod.ts";
import { currentVersion, migrate, SCHEMA_VERSION } from "../schema.ts";
import { hashFromColumn, hashToColumn } from "../rows.ts";
import {
  dropPages,
  flushPages,
  IN_PAGES,
  leaveOldPage,
  pagedVectorBytes,
  putVector,
} from "../vector_pages.ts";
import { refreshKeys } from "../vector_keys.ts";
import { TABLES, type TableSpec } from "./tables.ts";

/** A row as copied: column → value (`embedding` of memories is a blob or null). */
export type Row = Record<string, SQLInputValue>;

/** Columns copied for a table (memories adds its vector blob). */
export function copiedColumns(t: TableSpec): string[] {
  const cols = Object.keys(t.columns);
  return t.name === "memories" ? [...cols, "embedding"] : cols;
}

/**
 * Open a SQLite database to copy from (read-only) or into (created and migrated). A source must
 * be at this build's schema version, and every table must have exactly the copied columns.
 * "dry" opens an existing target writable without migrating it (a dry run rolls back).
 */
export function openSqlite(path: string, mode: "source" | "target" | "dry"): DatabaseSync {
  let db: DatabaseSync;
  try {
    if (mode !== "target") Deno.statSync(path);
    else Deno.mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { readOnly: mode === "source" });
    db.exec("PRAGMA busy_timeout = 10000");
    if (mode === "target") {
      db.exec("PRAGMA journal_mode = WAL");
      migrate(db);
    }
  } catch (e) {
    if (e instanceof MemoryossError) throw e;
    throw new MemoryossError("IO", `cannot open database ${path}: ${(e as Error).message}`);
  }
  const v = currentVersion(db);
  if (v !== SCHEMA_VERSION) {
    db.close();
    throw new MemoryossError(
      "CONFLICT",
      `${path} is at schema v${v}, this memoryoss copies v${SCHEMA_VERSION}: run \`memoryoss migrate\` first`,
    );
  }
  for (const t of TABLES) {
    const have = (db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[])
      .map((c) => c.name);
    const want = copiedColumns(t);
    if ([...have].sort().join(",") !== [...want].sort().join(",")) {
      db.close();
      throw new MemoryossError(
        "INTERNAL",
        `table ${t.name} has columns (${have.join(", ")}), the copy knows (${want.join(", ")})`,
      );
    }
  }
  return db;
}

/** Rows of a table, a page at a time, in rowid order (every copied table is a rowid table). */
export function* sqlitePages(db: DatabaseSync, t: TableSpec, batch: number): Generator<Row[]> {
  const cols = copiedColumns(t).join(", ");
  const st = db.prepare(
    `SELECT rowid AS _rowid, ${cols} FROM ${t.name} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  for (let last = 0;;) {
    const rows = st.all(last, batch) as Row[];
    if (rows.length === 0) return;
    last = Number(rows[rows.length - 1]._rowid);
    for (const r of rows) delete r._rowid;
    if (t.name === "memories") { for (const r of rows) toPostgresForm(db, r); }
    yield rows;
    if (rows.length < batch) return;
  }
}

/**
 * A memory row as Postgres holds it: the content hash as hex text, the vector as its blob
 * (from its page when the row holds the empty mark; none when the page is missing).
 */
function toPostgresForm(db: DatabaseSync, r: Row): void {
  r.content_hash = hashFromColumn(r.content_hash as string | Uint8Array | null);
  const e = r.embedding as Uint8Array | null;
  if (e && e.byteLength === 0 && Number(r.dim) > 0) {
    r.embedding = pagedVectorBytes(db, Number(r.pk), Number(r.dim))?.slice() ?? null;
  }
}

/**
 * A memory row as the SQLite store writes it (schema v8): the content hash as 32 bytes, a
 * whole float32 vector in its page (the row holds the empty mark), a damaged blob in the row.
 */
function toSqliteForm(db: DatabaseSync, r: Row): void {
  r.content_hash = hashToColumn(r.content_hash as string | null);
  const e = r.embedding as Uint8Array | null;
  const dim = Number(r.dim);
  const paged = e !== null && dim > 0 && e.byteLength === dim * 4;
  leaveOldPage(db, Number(r.pk), paged ? dim : null);
  if (!paged) return;
  putVector(db, Number(r.pk), e);
  r.embedding = IN_PAGES;
}

/** Rows in a SQLite table. */
export function sqliteCount(db: DatabaseSync, table: string): number {
  return Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
}

/** Counts of one table's write. */
export interface Written {
  inserted: number;
  updated: number;
}

/**
 * Upsert rows into a SQLite table: new rows inserted, differing rows updated, equal rows left
 * alone. A memory whose pk holds another id in the target is a CONFLICT (never overwritten).
 */
export function sqliteUpsert(db: DatabaseSync, t: TableSpec, rows: Row[]): Written {
  const cols = copiedColumns(t);
  const rest = cols.filter((c) => !t.key.includes(c));
  const keyWhere = t.key.map((k) => `${k} = ?`).join(" AND ");
  const exists = db.prepare(
    `SELECT ${t.name === "memories" ? "id" : "1"} AS v FROM ${t.name} WHERE ${keyWhere}`,
  );
  const put = db.prepare(
    `INSERT INTO ${t.name} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})
     ON CONFLICT (${t.key.join(", ")}) DO UPDATE SET ${
      rest.map((c) => `${c} = excluded.${c}`).join(", ")
    }
     WHERE ${rest.map((c) => `${t.name}.${c} IS NOT excluded.${c}`).join(" OR ")}`,
  );
  const out: Written = { inserted: 0, updated: 0 };
  for (const r of rows) {
    const had = exists.get(...t.key.map((k) => r[k])) as { v: unknown } | undefined;
    if (t.name === "memories" && had && had.v !== r.id) {
      dropPages(db);
      throw new MemoryossError(
        "CONFLICT",
        `target memory pk ${r.pk} is ${had.v}, not ${r.id}: copy into a new database`,
      );
    }
    if (t.name === "memories") toSqliteForm(db, r);
    let changes: number;
    try {
      changes = Number(put.run(...cols.map((c) => r[c])).changes);
    } catch (e) {
      dropPages(db); // the caller rolls back
      throw new MemoryossError("CONFLICT", `${t.name}: ${(e as Error).message}`);
    }
    if (!had) out.inserted += changes;
    else out.updated += changes;
  }
  if (t.name === "memories") {
    flushPages(db);
    refreshKeys(db);
  }
  return out;
}
