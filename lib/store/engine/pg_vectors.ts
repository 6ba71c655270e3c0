/**
 * What the in-process vector index (vector_cache.ts) reads from Postgres when vectors are
 * `real[]` (no pgvector): a namespace's vectors in batches, and the pks a filter passes.
 *
 * @module
 */
import type { MemoryFilter } from "../filter.ts";
import type { Sql } from "../postgres/connect.ts";
import { type PgParams, pgWhere } from "./pg_filter.ts";
import { parseVectorText } from "./pg_write.ts";
import type { IndexRow } from "./vector_rows.ts";

/**
 * Every row of `namespace` holding a vector, to `each` in batches of `batch`: one statement (one
 * scan, one snapshot) whose rows are handled as they arrive (the client's `forEach`), so the
 * server's output and the parsing here overlap and the rows never sit in memory all at once.
 * The engine's one connection is busy meanwhile.
 */
export async function pgVectorPages(
  sql: Sql,
  namespace: string,
  batch: number,
  each: (rows: IndexRow[]) => void,
): Promise<void> {
  const rows: IndexRow[] = [];
  const q = sql.unsafe(
    `SELECT pk, status, archived, embedding::text AS v, embedder_id FROM memories
     WHERE namespace = $1 AND embedding IS NOT NULL`,
    [namespace],
  ) as unknown as { forEach(cb: (r: Record<string, unknown>) => void): Promise<unknown> };
  await q.forEach((r) => {
    rows.push({
      pk: Number(r.pk),
      status: String(r.status),
      archived: Number(r.archived) === 1,
      embedding: parseVectorText(r.v),
      embedder_id: (r.embedder_id as string | null) ?? null,
    });
    if (rows.length >= batch) each(rows.splice(0));
  });
  if (rows.length) each(rows);
}

/** Pks of the rows passing `filter`. */
export async function pgFilterPks(sql: Sql, filter: MemoryFilter): Promise<number[]> {
  const params: PgParams = [];
  const rows = await sql.unsafe(
    `SELECT m.pk FROM memories m WHERE ${pgWhere(filter, params)}`,
    params as never[],
  );
  return rows.map((r) => Number(r.pk));
}
