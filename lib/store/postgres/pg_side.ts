/**
 * The Postgres end of a copy: a page of rows goes in as one statement (one jsonb parameter,
 * `jsonb_to_recordset`), upserted so equal rows are left alone and re-runs change nothing.
 * Vectors become pgvector or real[] values; blobs neither can hold stay bytes (`embedding_raw`).
 *
 * @module
 */
import { toHex } from "../../crypto/mod.ts";
import { MemoryossError } from "../../errors/mod.ts";
import { looksSealed } from "../sealed.ts";
import type { Sql } from "./connect.ts";
import { ftsVectorSql, type VectorSupport } from "./schema.ts";
import type { Row, Written } from "./sqlite_side.ts";
import { bareType, type TableSpec } from "./tables.ts";

/** Postgres text of a float32 blob (`[1,2]` for vector, `{1,2}` for real[]), or null. */
export function blobToVectorText(b: Uint8Array, column: VectorSupport["column"]): string | null {
  if (b.byteLength === 0 || b.byteLength % 4 !== 0) return null;
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  const v = new Float32Array(copy.buffer);
  const parts: string[] = [];
  for (const x of v) {
    // -0 keeps its sign bit through the text form only when spelled out.
    if (!Number.isFinite(x)) return null;
    parts.push(Object.is(x, -0) ? "-0" : String(x));
  }
  return column === "vector" ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}

/** A float32 blob from Postgres vector text (`[…]` or `{…}`). */
export function vectorTextToBlob(text: string): Uint8Array {
  const inner = text.slice(1, -1).trim();
  const v = new Float32Array(inner ? inner.split(",").map(Number) : []);
  return new Uint8Array(v.buffer);
}

/** Extra per-row inputs for memories: vector text, raw bytes, plaintext for the FTS column. */
export interface MemoryExtras {
  ftsSource: (row: Row) => string | null;
  vectors: VectorSupport;
}

/** The page as the jsonb parameter (the client serializes it for the jsonb type). */
function recordset(t: TableSpec, rows: Row[], extras?: MemoryExtras): Record<string, unknown>[] {
  const cols = Object.keys(t.columns);
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const c of cols) o[c] = r[c];
    if (extras) {
      const blob = r.embedding as Uint8Array | null;
      const text = blob ? blobToVectorText(blob, extras.vectors.column) : null;
      o.embedding_text = text;
      o.embedding_raw_hex = blob && text === null ? toHex(blob) : null;
      o.fts_src = extras.ftsSource(r);
    }
    if (t.name === "memory_context") o.fts_src = ftsOfContext(r);
    return o;
  });
}

/** Window text is indexed when it is plain (sealed windows are left out of the index). */
function ftsOfContext(r: Row): string | null {
  const text = String(r.text ?? "");
  return looksSealed(text) ? null : text;
}

function upsertSql(t: TableSpec, vectors?: VectorSupport): string {
  const cols = Object.keys(t.columns);
  const defs = cols.map((c) => `${c} ${bareType(t.columns[c])}`);
  const sel = cols.map((c) => `r.${c}`);
  const all = [...cols];
  if (t.name === "memories") {
    defs.push("embedding_text text", "embedding_raw_hex text", "fts_src text");
    sel.push(
      `r.embedding_text::${vectors!.column}`,
      "decode(r.embedding_raw_hex, 'hex')",
      ftsVectorSql("r.fts_src", "r.tags_text"),
    );
    all.push("embedding", "embedding_raw", "fts");
  }
  if (t.name === "memory_context") {
    defs.push("fts_src text");
    sel.push("CASE WHEN r.fts_src IS NULL THEN NULL ELSE to_tsvector('english', r.fts_src) END");
    all.push("fts");
  }
  const rest = all.filter((c) => !t.key.includes(c));
  return `INSERT INTO ${t.name} (${all.join(", ")})
    SELECT ${sel.join(", ")} FROM jsonb_to_recordset($1::jsonb) AS r(${defs.join(", ")})
    ON CONFLICT (${t.key.join(", ")}) DO UPDATE SET ${
    rest.map((c) => `${c} = excluded.${c}`).join(", ")
  }
    WHERE (${rest.map((c) => `${t.name}.${c}`).join(", ")}) IS DISTINCT FROM
          (${rest.map((c) => `excluded.${c}`).join(", ")})
    RETURNING (xmax = 0) AS inserted`;
}

/**
 * Upsert a page into Postgres. A memory whose pk holds another id there is a CONFLICT, as is
 * any unique key clash; the copy never overwrites a different memory.
 */
export async function pgUpsert(
  q: Sql,
  t: TableSpec,
  rows: Row[],
  extras?: MemoryExtras,
): Promise<Written> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  if (t.name === "memories") {
    const pks = rows.map((r) => r.pk);
    const have = await q.unsafe(
      "SELECT pk, id FROM memories WHERE pk IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint)",
      [pks as never],
    );
    const byPk = new Map(rows.map((r) => [Number(r.pk), String(r.id)]));
    for (const h of have) {
      if (byPk.get(Number(h.pk)) !== h.id) {
        throw new MemoryossError(
          "CONFLICT",
          `target memory pk ${h.pk} is ${h.id}, not ${
            byPk.get(Number(h.pk))
          }: copy into a new schema`,
        );
      }
    }
  }
  let res;
  try {
    res = await q.unsafe(upsertSql(t, extras?.vectors), [recordset(t, rows, extras) as never]);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === "23505") throw new MemoryossError("CONFLICT", `${t.name}: ${err.message}`);
    if (err.code === "22P05" || err.code === "22021") {
      // Postgres text cannot hold a NUL character; SQLite text can.
      throw new MemoryossError(
        "CONFLICT",
        `${t.name}: a row holds text Postgres cannot store (a NUL character?): ${err.message}`,
      );
    }
    throw e;
  }
  const inserted = res.filter((r) => r.inserted).length;
  return { inserted, updated: res.length - inserted };
}

/** Pages of a Postgres table in key order, as SQLite rows (memories with their vector blob). */
export async function* pgPages(q: Sql, t: TableSpec, batch: number): AsyncGenerator<Row[]> {
  const cols = Object.keys(t.columns);
  const sel = t.name === "memories"
    ? [...cols, "embedding::text AS embedding_text", "embedding_raw"]
    : cols;
  const keys = t.key.join(", ");
  let last: unknown[] | null = null;
  for (;;) {
    const where = last ? `WHERE (${keys}) > (${t.key.map((_, i) => `$${i + 2}`).join(", ")})` : "";
    const rows: Record<string, unknown>[] = await q.unsafe(
      `SELECT ${sel.join(", ")} FROM ${t.name} ${where} ORDER BY ${keys} LIMIT $1`,
      [batch, ...(last ?? [])] as never[],
    );
    if (rows.length === 0) return;
    const out: Row[] = rows.map((r) => {
      const o: Row = {};
      for (const c of cols) o[c] = r[c] as Row[string];
      if (t.name === "memories") {
        o.embedding = r.embedding_raw
          ? new Uint8Array(r.embedding_raw as Uint8Array)
          : r.embedding_text
          ? vectorTextToBlob(String(r.embedding_text))
          : null;
      }
      return o;
    });
    last = t.key.map((k) => rows[rows.length - 1][k]);
    yield out;
    if (rows.length < batch) return;
  }
}
