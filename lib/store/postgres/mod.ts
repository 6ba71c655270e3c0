/**
 * Postgres for memoryoss: the schema (versioned steps, pgvector `vector` + HNSW or `real[]`,
 * `tsvector` + GIN), engine detection at connect time, namespace-bound read paths, and the copy
 * between a SQLite home and Postgres behind `memoryoss migrate --to`. Serving from Postgres
 * needs the async store seam and is not here yet (docs/scaling.md).
 *
 * @module
 */
export { connectPostgres, parseTarget, type Sql, type Target } from "./connect.ts";
export {
  detectVectors,
  ensureVectorIndexes,
  migratePostgres,
  PG_MIGRATIONS,
  PG_SCHEMA_VERSION,
  pgCurrentVersion,
  type PgMigration,
  type Queryable,
  type VectorSupport,
} from "./schema.ts";
export { type PgHit, pgNearest, pgSearchText } from "./queries.ts";
export { copyBetweenEngines, type CopyOptions, type CopyReport, type TableCount } from "./copy.ts";
export { TABLES, type TableSpec } from "./tables.ts";
