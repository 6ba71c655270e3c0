/**
 * What a Postgres store is, read without changing it (doctor): server version, vector mode and
 * the memoryoss schema version (0 when `migrate` has not created the schema yet). Unlike
 * `PostgresEngine.open` it creates and migrates nothing.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import { connectPostgres, parseTarget } from "../postgres/connect.ts";
import { detectVectors, pgCurrentVersion } from "../postgres/schema.ts";
import type { EngineInfo } from "./types.ts";

/**
 * Connect to `url`, read what the store is, disconnect. An unreachable server, a refused login
 * or a missing database is UNAVAILABLE in one line that names the server (never the password).
 *
 * @example
 * ```ts
 * const info = await probePostgres("postgres://me@db.local/memory");
 * info.schema_version; // 0 before `memoryoss migrate --to-configured`
 * ```
 */
export async function probePostgres(url: string): Promise<EngineInfo> {
  const t = parseTarget(url, "storage.url");
  if (t.kind !== "postgres") {
    throw new MemoryossError("INVALID_INPUT", "storage.url must be a postgres:// URL");
  }
  const sql = await connectPostgres(t);
  try {
    const vectors = await detectVectors(sql, t.schema);
    const [v] = await sql.unsafe("SHOW server_version");
    return {
      engine: "postgres",
      version: String(v.server_version),
      schema_version: await pgCurrentVersion(sql, t.schema),
      vectors: vectors.column,
      pgvector: vectors.pgvector,
      fts: "tsvector english + GIN, ts_rank",
      location: t.display,
    };
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
