/**
 * The tables copied between engines, with their Postgres column types. Column names and order
 * are those of the SQLite schema (lib/store/schema.ts); `copy` checks the SQLite side against
 * them first, so a SQLite schema step that adds a column stops the copy instead of dropping it.
 *
 * @module
 */

/** One copied table. */
export interface TableSpec {
  name: string;
  /** Conflict key (primary or unique). */
  key: string[];
  /** Column → Postgres type, in SQLite column order. */
  columns: Record<string, string>;
  /** Identity column whose sequence is moved past the copied rows in Postgres. */
  identity?: string;
}

const T = "text";
const TN = "text NOT NULL";
const B = "bigint";
const BN = "bigint NOT NULL";
const F = "double precision";

/** The `memories` columns without `embedding` (handled apart: pgvector, real[] or raw bytes). */
export const MEMORY_COLUMNS: Record<string, string> = {
  pk: BN,
  id: TN,
  namespace: TN,
  content: TN,
  tags: TN,
  tags_text: TN,
  agent: T,
  session: T,
  memory_type: TN,
  status: TN,
  archived: BN,
  version: BN,
  created_at: TN,
  updated_at: TN,
  source_key: T,
  content_hash: T,
  confidence: F,
  evidence_count: BN,
  last_verified_at: T,
  superseded_by: T,
  category: T,
  metadata: TN,
  extra: TN,
  embedder_id: T,
  dim: B,
  rev: BN,
};

/**
 * Every copied table, in copy order: memories first, so a target holding another home's memories
 * stops the copy (CONFLICT) before anything else is written.
 */
export const TABLES: TableSpec[] = [
  { name: "memories", key: ["pk"], columns: MEMORY_COLUMNS, identity: "pk" },
  { name: "meta", key: ["key"], columns: { key: TN, value: TN } },
  { name: "tombstones", key: ["rev"], columns: { rev: BN, pk: BN, id: TN, namespace: TN } },
  {
    name: "api_keys",
    key: ["key_id"],
    columns: {
      key_id: TN,
      hash: TN,
      role: TN,
      namespaces: TN,
      label: T,
      created_at: TN,
      expires_at: T,
      revoked_at: T,
      rotated_to: T,
      last_used_at: T,
    },
  },
  {
    name: "activity",
    key: ["seq"],
    identity: "seq",
    columns: {
      seq: BN,
      at: TN,
      namespace: TN,
      kind: TN,
      memory_id: T,
      actor: T,
      detail: TN,
    },
  },
  {
    name: "remember_queue",
    key: ["id"],
    identity: "id",
    columns: {
      id: BN,
      namespace: TN,
      payload: TN,
      enqueued_at: TN,
      attempts: BN,
      claimed_by: T,
      claimed_at: T,
      done_at: T,
      result: T,
      error: T,
    },
  },
  {
    name: "remember_decisions",
    key: ["seq"],
    identity: "seq",
    columns: {
      seq: BN,
      queue_id: BN,
      namespace: TN,
      action: TN,
      memory_id: T,
      target_id: T,
      similarity: F,
      reason: TN,
      worker: TN,
      at: TN,
    },
  },
  {
    name: "memory_edges",
    key: ["src", "dst", "kind"],
    columns: {
      src: TN,
      dst: TN,
      kind: TN,
      namespace: TN,
      weight: "double precision NOT NULL",
      origin: TN,
      detail: TN,
      created_at: TN,
    },
  },
  {
    name: "memory_context",
    key: ["pk"],
    columns: {
      pk: BN,
      namespace: TN,
      id: TN,
      episode: TN,
      created_at: TN,
      prev_pk: B,
      next_pk: B,
      turn: BN,
      src: TN,
      text: TN,
    },
  },
];

/** A table's spec by name. */
export function tableSpec(name: string): TableSpec {
  const t = TABLES.find((t) => t.name === name);
  if (!t) throw new Error(`no table spec ${name}`);
  return t;
}

/** The Postgres type without constraints (`bigint NOT NULL` → `bigint`). */
export function bareType(t: string): string {
  return t.replace(/ NOT NULL$/, "");
}
