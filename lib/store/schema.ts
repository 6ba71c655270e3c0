/**
 * Schema and forward migrations. `PRAGMA user_version` holds the applied version; each step
 * runs in its own transaction, so a crash leaves the database at a whole version.
 */
import type { DatabaseSync } from "node:sqlite";
import { dropPages, packVectors, VECTOR_PAGES_SQL } from "./vector_pages.ts";
import { buildKeys, VECTOR_KEYS_SQL } from "./vector_keys.ts";

/** One forward step. Steps are never edited once released; add a new one instead. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** A step SQL alone cannot express, run after `sql` in the same transaction. */
  run?: (db: DatabaseSync) => void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "memories, FTS5 bm25 index, tombstones, meta",
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('rev', '0');
CREATE TABLE memories (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  namespace TEXT NOT NULL,
  content TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  tags_text TEXT NOT NULL DEFAULT '',
  agent TEXT,
  session TEXT,
  memory_type TEXT NOT NULL,
  status TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  source_key TEXT,
  content_hash TEXT,
  confidence REAL,
  evidence_count INTEGER NOT NULL,
  last_verified_at TEXT,
  superseded_by TEXT,
  category TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  extra TEXT NOT NULL DEFAULT '{}',
  embedding BLOB,
  embedder_id TEXT,
  dim INTEGER,
  rev INTEGER NOT NULL
);
CREATE INDEX memories_ns_created ON memories(namespace, created_at);
CREATE INDEX memories_ns_hash ON memories(namespace, content_hash);
CREATE INDEX memories_rev ON memories(rev);
CREATE TABLE tombstones (rev INTEGER PRIMARY KEY, pk INTEGER NOT NULL, id TEXT NOT NULL,
  namespace TEXT NOT NULL);
CREATE VIRTUAL TABLE memories_fts USING fts5(
  content, tags_text, content='memories', content_rowid='pk',
  tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts(rowid, content, tags_text) VALUES (new.pk, new.content, new.tags_text);
END;
CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content, tags_text)
  VALUES ('delete', old.pk, old.content, old.tags_text);
END;
CREATE TRIGGER memories_au AFTER UPDATE OF content, tags_text ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content, tags_text)
  VALUES ('delete', old.pk, old.content, old.tags_text);
  INSERT INTO memories_fts(rowid, content, tags_text) VALUES (new.pk, new.content, new.tags_text);
END;
`,
  },
  {
    version: 2,
    description: "api_keys (hashed HTTP API keys) and activity (recent admin-visible events)",
    sql: `
CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  namespaces TEXT NOT NULL,
  label TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  rotated_to TEXT,
  last_used_at TEXT
);
CREATE TABLE activity (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  namespace TEXT NOT NULL,
  kind TEXT NOT NULL,
  memory_id TEXT,
  actor TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX activity_ns_seq ON activity(namespace, seq);
`,
  },
  {
    version: 3,
    description: "remember_queue (durable remember → drain queue) and remember_decisions (audit)",
    sql: `
CREATE TABLE remember_queue (
  id INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL,
  payload TEXT NOT NULL,
  enqueued_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT,
  claimed_at TEXT,
  done_at TEXT,
  result TEXT,
  error TEXT
);
CREATE INDEX remember_queue_open ON remember_queue(done_at, id);
CREATE TABLE remember_decisions (
  seq INTEGER PRIMARY KEY,
  queue_id INTEGER NOT NULL UNIQUE,
  namespace TEXT NOT NULL,
  action TEXT NOT NULL,
  memory_id TEXT,
  target_id TEXT,
  similarity REAL,
  reason TEXT NOT NULL,
  worker TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX remember_decisions_memory ON remember_decisions(memory_id);
`,
  },
  {
    version: 4,
    description: "memory_edges (memory graph: temporal, entity, causal, semantic links)",
    sql: `
CREATE TABLE memory_edges (
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  kind TEXT NOT NULL,
  namespace TEXT NOT NULL,
  weight REAL NOT NULL,
  origin TEXT NOT NULL DEFAULT 'auto',
  detail TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  UNIQUE (src, dst, kind)
);
CREATE INDEX memory_edges_dst ON memory_edges(dst, kind);
CREATE INDEX memory_edges_ns_kind ON memory_edges(namespace, kind);
CREATE INDEX memories_ns_session_created ON memories(namespace, session, created_at);
`,
  },
  {
    version: 5,
    description: "encryption at rest: FTS index kept by the store (contentless), not by triggers",
    // `content` may now hold ciphertext, so the index can no longer read it from the table: the
    // store writes the plaintext tokens itself (docs/encryption.md). Deletes stay a trigger.
    sql: `
DROP TRIGGER IF EXISTS memories_ai;
DROP TRIGGER IF EXISTS memories_ad;
DROP TRIGGER IF EXISTS memories_au;
DROP TABLE IF EXISTS memories_fts;
CREATE VIRTUAL TABLE memories_fts USING fts5(
  content, tags_text, content='', contentless_delete=1,
  tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO memories_fts(rowid, content, tags_text)
  SELECT pk, content, tags_text FROM memories WHERE content NOT LIKE 'enc1:____________:%';
CREATE TRIGGER memories_fts_ad AFTER DELETE ON memories BEGIN
  DELETE FROM memories_fts WHERE rowid = old.pk;
END;
`,
  },
  {
    version: 6,
    description: "episodes: memory_context (each memory's place in its session, the text of its " +
      "window of neighbours) and its bm25 index; filled for existing memories on next open",
    // The text quotes memory content, so it is sealed like content and indexed by the store
    // (lib/store/context.ts), never by triggers; `memories` is untouched.
    sql: `
CREATE TABLE memory_context (
  pk INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL,
  id TEXT NOT NULL,
  episode TEXT NOT NULL,
  created_at TEXT NOT NULL,
  prev_pk INTEGER,
  next_pk INTEGER,
  turn INTEGER NOT NULL DEFAULT 0,
  src TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX memory_context_order ON memory_context(namespace, episode, created_at, pk);
CREATE VIRTUAL TABLE memory_context_fts USING fts5(
  speaker, own, near, content='', contentless_delete=1,
  tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER memory_context_ad AFTER DELETE ON memories BEGIN
  DELETE FROM memory_context WHERE pk = old.pk;
  DELETE FROM memory_context_fts WHERE rowid = old.pk;
END;
INSERT INTO meta(key, value) SELECT 'context_backfill', '0' WHERE EXISTS (SELECT 1 FROM memories);
`,
  },
  {
    version: 7,
    description: "footprint (issue 21): content hashes as their 32 bytes, not 64 hex " +
      "characters (in the row and again in memories_ns_hash)",
    // Hashes that are not lowercase SHA-256 hex stay text (rows.ts hashToColumn). A vector
    // snapshot file (`<db>-vectors`) from v6 is keyed to schema v6 and rewritten at the next load.
    sql: `
UPDATE memories SET content_hash = unhex(content_hash)
  WHERE length(content_hash) = 64 AND content_hash NOT GLOB '*[^0-9a-f]*';
`,
  },
  {
    version: 8,
    description: "footprint (issue 21): vectors in pages of 64 rows (vector_pages) instead of " +
      "one blob per row, each page's row keys beside it (vector_page_keys), and no vector " +
      "snapshot file beside the database",
    // Whole float32 vectors move, bit for bit, into their pages (lib/store/vector_pages.ts);
    // the row keeps an empty blob as its mark. Damaged blobs stay in the row. Revisions are
    // unchanged: an index loaded before the step still holds the same vectors.
    sql: VECTOR_PAGES_SQL + VECTOR_KEYS_SQL,
    run: (db) => {
      packVectors(db);
      buildKeys(db);
    },
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Versions not yet applied to `db`, oldest first. */
export function pendingMigrations(db: DatabaseSync): Migration[] {
  const current = currentVersion(db);
  return MIGRATIONS.filter((m) => m.version > current);
}

/** The applied schema version (0 for a new file). */
export function currentVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
  return row.user_version;
}

/** Apply pending steps; refuses a database from a newer build instead of guessing. */
export function migrate(db: DatabaseSync): number[] {
  const current = currentVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema v${current} is newer than this memoryoss (v${SCHEMA_VERSION}); upgrade memoryoss`,
    );
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS.filter((m) => m.version > current)) {
    db.exec("BEGIN IMMEDIATE");
    try {
      // Re-check inside the lock: another process may have migrated meanwhile.
      if (currentVersion(db) >= m.version) {
        db.exec("COMMIT");
        continue;
      }
      db.exec(m.sql);
      m.run?.(db);
      db.exec(`PRAGMA user_version = ${m.version}`);
      db.exec("COMMIT");
      applied.push(m.version);
    } catch (e) {
      dropPages(db);
      db.exec("ROLLBACK");
      throw e;
    }
  }
  return applied;
}
