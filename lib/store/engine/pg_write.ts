/**
 * The Postgres engine's writes: a batch in one transaction (the revision counter taken first,
 * so writers queue on one row and revisions commit in order), inserts as one multi-row
 * statement, updates bound to the batch's namespace, deletes leaving tombstones. Each sends the
 * change notification (pg_jobs.ts) in its transaction, so listeners hear of it when it commits.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { Sql } from "../postgres/connect.ts";
import { ftsVectorSql, type VectorSupport } from "../postgres/schema.ts";
import { recordToParams } from "../rows.ts";
import { notifyChange } from "./pg_jobs.ts";
import { ftsIndexed, sealParams, type StoreEncryption } from "../sealed.ts";
import type { EngineVector, MemoryWrite } from "./types.ts";

/** Columns written from a record (all but pk), with their Postgres types. */
const COLS: [string, string][] = [
  ["id", "text"],
  ["namespace", "text"],
  ["content", "text"],
  ["tags", "text"],
  ["tags_text", "text"],
  ["agent", "text"],
  ["session", "text"],
  ["memory_type", "text"],
  ["status", "text"],
  ["archived", "bigint"],
  ["version", "bigint"],
  ["created_at", "text"],
  ["updated_at", "text"],
  ["source_key", "text"],
  ["content_hash", "text"],
  ["confidence", "double precision"],
  ["evidence_count", "bigint"],
  ["last_verified_at", "text"],
  ["superseded_by", "text"],
  ["category", "text"],
  ["metadata", "text"],
  ["extra", "text"],
];

/** Extra recordset columns: the vector's text, its embedder and size, revision, FTS source. */
const EXTRA: [string, string][] = [
  ["pk", "bigint"],
  ["rev", "bigint"],
  ["has_vec", "boolean"],
  ["emb", "text"],
  ["embedder_id", "text"],
  ["dim", "bigint"],
  ["fts_src", "text"],
];

const RECORDSET = [...COLS, ...EXTRA].map(([c, t]) => `${c} ${t}`).join(", ");

/**
 * Postgres text of a vector: `[…]` for pgvector, `{…}` for real[]. Nine significant digits
 * name every float32 exactly (the server's float4 parser rounds back to the same value) and
 * take about two thirds of the text of a double's shortest form: less to send and to parse.
 */
export function vectorText(v: Float32Array, column: VectorSupport["column"]): string {
  const parts = Array.from(v, (x) => (Object.is(x, -0) ? "-0" : x.toPrecision(9)));
  return column === "vector" ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}

/** A vector from its Postgres text (`[…]` or `{…}`), or null. */
export function parseVectorText(text: unknown): Float32Array | null {
  if (typeof text !== "string" || text.length < 2) return null;
  const inner = text.slice(1, -1).trim();
  if (!inner) return null;
  try {
    // Finite values are JSON numbers, and JSON.parse reads them about twice as fast.
    return new Float32Array(JSON.parse(`[${inner}]`));
  } catch {
    return new Float32Array(inner.split(",").map(Number)); // NaN, Infinity
  }
}

/** The writer's context. */
export interface WriteContext {
  vectors: VectorSupport;
  /** The Postgres schema (named in the change notification). */
  schema: string;
  encryption?: StoreEncryption;
}

/** One row of the jsonb recordset: sealed as the store seals, with its FTS plaintext. */
function rowParams(
  c: WriteContext,
  w: MemoryWrite,
  rev: number,
): Record<string, unknown> {
  const p: Record<string, unknown> = recordToParams(w.record);
  const sealed = sealParams(c.encryption, w.record, p as Record<string, string | number | null>);
  const v: EngineVector | undefined = w.vector;
  return {
    ...p,
    pk: w.op === "update" ? w.pk : null,
    rev,
    has_vec: Boolean(v),
    emb: v ? vectorText(v.embedding, c.vectors.column) : null,
    embedder_id: v?.embedderId ?? null,
    dim: v?.embedding.length ?? null,
    fts_src: ftsIndexed(c.encryption, sealed) ? w.record.content : null,
  };
}

const FTS = ftsVectorSql("r.fts_src", "r.tags_text");

function insertSql(col: string): string {
  const names = COLS.map(([n]) => n);
  return `INSERT INTO memories (${names.join(", ")}, embedder_id, dim, rev, embedding, fts)
    SELECT ${names.map((n) => `r.${n}`).join(", ")}, r.embedder_id, r.dim, r.rev,
      r.emb::${col}, ${FTS}
    FROM jsonb_to_recordset($1::text::jsonb) AS r(${RECORDSET}) RETURNING pk, id`;
}

function updateSql(col: string): string {
  const sets = COLS.filter(([n]) => n !== "namespace").map(([n]) => `${n} = r.${n}`);
  const keep = (c: string, v: string) => `${c} = CASE WHEN r.has_vec THEN ${v} ELSE m.${c} END`;
  sets.push(
    "rev = r.rev",
    keep("embedding", `r.emb::${col}`),
    keep("embedder_id", "r.embedder_id"),
    keep("dim", "r.dim"),
    keep("embedding_raw", "NULL"),
    `fts = ${FTS}`,
  );
  return `UPDATE memories m SET ${sets.join(", ")}
    FROM jsonb_to_recordset($1::text::jsonb) AS r(${RECORDSET})
    WHERE m.pk = r.pk AND m.namespace = r.namespace RETURNING m.pk`;
}

/** Take `n` revisions (the counter row stays locked until commit); returns the first. */
export async function takeRevs(tx: Sql, n: number): Promise<number> {
  const [r] = await tx.unsafe(
    "UPDATE meta SET value = (value::bigint + $1)::text WHERE key = 'rev' RETURNING value",
    [n],
  );
  return Number(r.value) - n + 1;
}

/** Write a batch inside `tx`; returns the pks in batch order. */
export async function writeBatch(
  tx: Sql,
  c: WriteContext,
  namespace: string,
  rows: MemoryWrite[],
): Promise<number[]> {
  const first = await takeRevs(tx, rows.length);
  const params = rows.map((w, i) => rowParams(c, w, first + i));
  const out = new Array<number>(rows.length);
  const ins = rows.flatMap((w, i) => (w.op === "insert" ? [i] : []));
  if (ins.length) {
    // Named before the insert (the unique index still guards a race with another writer).
    const [dup] = await tx.unsafe(
      "SELECT id FROM memories WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb)) LIMIT 1",
      [JSON.stringify(ins.map((i) => rows[i].record.id))],
    );
    if (dup) throw new MemoryossError("CONFLICT", `memory ${dup.id} already exists`);
    const res = await run(tx, insertSql(c.vectors.column), ins.map((i) => params[i]));
    const byId = new Map(res.map((r) => [String(r.id), Number(r.pk)]));
    for (const i of ins) out[i] = byId.get(rows[i].record.id)!;
  }
  const upd = updateSql(c.vectors.column);
  for (const [i, w] of rows.entries()) {
    if (w.op !== "update") continue;
    const res = await run(tx, upd, [params[i]]);
    if (res.length === 0) {
      throw new MemoryossError("NOT_FOUND", `no memory pk ${w.pk} in ${namespace}`);
    }
    out[i] = w.pk;
  }
  await notifyChange(tx, c.schema, first + rows.length - 1);
  return out;
}

async function run(tx: Sql, q: string, rows: Record<string, unknown>[]) {
  try {
    return await tx.unsafe(q, [JSON.stringify(rows)]);
  } catch (e) {
    const err = e as { code?: string; detail?: string; message?: string };
    if (err.code === "23505") {
      const id = /\(id\)=\((.*)\)/.exec(err.detail ?? "")?.[1];
      throw new MemoryossError("CONFLICT", `memory ${id ?? "(id)"} already exists`);
    }
    if (err.code === "22P05" || err.code === "22021") {
      throw new MemoryossError("INVALID_INPUT", "text Postgres cannot store (a NUL character?)");
    }
    throw e;
  }
}

/** Delete rows of `namespace` inside `tx`, leaving tombstones; returns rows deleted. */
export async function deleteRows(
  tx: Sql,
  schema: string,
  namespace: string,
  pks: number[],
): Promise<number> {
  // The revision row first, as writes take it: the same lock order, no deadlock.
  await tx.unsafe("SELECT value FROM meta WHERE key = 'rev' FOR UPDATE");
  const gone = await tx.unsafe(
    "DELETE FROM memories WHERE namespace = $1 AND pk IN " +
      "(SELECT jsonb_array_elements_text($2::text::jsonb)::bigint) RETURNING pk, id",
    [namespace, JSON.stringify(pks)],
  );
  if (gone.length === 0) return 0;
  const first = await takeRevs(tx, gone.length);
  const tombs = gone.map((g, i) => ({ rev: first + i, pk: Number(g.pk), id: String(g.id) }));
  await tx.unsafe(
    `INSERT INTO tombstones (rev, pk, id, namespace)
     SELECT r.rev, r.pk, r.id, $2 FROM jsonb_to_recordset($1::text::jsonb) AS r(rev bigint, pk bigint, id text)`,
    [JSON.stringify(tombs), namespace],
  );
  await notifyChange(tx, schema, first + gone.length - 1);
  return gone.length;
}
