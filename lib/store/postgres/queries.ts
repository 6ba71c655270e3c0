/**
 * Read paths on the Postgres schema, namespace-bound like every query there: nearest
 * neighbours (pgvector's cosine distance over the per-dimension HNSW index, or real[] scored
 * here) and full-text search (`tsvector` + GIN, content weighted over tags as bm25 does).
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { Queryable, VectorSupport } from "./schema.ts";

/** A hit: memory pk and id, higher score is better. */
export interface PgHit {
  pk: number;
  id: string;
  score: number;
}

function dimOf(q: ArrayLike<number>): number {
  const d = q.length;
  if (!Number.isInteger(d) || d < 1 || d > 16000) {
    throw new MemoryossError("INVALID_INPUT", `query vector has ${d} dimensions`);
  }
  return d;
}

/**
 * The `k` live (not archived) memories of `namespace` closest to `query` by cosine similarity.
 *
 * @example
 * ```ts
 * const hits = await pgNearest(sql, vectors, "team", new Float32Array([0.1, 0.9]), 5);
 * ```
 */
export async function pgNearest(
  sql: Queryable,
  vectors: VectorSupport,
  namespace: string,
  query: ArrayLike<number>,
  k: number,
): Promise<PgHit[]> {
  const d = dimOf(query);
  const lit = `[${Array.from(query, Number).join(",")}]`;
  if (vectors.column === "vector") {
    // The same expression as the HNSW index (schema.ts), so the planner can use it.
    const rows = await sql.unsafe(
      `SELECT pk, id, 1 - (embedding::vector(${d}) <=> $1::vector(${d})) AS score FROM memories
       WHERE namespace = $2 AND dim = ${d} AND archived = 0 AND embedding IS NOT NULL
       ORDER BY embedding::vector(${d}) <=> $1::vector(${d}) LIMIT $3`,
      [lit, namespace, k],
    );
    return rows.map((r) => ({ pk: Number(r.pk), id: String(r.id), score: Number(r.score) }));
  }
  const rows = await sql.unsafe(
    `SELECT pk, id, embedding FROM memories WHERE namespace = $1 AND dim = ${d} AND archived = 0
     AND embedding IS NOT NULL`,
    [namespace],
  );
  const qn = Math.hypot(...Array.from(query, Number)) || 1;
  return rows.map((r) => {
    const v = r.embedding as number[];
    let dot = 0;
    let n = 0;
    for (let i = 0; i < d; i++) {
      dot += v[i] * query[i];
      n += v[i] * v[i];
    }
    return { pk: Number(r.pk), id: String(r.id), score: dot / (qn * (Math.sqrt(n) || 1)) };
  }).sort((a, b) => b.score - a.score || a.pk - b.pk).slice(0, k);
}

/**
 * Full-text hits in `namespace` for a web-search style query (`deploy -staging "exact phrase"`),
 * ranked with content weighted 1.0 and tags 0.5.
 *
 * @example
 * ```ts
 * const hits = await pgSearchText(sql, "team", "deploy policy", 10);
 * ```
 */
export async function pgSearchText(
  sql: Queryable,
  namespace: string,
  query: string,
  k: number,
): Promise<PgHit[]> {
  const rows = await sql.unsafe(
    `SELECT pk, id, ts_rank('{0, 0, 0.5, 1}', fts, q) AS score
     FROM memories, websearch_to_tsquery('english', $1) AS q
     WHERE namespace = $2 AND fts @@ q
     ORDER BY score DESC, pk LIMIT $3`,
    [query, namespace, k],
  );
  return rows.map((r) => ({ pk: Number(r.pk), id: String(r.id), score: Number(r.score) }));
}
