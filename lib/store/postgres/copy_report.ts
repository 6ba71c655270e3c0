/**
 * What a copy between engines is told and what it reports: shared by both directions.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { StoreEncryption } from "../sealed.ts";
import type { Target } from "./connect.ts";
import type { VectorSupport } from "./schema.ts";

export type PgTarget = Extract<Target, { kind: "postgres" }>;
export type SqliteTarget = Extract<Target, { kind: "sqlite" }>;

/** What to copy. */
export interface CopyOptions {
  from: Target;
  to: Target;
  /** The home's encryption: opens sealed rows for the target's full-text index only. */
  encryption?: StoreEncryption;
  /** `trust.json` of the SQLite side (default: beside its database). */
  trustPath?: string;
  dryRun: boolean;
  batch?: number;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

/** Per table: rows in the source and what the copy did (or would do) with them. */
export interface TableCount {
  table: string;
  source: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** The result of a copy. */
export interface CopyReport {
  from: string;
  to: string;
  dry_run: boolean;
  schema_version: number;
  /** Postgres schema steps applied by this run (empty for a SQLite target). */
  schema_applied: number[];
  /** Vector storage on the Postgres side. */
  vectors: VectorSupport | null;
  tables: TableCount[];
  trust: "absent" | "inserted" | "updated" | "unchanged" | "kept_target";
  /** Rows inserted / updated over all tables: both 0 on a re-run. */
  new_rows: number;
  changed_rows: number;
  /** Sealed memories left out of the target's full-text index (no key, or `index = "off"`). */
  fts_unindexed: number;
  /** pgvector HNSW indexes in place, by dimension. */
  vector_indexes: number[];
}

/** The report from its parts; totals are summed from the tables. */
export function report(
  opts: CopyOptions,
  base: Partial<CopyReport>,
  tables: TableCount[],
): CopyReport {
  return {
    from: opts.from.display,
    to: opts.to.display,
    dry_run: opts.dryRun,
    schema_version: 0,
    schema_applied: [],
    vectors: null,
    trust: "absent",
    fts_unindexed: 0,
    vector_indexes: [],
    ...base,
    tables,
    new_rows: tables.reduce((n, t) => n + t.inserted, 0),
    changed_rows: tables.reduce((n, t) => n + t.updated, 0),
  };
}

/** A table's count before any page is written: every source row unchanged. */
export function tally(table: string, source: number): TableCount {
  return { table, source, inserted: 0, updated: 0, unchanged: source };
}

/** Account a written page. */
export function add(c: TableCount, w: { inserted: number; updated: number }): void {
  c.inserted += w.inserted;
  c.updated += w.updated;
  c.unchanged -= w.inserted + w.updated;
}

/** Every row would be new (a dry run against a target that does not exist yet). */
export function allNew(counts: TableCount[]): TableCount[] {
  for (const c of counts) add(c, { inserted: c.source, updated: 0 });
  return counts;
}

/** The line printed on stderr when a table is done. */
export function progressLine(c: TableCount): string {
  return `${c.table}: ${c.source} rows, ${c.inserted} new, ${c.updated} changed, ` +
    `${c.unchanged} unchanged`;
}

/** A page-progress line, only for tables larger than one page. */
export function pageProgress(o: CopyOptions, c: TableCount, done: number, batch: number): void {
  if (c.source > batch) o.progress?.(`${c.table}: ${done}/${c.source}`);
}

/** A text file, or null when it does not exist. */
export function readText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message.split(":")[0]}`);
  }
}

/** Refuse a Postgres schema newer than this build. */
export function refuseNewer(current: number, latest: number, display: string): void {
  if (current > latest) {
    throw new MemoryossError(
      "CONFLICT",
      `${display} is at Postgres schema v${current}, newer than this memoryoss (v${latest})`,
    );
  }
}
