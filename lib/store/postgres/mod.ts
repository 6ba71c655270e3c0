/**
 * Postgres for memoryoss: the schema (versioned steps, pgvector `vector` + HNSW or `real[]`,
 * `tsvector` + GIN), engine detection at connect time, namespace-bound read paths, and the copy
 * between a SQLite home and Postgres behind `memoryoss migrate --to`, and the Postgres engine
 * (lib/store/engine/postgres.ts) behind the async `MemoryEngine` interface; the commands do not
 * serve from it yet (docs/scaling.md).
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
export { PostgresEngine, type PostgresEngineOptions } from "../engine/postgres.ts";
export { probePostgres } from "../engine/pg_probe.ts";
