/**
 * SQLite → Postgres: the home's rows upserted page by page (one transaction each), the schema
 * created or migrated first, identity sequences and HNSW indexes after. A dry run does it all
 * in one transaction and rolls back.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { ftsIndexed, looksSealed, openRow } from "../sealed.ts";
import type { MemoryRow } from "../rows.ts";
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
import { pgUpsert } from "./pg_side.ts";
import {
  detectVectors,
  ensureVectorIndexes,
  migratePostgres,
  PG_SCHEMA_VERSION,
  pgCurrentVersion,
  type VectorSupport,
} from "./schema.ts";
import { openSqlite, type Row, sqliteCount, sqlitePages } from "./sqlite_side.ts";
import { TABLES } from "./tables.ts";

/** Runs one page's statements: in its own transaction, or in the dry run's one. */
type InPage = <T>(fn: (q: Sql) => Promise<T>) => Promise<T>;

const ROLLBACK = Symbol("dry run");

/** Copy a SQLite database (and its home's trust.json) into a Postgres schema. */
export async function sqliteToPostgres(
  o: CopyOptions,
  from: SqliteTarget,
  to: PgTarget,
): Promise<CopyReport> {
  const db = openSqlite(from.path, "source");
  const sql = await connectPostgres(to).catch((e) => {
    db.close();
    throw e;
  });
  try {
    const current = await pgCurrentVersion(sql, to.schema);
    refuseNewer(current, PG_SCHEMA_VERSION, to.display);
    const trustText = readText(o.trustPath ?? join(dirname(from.path), "trust.json"));
    const counts = TABLES.map((t) => tally(t.name, sqliteCount(db, t.name)));
    if (o.dryRun && current === 0) {
      const vectors = await detectVectors(sql, to.schema);
      const trust = trustText === null ? "absent" : "inserted";
      return report(o, { vectors, trust }, allNew(counts));
    }
    const applied = o.dryRun ? [] : (await migratePostgres(sql, to.schema)).applied;
    const vectors = await detectVectors(sql, to.schema);
    const fts = ftsSource(o);
    const work = (inPage: InPage) => copyAll(o, db, vectors, counts, fts.source, trustText, inPage);
    let trust: CopyReport["trust"];
    if (o.dryRun) trust = await dryRun(sql, work);
    else {
      trust = await work((fn) => sql.begin((tx) => fn(tx as unknown as Sql)) as never);
      await moveSequences(sql);
    }
    return report(o, {
      schema_version: PG_SCHEMA_VERSION,
      schema_applied: applied,
      vectors,
      trust,
      fts_unindexed: fts.unindexed(),
      vector_indexes: o.dryRun ? [] : await ensureVectorIndexes(sql, vectors),
    }, counts);
  } finally {
    db.close();
    await sql.end({ timeout: 5 });
  }
}

/** The text a memory's tsvector is made from: plain content, or sealed content opened. */
function ftsSource(o: CopyOptions): { source: (r: Row) => string | null; unindexed: () => number } {
  let unindexed = 0;
  const source = (r: Row): string | null => {
    const content = String(r.content);
    if (!looksSealed(content)) return content;
    if (o.encryption?.cipher && ftsIndexed(o.encryption, true)) {
      try {
        return openRow(o.encryption, r as unknown as MemoryRow).content;
      } catch { /* another key: left out of the index, counted */ }
    }
    unindexed++;
    return null;
  };
  return { source, unindexed: () => unindexed };
}

async function copyAll(
  o: CopyOptions,
  db: DatabaseSync,
  vectors: VectorSupport,
  counts: TableCount[],
  fts: (r: Row) => string | null,
  trustText: string | null,
  inPage: InPage,
): Promise<CopyReport["trust"]> {
  const batch = o.batch ?? 500;
  for (const [i, t] of TABLES.entries()) {
    const extras = t.name === "memories" ? { ftsSource: fts, vectors } : undefined;
    let done = 0;
    for (const rows of sqlitePages(db, t, batch)) {
      add(counts[i], await inPage((q) => pgUpsert(q, t, rows, extras)));
      pageProgress(o, counts[i], done += rows.length, batch);
    }
    o.progress?.(progressLine(counts[i]));
  }
  return trustText === null ? "absent" : await inPage((q) => putTrust(q, trustText));
}

async function dryRun<T>(sql: Sql, work: (inPage: InPage) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await sql.begin(async (tx) => {
      out = await work((fn) => fn(tx as unknown as Sql));
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return out!;
}

async function putTrust(q: Sql, body: string): Promise<CopyReport["trust"]> {
  const [had] = await q`SELECT body FROM trust_catalog WHERE name = 'trust.json'`;
  if (had?.body === body) return "unchanged";
  await q`INSERT INTO trust_catalog(name, body) VALUES ('trust.json', ${body})
          ON CONFLICT (name) DO UPDATE SET body = excluded.body`;
  return had ? "updated" : "inserted";
}

/** Identity sequences past the copied keys, so rows written later get fresh ones. */
async function moveSequences(sql: Sql): Promise<void> {
  for (const t of TABLES) {
    if (!t.identity) continue;
    await sql.unsafe(
      `SELECT setval(pg_get_serial_sequence('${t.name}', '${t.identity}'),
              GREATEST((SELECT max(${t.identity}) FROM ${t.name}), 1))`,
    );
  }
}
