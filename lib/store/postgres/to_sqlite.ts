/**
 * Postgres → SQLite: rows upserted page by page into a SQLite database (created at this build's
 * schema when missing), trust.json written beside it, then the full-text indexes rebuilt by the
 * store (they hold plaintext tokens, so sealed rows need the home's key).
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { MemoryossError, pathExistsSync } from "../../errors/mod.ts";
import type { StoreEncryption } from "../sealed.ts";
import { Store } from "../store.ts";
import { connectPostgres, type Sql } from "./connect.ts";
import {
  add,
  allNew,
  type CopyOptions,
  type CopyReport,
  pageProgress,
  type PgTarget,
  progressLine,
  readText,
  refuseNewer,
  report,
  type SqliteTarget,
  type TableCount,
  tally,
} from "./copy_report.ts";
import { pgPages } from "./pg_side.ts";
import { detectVectors, PG_SCHEMA_VERSION, pgCurrentVersion } from "./schema.ts";
import { openSqlite, sqliteUpsert } from "./sqlite_side.ts";
import { TABLES } from "./tables.ts";

/** Copy a Postgres schema into a SQLite database (and trust.json beside it). */
export async function postgresToSqlite(
  o: CopyOptions,
  from: PgTarget,
  to: SqliteTarget,
): Promise<CopyReport> {
  const sql = await connectPostgres(from);
  let db: DatabaseSync | null = null;
  try {
    const current = await pgCurrentVersion(sql, from.schema);
    if (current === 0) {
      throw new MemoryossError("NOT_FOUND", `${from.display} holds no memoryoss schema`);
    }
    refuseNewer(current, PG_SCHEMA_VERSION, from.display);
    const vectors = await detectVectors(sql, from.schema);
    const counts = await pgCounts(sql);
    const [trustRow] = await sql`SELECT body FROM trust_catalog WHERE name = 'trust.json'`;
    const trustBody = trustRow?.body as string | undefined;
    const trustPath = o.trustPath ?? join(dirname(to.path), "trust.json");
    const trust = trustDecision(trustPath, trustBody);
    const base = { schema_version: current, vectors, trust };
    if (o.dryRun && !pathExistsSync(to.path)) return report(o, base, allNew(counts));
    db = openSqlite(to.path, o.dryRun ? "dry" : "target");
    await copyAll(o, sql, db, counts);
    db.close();
    if (!o.dryRun) {
      if (trust === "inserted" || trust === "updated") {
        Deno.writeTextFileSync(trustPath, trustBody!);
      }
      reindex(to.path, o.encryption, counts);
    }
    return report(o, base, counts);
  } finally {
    if (db?.isOpen) db.close();
    await sql.end({ timeout: 5 });
  }
}

async function pgCounts(sql: Sql): Promise<TableCount[]> {
  const counts: TableCount[] = [];
  for (const t of TABLES) {
    const [r] = await sql.unsafe(`SELECT count(*)::bigint AS n FROM ${t.name}`);
    counts.push(tally(t.name, Number(r.n)));
  }
  return counts;
}

/** Every table, a page per transaction (a dry run: all in one, rolled back). */
async function copyAll(o: CopyOptions, sql: Sql, db: DatabaseSync, counts: TableCount[]) {
  const batch = o.batch ?? 500;
  if (o.dryRun) db.exec("BEGIN IMMEDIATE");
  try {
    for (const [i, t] of TABLES.entries()) {
      let done = 0;
      for await (const rows of pgPages(sql, t, batch)) {
        if (!o.dryRun) db.exec("BEGIN IMMEDIATE");
        add(counts[i], sqliteUpsert(db, t, rows));
        if (!o.dryRun) db.exec("COMMIT");
        pageProgress(o, counts[i], done += rows.length, batch);
      }
      o.progress?.(progressLine(counts[i]));
    }
  } finally {
    if (db.isTransaction) db.exec("ROLLBACK");
  }
}

/** trust.json in the target home: written when missing, never over a different one. */
function trustDecision(path: string, body: string | undefined): CopyReport["trust"] {
  if (body === undefined) return "absent";
  const have = readText(path);
  if (have === null) return "inserted";
  return have === body ? "unchanged" : "kept_target";
}

/** The SQLite full-text indexes (kept by the store, not by triggers) after rows changed. */
function reindex(path: string, enc: StoreEncryption | undefined, counts: TableCount[]): void {
  const store = Store.open(path, { encryption: enc });
  try {
    const changed = counts.some((c) =>
      (c.table === "memories" || c.table === "memory_context") && c.inserted + c.updated > 0
    );
    if (changed || !store.ftsHealth().consistent) store.rebuildFts();
  } catch (e) {
    throw new MemoryossError(
      e instanceof MemoryossError ? e.code : "IO",
      `rows copied, but the full-text index was not rebuilt: ${(e as Error).message} (sealed ` +
        "rows need the source home's memoryoss.key in the target home; then re-run)",
    );
  } finally {
    store.close();
  }
}
