/**
 * `migrate --to`: copy a home between engines (SQLite → Postgres, Postgres → SQLite) as stored:
 * memories with sealed fields and vectors, tombstones, keys, activity, queue and decisions,
 * graph edges, episode windows, meta, and the trust catalog (`trust.json`). Upserts page by
 * page, each page its own transaction, so a re-run changes nothing and an interrupted run
 * continues; a dry run does the same work inside one transaction and rolls it back.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { CopyOptions, CopyReport } from "./copy_report.ts";
import { sqliteToPostgres } from "./to_postgres.ts";
import { postgresToSqlite } from "./to_sqlite.ts";

export type { CopyOptions, CopyReport, TableCount } from "./copy_report.ts";

/**
 * Copy between engines. One side must be SQLite and the other Postgres.
 *
 * @example
 * ```ts
 * const r = await copyBetweenEngines({
 *   from: parseTarget("sqlite:/home/me/.memoryoss/memoryoss.db"),
 *   to: parseTarget("postgres://me@db/memory"),
 *   dryRun: true,
 * });
 * r.tables.find((t) => t.table === "memories")?.inserted;
 * ```
 */
export function copyBetweenEngines(opts: CopyOptions): Promise<CopyReport> {
  if (opts.from.kind === "sqlite" && opts.to.kind === "postgres") {
    return sqliteToPostgres(opts, opts.from, opts.to);
  }
  if (opts.from.kind === "postgres" && opts.to.kind === "sqlite") {
    return postgresToSqlite(opts, opts.from, opts.to);
  }
  throw new MemoryossError(
    "INVALID_INPUT",
    opts.to.kind === "sqlite"
      ? "--to sqlite:PATH copies from Postgres: give --from postgres://… (or MEMORYOSS_DATABASE_URL)"
      : "--to postgres:// copies a SQLite home; between Postgres databases use pg_dump",
  );
}
