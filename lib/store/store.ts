/**
 * The SQLite store: one file, WAL, short IMMEDIATE transactions so several processes (serve,
 * MCP servers, hooks, CLI) can write the same home without losing a write.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import type { MemoryRecord, StoredMemory } from "./record.ts";
import { type MemoryFilter, whereFor } from "./filter.ts";
import { migrate } from "./schema.ts";
import { ftsHealthOf, type FtsHit, ftsSearch, rebuildFtsIndex } from "./fts.ts";
import { type ChangeSet, vectorChanges } from "./vectors.ts";
import { dropPages, flushPages, IN_PAGES, leaveOldPage, putVector } from "./vector_pages.ts";
import { refreshKeys } from "./vector_keys.ts";
import {
  contextOnDelete,
  contextOnInsert,
  contextOnUpdate,
  dropContext,
  flushContext,
} from "./context.ts";
import { backfillContext, rebuildContextFts } from "./context_fill.ts";
import {
  followActiveKey,
  ftsIndexed,
  openField,
  recordFromRow,
  sealField,
  sealParams,
  type StoreEncryption,
} from "./sealed.ts";
import {
  type ColumnValue,
  hashForms,
  type MemoryRow,
  RECORD_COLUMNS,
  recordToParams,
} from "./rows.ts";

/** Options for {@link Store.open}. */
export interface StoreOptions {
  busyTimeoutMs?: number;
  readOnly?: boolean;
  /** Encryption at rest; without it rows are written plain and sealed rows cannot be read. */
  encryption?: StoreEncryption;
}

const UPSERT_COLS = [
  "id",
  "namespace",
  "content",
  "tags",
  "tags_text",
  "agent",
  "session",
  "memory_type",
  "status",
  "archived",
  "version",
  "created_at",
  "updated_at",
  "source_key",
  "content_hash",
  "confidence",
  "evidence_count",
  "last_verified_at",
  "superseded_by",
  "category",
  "metadata",
  "extra",
];

/** The store. Not shared between threads; each process opens its own. */
export class Store {
  readonly db: DatabaseSync;
  readonly path: string;
  readonly encryption: StoreEncryption | undefined;
  #inTx = false;
  /** The revision as this transaction bumped it (written once, before COMMIT), or null. */
  #txRev: number | null = null;
  #statements = new Map<string, StatementSync>();

  private constructor(db: DatabaseSync, path: string, encryption?: StoreEncryption) {
    this.db = db;
    this.path = path;
    this.encryption = encryption;
  }

  /** Open (creating and migrating when needed) the database at `path`. */
  static open(path: string, opts: StoreOptions = {}): Store {
    let db: DatabaseSync;
    try {
      if (!opts.readOnly) Deno.mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path, { readOnly: opts.readOnly ?? false });
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 10000))}`);
      if (!opts.readOnly) {
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
        migrate(db);
      }
    } catch (e) {
      if (e instanceof MemoryossError) throw e;
      throw new MemoryossError("IO", `cannot open database ${path}: ${(e as Error).message}`);
    }
    const store = new Store(db, path, opts.encryption);
    // Homes from before episodes (schema v6) get their memories' windows once.
    if (!opts.readOnly) backfillContext(store);
    return store;
  }

  /**
   * A prepared statement, cached by its SQL text: preparing costs more than running the small
   * queries the write path issues per memory.
   */
  prepare(sql: string): StatementSync {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(sql, st);
    }
    return st;
  }

  close(): void {
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }

  /**
   * Run `fn` in one IMMEDIATE transaction (takes the write lock up front, so `busy_timeout`
   * applies and no deadlock-on-upgrade can happen). Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    if (this.#inTx) return fn();
    this.db.exec("BEGIN IMMEDIATE");
    this.#inTx = true;
    try {
      const out = fn();
      flushContext(this); // episode windows this transaction touched (context.ts)
      flushPages(this.db); // vector pages it changed (vector_pages.ts)
      refreshKeys(this.db); // and the row keys of pages whose rows changed (vector_keys.ts)
      const rev = this.#txRev; // written once per transaction, not per row (was 2 % of import)
      if (rev !== null) this.prepare("UPDATE meta SET value = ? WHERE key = 'rev'").run(`${rev}`);
      this.db.exec("COMMIT");
      return out;
    } catch (e) {
      dropContext(this);
      dropPages(this.db);
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw e;
    } finally {
      this.#inTx = false;
      this.#txRev = null;
    }
  }

  /** The latest revision committed by any process (or bumped by this transaction). */
  currentRev(): number {
    if (this.#txRev !== null) return this.#txRev;
    const row = this.prepare("SELECT value FROM meta WHERE key = 'rev'").get();
    return Number((row as { value: string }).value);
  }

  #bumpRev(): number {
    return this.#txRev = (this.#txRev ?? this.currentRev()) + 1;
  }

  /** Insert a new record (and its vector); returns its pk. */
  insert(r: MemoryRecord, vec?: { embedding: Float32Array; embedderId: string }): number {
    return this.transaction(() => {
      const rev = this.#bumpRev();
      const p = recordToParams(r);
      const sealed = this.#seal(r, p);
      const cols = [...UPSERT_COLS, "embedding", "embedder_id", "dim", "rev"];
      const values: SQLInputValue[] = [
        ...UPSERT_COLS.map((c) => p[c]),
        vec ? IN_PAGES : null,
        vec?.embedderId ?? null,
        vec?.embedding.length ?? null,
        rev,
      ];
      const res = this.prepare(
        `INSERT INTO memories (${cols.join(",")}) VALUES (${cols.map(() => "?").join(",")})`,
      ).run(...values);
      const pk = Number(res.lastInsertRowid);
      if (vec) putVector(this.db, pk, vec.embedding);
      this.#ftsPut(pk, r.content, String(p.tags_text), sealed, false);
      contextOnInsert(this, pk, r);
      return pk;
    });
  }

  /** Rewrite a record's fields (and optionally its vector). */
  update(pk: number, r: MemoryRecord, vec?: { embedding: Float32Array; embedderId: string }): void {
    this.transaction(() => {
      const rev = this.#bumpRev();
      const p = recordToParams(r);
      const sealed = this.#seal(r, p);
      const sets = UPSERT_COLS.map((c) => `${c} = ?`);
      const values: SQLInputValue[] = UPSERT_COLS.map((c) => p[c]);
      if (vec) {
        sets.push("embedding = ?", "embedder_id = ?", "dim = ?");
        values.push(IN_PAGES, vec.embedderId, vec.embedding.length);
        leaveOldPage(this.db, pk, vec.embedding.length);
      }
      sets.push("rev = ?");
      values.push(rev, pk);
      const res = this.prepare(`UPDATE memories SET ${sets.join(", ")} WHERE pk = ?`).run(
        ...values,
      );
      if (vec && res.changes) putVector(this.db, pk, vec.embedding);
      this.#ftsPut(pk, r.content, String(p.tags_text), sealed, true);
      contextOnUpdate(this, pk, r);
    });
  }

  /**
   * Seal a row's parameters. Inside the write transaction, so a rotation in another process
   * (which records the new active key in `meta` after writing the keyring) is seen first.
   */
  #seal(r: MemoryRecord, p: Record<string, ColumnValue>): boolean {
    const c = this.encryption?.cipher;
    if (c && this.encryption?.enabled) followActiveKey((sql) => this.prepare(sql), c);
    return sealParams(this.encryption, r, p);
  }

  /**
   * Seal a value kept outside `memories` that quotes memory text (a graph edge's detail, a
   * queued fact); plain when encryption is off. Call inside the write transaction. `early`: the
   * same value sealed before it (sealed.ts `sealFieldAsync`), kept while its key is active.
   */
  sealValue(
    ref: { namespace: string; id: string; field: string },
    text: string,
    early?: string,
  ): string {
    const c = this.encryption?.cipher;
    if (c && this.encryption?.enabled) followActiveKey((sql) => this.prepare(sql), c);
    return sealField(this.encryption, ref, text, early);
  }

  /** Open a value written by {@link sealValue} (plain values pass through). */
  openValue(ref: { namespace: string; id: string; field: string }, value: string): string {
    return openField(this.encryption, ref, value);
  }

  /** Keep the FTS index in step with a written row (plaintext tokens; see docs/encryption.md). */
  #ftsPut(pk: number, content: string, tagsText: string, sealed: boolean, replace: boolean): void {
    if (replace) this.prepare("DELETE FROM memories_fts WHERE rowid = ?").run(pk);
    if (!ftsIndexed(this.encryption, sealed)) return;
    this.prepare("INSERT INTO memories_fts(rowid, content, tags_text) VALUES (?, ?, ?)")
      .run(pk, content, tagsText);
  }

  /** A record from a row, opening sealed fields. */
  #record(row: MemoryRow): MemoryRecord {
    return recordFromRow(this.encryption, row);
  }

  /** Replace only the vector (re-embedding); the record's version is unchanged. */
  setEmbedding(pk: number, embedding: Float32Array, embedderId: string): void {
    this.transaction(() => {
      const rev = this.#bumpRev();
      leaveOldPage(this.db, pk, embedding.length);
      const res = this.prepare(
        "UPDATE memories SET embedding = ?, embedder_id = ?, dim = ?, rev = ? WHERE pk = ?",
      )
        .run(IN_PAGES, embedderId, embedding.length, rev, pk);
      if (res.changes) putVector(this.db, pk, embedding);
    });
  }

  /** Hard-delete rows, leaving tombstones (pk and id only) so indexes in other processes catch up. */
  deleteByPks(pks: number[]): number {
    if (pks.length === 0) return 0;
    return this.transaction(() => {
      const sel = this.prepare("SELECT id, namespace FROM memories WHERE pk = ?");
      const del = this.prepare("DELETE FROM memories WHERE pk = ?");
      const tomb = this.prepare(
        "INSERT INTO tombstones (rev, pk, id, namespace) VALUES (?, ?, ?, ?)",
      );
      let n = 0;
      for (const pk of pks) {
        const row = sel.get(pk) as { id: string; namespace: string } | undefined;
        if (!row) continue;
        contextOnDelete(this, pk);
        leaveOldPage(this.db, pk, null);
        del.run(pk);
        tomb.run(this.#bumpRev(), pk, row.id, row.namespace);
        n++;
      }
      return n;
    });
  }

  /** One memory by id, in any namespace (callers check the namespace). */
  getById(id: string): StoredMemory | null {
    const row = this.prepare(`SELECT ${RECORD_COLUMNS} FROM memories WHERE id = ?`).get(id) as
      | MemoryRow
      | undefined;
    return row ? { pk: row.pk, record: this.#record(row) } : null;
  }

  /** Records for pks, in the order given (missing ones skipped). */
  getMany(pks: number[]): StoredMemory[] {
    const out: StoredMemory[] = [];
    const byPk = new Map<number, StoredMemory>();
    for (let i = 0; i < pks.length; i += 500) {
      const chunk = pks.slice(i, i + 500);
      const rows = this.prepare(
        `SELECT ${RECORD_COLUMNS} FROM memories WHERE pk IN (${chunk.map(() => "?").join(",")})`,
      ).all(...chunk) as unknown as MemoryRow[];
      for (const row of rows) byPk.set(row.pk, { pk: row.pk, record: this.#record(row) });
    }
    for (const pk of pks) {
      const m = byPk.get(pk);
      if (m) out.push(m);
    }
    return out;
  }

  /** Memories matching a filter, newest first unless `order` says otherwise. */
  list(
    f: MemoryFilter,
    page: { limit: number; offset?: number; order?: "newest" | "oldest" } = { limit: 100 },
  ): StoredMemory[] {
    const w = whereFor(f);
    const dir = page.order === "oldest" ? "ASC" : "DESC";
    const rows = this.prepare(
      `SELECT ${RECORD_COLUMNS} FROM memories WHERE ${w.sql} ORDER BY created_at ${dir}, id ${dir} LIMIT ? OFFSET ?`,
    ).all(...w.params, page.limit, page.offset ?? 0) as unknown as MemoryRow[];
    return rows.map((row) => ({ pk: row.pk, record: this.#record(row) }));
  }

  /** pks matching a filter. */
  pks(f: MemoryFilter): number[] {
    const w = whereFor(f);
    const rows = this.prepare(`SELECT pk FROM memories WHERE ${w.sql}`).all(...w.params) as {
      pk: number;
    }[];
    return rows.map((r) => r.pk);
  }

  count(f: MemoryFilter): number {
    const w = whereFor(f);
    const row = this.prepare(`SELECT count(*) AS n FROM memories WHERE ${w.sql}`).get(
      ...w.params,
    ) as { n: number };
    return row.n;
  }

  /**
   * The first live (non-archived) memory with this content hash in the namespace that `accept`
   * takes: the same words may be stored once per conversation, so the caller says which counts.
   */
  findByHash(
    namespace: string,
    hash: string,
    accept: (m: StoredMemory) => boolean = () => true,
  ): StoredMemory | null {
    const rows = this.prepare(
      `SELECT ${RECORD_COLUMNS} FROM memories WHERE namespace = ? AND content_hash IN (?, ?) AND archived = 0 ORDER BY pk`,
    ).all(namespace, ...hashForms(hash)) as unknown as MemoryRow[]; // cheaper than iterate()
    for (const row of rows) {
      const m = { pk: row.pk, record: this.#record(row) };
      if (accept(m)) return m;
    }
    return null;
  }

  /**
   * bm25 search restricted by `filter` before ranking, so other namespaces never take top-k
   * slots. `match` is an FTS5 query expression built by the caller.
   */
  fts(match: string, filter: MemoryFilter, limit: number): FtsHit[] {
    return ftsSearch(this, match, filter, limit);
  }

  /** Vectors of rows changed after `rev`, and pks deleted after it (vectors.ts). */
  changesSince(rev: number): ChangeSet {
    return vectorChanges(this, rev);
  }

  /** The FTS index against the table (rows, documents, FTS5's integrity check): doctor, health. */
  ftsHealth(): ReturnType<typeof ftsHealthOf> {
    return ftsHealthOf(this);
  }

  /**
   * Rebuild the FTS index from the table (opening sealed rows), and the episode windows' index
   * from their texts; returns memory rows indexed.
   */
  rebuildFts(): number {
    return this.transaction(() => {
      rebuildContextFts(this);
      return rebuildFtsIndex(this);
    });
  }
}
