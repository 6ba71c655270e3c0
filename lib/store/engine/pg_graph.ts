/**
 * Graph edges on Postgres: `memory_edges` of the schema `migrate --to` creates, written with
 * the SQLite store's rules (an automatic edge never replaces a manual one; `detail` sealed),
 * every call bound to a namespace, a batch as one multi-row upsert in one transaction.
 *
 * @module
 */
import type { Sql } from "../postgres/connect.ts";
import type { Edge, EdgeKind, EdgeOrigin } from "../graph_sql.ts";
import { edgeDetailRef, openField, sealField, type StoreEncryption } from "../sealed.ts";
import { param, type PgParams } from "./pg_filter.ts";
import { needNamespace } from "./shared.ts";
import {
  checkedEdges,
  EDGE_COLS,
  edgeConds,
  edgeFromRow,
  type EdgeRow,
  edgeWhere,
  endpoints,
  limitOf,
  needEndpoints,
  type Ph,
} from "./side_shared.ts";
import type { EdgeSelector, GraphEngine } from "./side_types.ts";

/** Parameters and their `$n` placeholder maker. */
export function pgPlaceholders(): { params: PgParams; ph: Ph } {
  const params: PgParams = [];
  return { params, ph: (v) => param(params, v) };
}

const C = 'COLLATE "C"';
const RECORDSET = "src text, dst text, kind text, namespace text, weight double precision, " +
  "origin text, detail text, created_at text";

/** {@link GraphEngine} over a Postgres schema. */
export class PgGraph implements GraphEngine {
  readonly #sql: Sql;
  readonly #enc: StoreEncryption | undefined;
  constructor(sql: Sql, enc: StoreEncryption | undefined) {
    this.#sql = sql;
    this.#enc = enc;
  }

  async add(namespace: string, edges: readonly Edge[]): Promise<void> {
    const rows = checkedEdges(namespace, edges);
    if (rows.length === 0) return;
    const ids = endpoints(rows);
    const json = JSON.stringify(rows.map((e) => ({
      ...e,
      detail: sealField(this.#enc, edgeDetailRef(e), JSON.stringify(e.detail)),
    })));
    await this.#sql.begin(async (t) => {
      const tx = t as unknown as Sql;
      const found = await tx.unsafe(
        "SELECT id FROM memories WHERE namespace = $1 AND id IN " +
          "(SELECT jsonb_array_elements_text($2::text::jsonb))",
        [namespace, JSON.stringify(ids)],
      );
      needEndpoints(namespace, ids, new Set(found.map((r) => String(r.id))));
      await tx.unsafe(
        `INSERT INTO memory_edges (${EDGE_COLS})
         SELECT ${EDGE_COLS} FROM jsonb_to_recordset($1::text::jsonb) AS x(${RECORDSET})
         ON CONFLICT (src, dst, kind) DO UPDATE SET weight = excluded.weight,
           detail = excluded.detail, origin = excluded.origin
         WHERE memory_edges.origin = 'auto' OR excluded.origin = 'manual'`,
        [json],
      );
    });
  }

  async #edges(where: string, params: PgParams, order: string, limit: number | null) {
    const rows = await this.#sql.unsafe(
      `SELECT ${EDGE_COLS} FROM memory_edges WHERE ${where} ORDER BY ${order}` +
        (limit === null ? "" : ` LIMIT ${limit}`),
      params as never[],
    ) as unknown as EdgeRow[];
    return rows.map((r) => edgeFromRow(r, (ref, v) => openField(this.#enc, ref, v)));
  }

  async list(
    namespace: string,
    o: { kinds?: readonly EdgeKind[]; origin?: EdgeOrigin; limit?: number } = {},
  ): Promise<Edge[]> {
    const { params, ph } = pgPlaceholders();
    const w = edgeConds(namespace, { kinds: o.kinds, origin: o.origin }, ph);
    return await this.#edges(w, params, `src ${C}, dst ${C}, kind ${C}`, limitOf(o.limit));
  }

  async neighbours(
    namespace: string,
    ids: readonly string[],
    o: { kinds?: readonly EdgeKind[]; limit?: number } = {},
  ): Promise<Edge[]> {
    needNamespace(namespace);
    if (ids.length === 0) return [];
    const { params, ph } = pgPlaceholders();
    const w = edgeConds(namespace, { touching: ids, kinds: o.kinds }, ph);
    return await this.#edges(
      w,
      params,
      `weight DESC, src ${C}, dst ${C}, kind ${C}`,
      limitOf(o.limit),
    );
  }

  async delete(namespace: string, sel: EdgeSelector): Promise<number> {
    const { params, ph } = pgPlaceholders();
    const w = edgeWhere(namespace, sel, ph);
    const rows = await this.#sql.begin((tx) =>
      (tx as unknown as Sql).unsafe(
        `DELETE FROM memory_edges WHERE ${w} RETURNING 1`,
        params as never[],
      )
    ) as unknown as unknown[];
    return rows.length;
  }

  async counts(namespace: string): Promise<Record<EdgeKind, number>> {
    const rows = await this.#sql.unsafe(
      "SELECT kind, count(*)::bigint AS n FROM memory_edges WHERE namespace = $1 GROUP BY kind",
      [needNamespace(namespace)],
    );
    const out: Record<EdgeKind, number> = { temporal: 0, entity: 0, causal: 0, semantic: 0 };
    for (const r of rows) if (String(r.kind) in out) out[r.kind as EdgeKind] = Number(r.n);
    return out;
  }
}
