/**
 * The Postgres engine: {@link MemoryEngine} on the schema `migrate --to` writes
 * (lib/store/postgres/schema.ts, applied on open), through the pinned `postgres` client. Full
 * text is the `fts` tsvector (GIN) ranked by `ts_rank` (schema.ts, `ftsRankSql`); vectors are
 * pgvector with an HNSW index per dimension when the extension could be created, else `real[]`
 * scored here. Sealed fields are sealed and opened as the SQLite store does (lib/store/sealed.ts).
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { MemoryFilter } from "../filter.ts";
import type { StoredMemory } from "../record.ts";
import { type MemoryRow, RECORD_COLUMNS } from "../rows.ts";
import { recordFromRow, type StoreEncryption } from "../sealed.ts";
import { connectPostgres, parseTarget, type Sql } from "../postgres/connect.ts";
import {
  detectVectors,
  ftsRankSql,
  migratePostgres,
  PG_SCHEMA_VERSION,
  pgCurrentVersion,
  type VectorSupport,
} from "../postgres/schema.ts";
import { param, type PgParams, pgWhere } from "./pg_filter.ts";
import { deleteRows, parseVectorText, writeBatch } from "./pg_write.ts";
import { pgExclusive, pgWatch } from "./pg_jobs.ts";
import { PgGraph } from "./pg_graph.ts";
import { PgActivity, PgKeys } from "./pg_side.ts";
import { PgQueue } from "./pg_queue.ts";
import { VectorCache, type VectorSource } from "./vector_cache.ts";
import { pgFilterPks, pgVectorPages } from "./pg_vectors.ts";
import {
  checkBatch,
  checkedFilter,
  checkScope,
  needNamespace,
  queryDim,
  searchTerms,
  tally,
  topK,
} from "./shared.ts";
import type {
  EngineChanges,
  EngineHit,
  EngineInfo,
  ExclusiveResult,
  ListPage,
  MemoryEngine,
  MemoryWrite,
  NamespaceCounts,
  NamespaceScope,
} from "./types.ts";

/** Options for {@link PostgresEngine.open}. */
export interface PostgresEngineOptions {
  /** Encryption at rest, as for the SQLite store. */
  encryption?: StoreEncryption;
}

const COLS = RECORD_COLUMNS.split(",").map((c) => `m.${c.trim()}`).join(", ");
const C = 'COLLATE "C"';

/** True when this pgvector version has `hnsw.iterative_scan` (0.8.0 and later). */
function iterativeScan(version: string | null): boolean {
  const [major, minor] = (version ?? "").split(".").map(Number);
  return major > 0 || (major === 0 && minor >= 8);
}

/** A scope as SQL: TRUE for "*", else the namespace in the list (one jsonb parameter). */
function scopeParam(scope: NamespaceScope, params: PgParams): string {
  return scope === "*"
    ? "TRUE"
    : `namespace IN (SELECT jsonb_array_elements_text(${
      param(params, JSON.stringify(scope))
    }::text::jsonb))`;
}

/**
 * {@link MemoryEngine} over a Postgres schema.
 *
 * @example
 * ```ts
 * const engine = await PostgresEngine.open("postgres://me@db.local/memory");
 * engine.describe().vectors; // "vector" with pgvector, else "real[]"
 * await engine.close();
 * ```
 */
export class PostgresEngine implements MemoryEngine {
  readonly graph: PgGraph;
  readonly keys: PgKeys;
  readonly queue: PgQueue;
  readonly activity: PgActivity;
  readonly #sql: Sql;
  readonly #info: EngineInfo;
  readonly #vectors: VectorSupport;
  readonly #enc: StoreEncryption | undefined;
  readonly #indexed = new Set<number>();
  readonly #schema: string;
  readonly #jobs = new Set<string>();
  readonly #cache: VectorCache;

  private constructor(
    sql: Sql,
    schema: string,
    info: EngineInfo,
    vectors: VectorSupport,
    enc?: StoreEncryption,
  ) {
    this.#sql = sql;
    this.#schema = schema;
    this.#info = info;
    this.#vectors = vectors;
    this.#enc = enc;
    this.graph = new PgGraph(sql, enc);
    this.keys = new PgKeys(sql);
    this.queue = new PgQueue(sql, enc);
    this.activity = new PgActivity(sql);
    this.#cache = new VectorCache(this.#source());
  }

  /**
   * Connect, create or migrate the schema (`?schema=NAME`, default `memoryoss`; one process at
   * a time under an advisory lock), and detect pgvector. The URL's password never appears in
   * errors or in {@link describe}.
   */
  static async open(url: string, opts: PostgresEngineOptions = {}): Promise<PostgresEngine> {
    const t = parseTarget(url, "storage.url");
    if (t.kind !== "postgres") {
      throw new MemoryossError("INVALID_INPUT", "storage.url must be a postgres:// URL");
    }
    const sql = await connectPostgres(t);
    try {
      await sql.unsafe("SELECT pg_advisory_lock(hashtext('memoryoss:engine-open'))");
      try {
        const have = await pgCurrentVersion(sql, t.schema);
        if (have > PG_SCHEMA_VERSION) {
          throw new MemoryossError(
            "CONFLICT",
            `${t.display} is at Postgres schema v${have}, newer than this memoryoss (v${PG_SCHEMA_VERSION})`,
          );
        }
        await migratePostgres(sql, t.schema);
      } finally {
        await sql.unsafe("SELECT pg_advisory_unlock(hashtext('memoryoss:engine-open'))");
      }
      const vectors = await detectVectors(sql, t.schema);
      const [v] = await sql.unsafe("SHOW server_version");
      const info: EngineInfo = {
        engine: "postgres",
        version: String(v.server_version),
        schema_version: await pgCurrentVersion(sql, t.schema),
        vectors: vectors.column,
        pgvector: vectors.pgvector,
        fts: "tsvector english + GIN, ts_rank (content 1.0, tags 0.5, length-normalised)",
        location: t.display,
      };
      return new PostgresEngine(sql, t.schema, info, vectors, opts.encryption);
    } catch (e) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw e;
    }
  }

  describe(): EngineInfo {
    return { ...this.#info };
  }

  async write(namespace: string, rows: MemoryWrite[]): Promise<number[]> {
    checkBatch(namespace, rows);
    if (rows.length === 0) return [];
    const c = { vectors: this.#vectors, schema: this.#schema, encryption: this.#enc };
    const pks = await this.#sql.begin((tx) =>
      writeBatch(tx as unknown as Sql, c, namespace, rows)
    ) as number[];
    const dims = new Set(rows.flatMap((w) => (w.vector ? [w.vector.embedding.length] : [])));
    for (const d of dims) await this.#hnsw(d);
    return pks;
  }

  /** The HNSW index of dimension `d` (pgvector only; once per process). */
  async #hnsw(d: number): Promise<void> {
    if (this.#vectors.column !== "vector" || this.#indexed.has(d) || d > 2000) return;
    try {
      await this.#sql.unsafe(
        `CREATE INDEX IF NOT EXISTS memories_hnsw_${d} ON memories USING hnsw ` +
          `((embedding::vector(${d})) vector_cosine_ops) WHERE dim = ${d}`,
      );
    } catch { /* another process made it at the same moment; queries work without it */ }
    this.#indexed.add(d);
  }

  async #rows(q: string, params: PgParams): Promise<StoredMemory[]> {
    const rows = await this.#sql.unsafe(q, params as never[]) as unknown as MemoryRow[];
    return rows.map((row) => ({ pk: row.pk, record: recordFromRow(this.#enc, row) }));
  }

  async getById(namespace: string, id: string): Promise<StoredMemory | null> {
    const [m] = await this.#rows(
      `SELECT ${COLS} FROM memories m WHERE m.namespace = $1 AND m.id = $2`,
      [needNamespace(namespace), id],
    );
    return m ?? null;
  }

  async getMany(namespace: string, pks: number[]): Promise<StoredMemory[]> {
    if (pks.length === 0) return [];
    const got = await this.#rows(
      `SELECT ${COLS} FROM memories m WHERE m.namespace = $1 AND m.pk IN ` +
        "(SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)",
      [needNamespace(namespace), JSON.stringify(pks)],
    );
    const byPk = new Map(got.map((m) => [m.pk, m]));
    return pks.flatMap((pk) => byPk.get(pk) ?? []);
  }

  async delete(namespace: string, pks: number[]): Promise<number> {
    needNamespace(namespace);
    if (pks.length === 0) return 0;
    return await this.#sql.begin((tx) =>
      deleteRows(tx as unknown as Sql, this.#schema, namespace, pks)
    ) as number;
  }

  list(filter: MemoryFilter, page: ListPage = { limit: 100 }): Promise<StoredMemory[]> {
    const params: PgParams = [];
    const w = pgWhere(checkedFilter(filter), params);
    const dir = page.order === "oldest" ? "ASC" : "DESC";
    return this.#rows(
      `SELECT ${COLS} FROM memories m WHERE ${w}
       ORDER BY m.created_at ${C} ${dir}, m.id ${C} ${dir}
       LIMIT ${param(params, page.limit)} OFFSET ${param(params, page.offset ?? 0)}`,
      params,
    );
  }

  async count(filter: MemoryFilter): Promise<number> {
    const params: PgParams = [];
    const w = pgWhere(checkedFilter(filter), params);
    const [r] = await this.#sql.unsafe(
      `SELECT count(*)::bigint AS n FROM memories m WHERE ${w}`,
      params as never[],
    );
    return Number(r.n);
  }

  async searchText(filter: MemoryFilter, terms: string[], limit: number): Promise<EngineHit[]> {
    const t = searchTerms(terms);
    if (t.length === 0 || limit <= 0) return [];
    const params: PgParams = [];
    const w = pgWhere(checkedFilter(filter), params);
    const q = t.map((x) => `phraseto_tsquery('english', ${param(params, x)})`).join(" || ");
    const rows = await this.#sql.unsafe(
      `SELECT m.pk, ${ftsRankSql("m.fts", "q.q")} AS score
       FROM memories m, (SELECT ${q} AS q) q
       WHERE ${w} AND m.fts @@ q.q ORDER BY score DESC, m.pk LIMIT ${param(params, limit)}`,
      params as never[],
    );
    return rows.map((r) => ({ pk: Number(r.pk), score: Number(r.score) }));
  }

  async nearest(
    filter: MemoryFilter,
    query: Float32Array,
    k: number,
    opts: { embedderId?: string } = {},
  ): Promise<EngineHit[]> {
    const d = queryDim(query);
    if (k <= 0) return [];
    if (this.#vectors.column === "vector") {
      const params: PgParams = [];
      let w = `${
        pgWhere(checkedFilter(filter), params)
      } AND m.dim = ${d} AND m.embedding IS NOT NULL`;
      if (opts.embedderId !== undefined) {
        w += ` AND m.embedder_id = ${param(params, opts.embedderId)}`;
      }
      // The HNSW index's expression (schema.ts), so the planner can use it.
      const e = `m.embedding::vector(${d})`;
      // As text first: a parameter typed `vector` is a type the client does not know.
      const qv = `${param(params, `[${Array.from(query).join(",")}]`)}::text::vector(${d})`;
      const q = `SELECT m.pk, 1 - (${e} <=> ${qv}) AS score FROM memories m WHERE ${w}
         ORDER BY ${e} <=> ${qv} LIMIT ${param(params, k)}`;
      // pgvector ≥ 0.8 keeps scanning the index until `k` rows pass the filter (a namespace
      // that is a small share of the rows would otherwise get fewer than k).
      const rows = iterativeScan(this.#vectors.pgvector)
        ? await this.#sql.begin(async (tx) => {
          await tx.unsafe("SET LOCAL hnsw.iterative_scan = strict_order");
          return await tx.unsafe(q, params as never[]);
        }) as Record<string, unknown>[]
        : await this.#sql.unsafe(q, params as never[]);
      const hits = rows.map((r) => ({ pk: Number(r.pk), score: Number(r.score) || 0 }));
      return topK(hits, k);
    }
    return this.#cache.nearest(checkedFilter(filter), query, k, opts.embedderId);
  }

  /** What the in-process vector index (`real[]` only) reads. */
  #source(): VectorSource {
    return {
      currentRev: () => this.currentRev(),
      changesSince: (scope, rev) => this.changesSince(scope, rev),
      watch: (onChange) => this.watch(onChange),
      filterPks: (f) => pgFilterPks(this.#sql, f),
      vectorPages: (ns, batch, each) => pgVectorPages(this.#sql, ns, batch, each),
    };
  }

  async currentRev(): Promise<number> {
    const [r] = await this.#sql.unsafe("SELECT value FROM meta WHERE key = 'rev'");
    return Number(r.value);
  }

  async changesSince(scope: NamespaceScope, rev: number): Promise<EngineChanges> {
    checkScope(scope);
    const current = await this.currentRev();
    if (current === rev) return { rev, upserts: [], deletes: [] };
    const params: PgParams = [rev, current];
    const s = scopeParam(scope, params);
    const rows = await this.#sql.unsafe(
      `SELECT pk, id, namespace, status, archived, embedding::text AS v, embedder_id
       FROM memories WHERE rev > $1 AND rev <= $2 AND ${s} ORDER BY rev`,
      params as never[],
    );
    const dels = await this.#sql.unsafe(
      `SELECT pk, id, namespace FROM tombstones WHERE rev > $1 AND rev <= $2 AND ${s} ORDER BY rev`,
      params as never[],
    );
    return {
      rev: current,
      upserts: rows.map((r) => ({
        pk: Number(r.pk),
        id: String(r.id),
        namespace: String(r.namespace),
        status: String(r.status),
        archived: Number(r.archived) === 1,
        embedding: parseVectorText(r.v),
        embedder_id: (r.embedder_id as string | null) ?? null,
      })),
      deletes: dels.map((d) => ({
        pk: Number(d.pk),
        id: String(d.id),
        namespace: String(d.namespace),
      })),
    };
  }

  /** LISTEN for the NOTIFY every write and delete sends (a connection of its own). */
  watch(onChange: (rev: number) => void): Promise<() => Promise<void>> {
    return pgWatch(this.#sql, this.#schema, () => this.currentRev(), onChange);
  }

  /** A session advisory lock on the job's name (pg_try_advisory_lock), released after `fn`. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<ExclusiveResult<T>> {
    return pgExclusive(this.#sql, this.#schema, this.#jobs, name, fn);
  }

  async namespaces(scope: NamespaceScope): Promise<string[]> {
    const params: PgParams = [];
    const s = scopeParam(checkScope(scope), params);
    const rows = await this.#sql.unsafe(
      `SELECT namespace FROM memories WHERE ${s} GROUP BY namespace ORDER BY namespace ${C}`,
      params as never[],
    );
    return rows.map((r) => String(r.namespace));
  }

  async counts(namespace: string): Promise<NamespaceCounts> {
    const rows = await this.#sql.unsafe(
      `SELECT archived, status, count(*)::bigint AS n, count(embedding)::bigint AS v
       FROM memories WHERE namespace = $1 GROUP BY archived, status`,
      [needNamespace(namespace)],
    );
    return tally(
      namespace,
      rows.map((r) => ({
        archived: Number(r.archived) === 1,
        status: String(r.status),
        n: Number(r.n),
        v: Number(r.v),
      })),
    );
  }

  async close(): Promise<void> {
    await this.#cache.close();
    await this.#sql.end({ timeout: 5 });
  }
}
