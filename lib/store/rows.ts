/** Mapping between `MemoryRecord` and SQLite rows. Arrays and rare fields live in JSON columns. */
import type { MemoryRecord } from "./record.ts";
import { fromHex, toHex } from "../crypto/mod.ts";
import { metadataText, readMetadata } from "./safe_metadata.ts";

/** A value of a `memories` column as bound or read (the content hash may be a blob). */
export type ColumnValue = string | number | null | Uint8Array;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The `content_hash` column's value for a record's hash: a SHA-256 in lowercase hex (what
 * the store computes) as its 32 bytes since schema v7 (issue 21: 64 characters in the row and
 * again in `memories_ns_hash` were ≈ 60 B per memory), any other text as it is.
 */
export function hashToColumn(hash: string | null): string | Uint8Array | null {
  return hash !== null && SHA256_HEX.test(hash) ? fromHex(hash)! : hash;
}

/** A record's hash from the column (32 bytes back to lowercase hex; text as it is). */
export function hashFromColumn(v: string | Uint8Array | null): string | null {
  return v instanceof Uint8Array ? toHex(v) : v;
}

/**
 * Both forms a hash may be stored in (the bytes, and the text rows written by hand or by
 * builds before v7 hold until migrated), for `content_hash IN (?, ?)`.
 */
export function hashForms(hash: string): [string | Uint8Array, string] {
  return [hashToColumn(hash)!, hash];
}

/**
 * Fields kept in the `extra` JSON column (rarely filtered, so not worth their own columns),
 * each with the value its readers assume when the key is absent: `rowToRecord` below (`?? []`,
 * `?? 0`, `?? null`) and `json_extract(extra, '$.last_injected_at')` in dashboard_sql.ts (NULL
 * for a missing key as for a JSON null). A key is written only when its value differs from
 * that default, so most rows hold `{}` (issue 21: with every key written, two rows did not fit
 * one 4 KiB page). Rows written with every key read the same.
 */
const EXTRA_FIELDS = {
  derived_from: "list",
  contradicts_with: "list",
  injection_count: "count",
  reuse_count: "count",
  confirm_count: "count",
  reject_count: "count",
  supersede_count: "count",
  last_injected_at: "time",
  last_reused_at: "time",
  last_outcome_at: "time",
  review_events: "list",
} as const;

type ExtraKey = keyof typeof EXTRA_FIELDS;
const EXTRA_KEYS = Object.keys(EXTRA_FIELDS) as ExtraKey[];

/** True when a reader's `value ?? default` gives the default: [] for a list, 0, or null. */
function isExtraDefault(value: unknown, kind: "list" | "count" | "time"): boolean {
  if (value === null || value === undefined) return true;
  if (kind === "list") return Array.isArray(value) && value.length === 0;
  return kind === "count" && value === 0;
}

/** The `extra` column of a record: only the keys whose value is not the readers' default. */
function extraText(r: MemoryRecord): string {
  const extra: Record<string, unknown> = {};
  for (const k of EXTRA_KEYS) if (!isExtraDefault(r[k], EXTRA_FIELDS[k])) extra[k] = r[k];
  return JSON.stringify(extra);
}

/** The SQLite row shape for `memories` (without the vector columns). */
export interface MemoryRow {
  pk: number;
  id: string;
  namespace: string;
  content: string;
  tags: string;
  tags_text: string;
  agent: string | null;
  session: string | null;
  memory_type: string;
  status: string;
  archived: number;
  version: number;
  created_at: string;
  updated_at: string;
  source_key: string | null;
  content_hash: string | Uint8Array | null;
  confidence: number | null;
  evidence_count: number;
  last_verified_at: string | null;
  superseded_by: string | null;
  category: string | null;
  metadata: string;
  extra: string;
}

/** Columns selected for a record, in one place so every query reads the same shape. */
export const RECORD_COLUMNS =
  "pk, id, namespace, content, tags, tags_text, agent, session, memory_type, status, archived, " +
  "version, created_at, updated_at, source_key, content_hash, confidence, evidence_count, " +
  "last_verified_at, superseded_by, category, metadata, extra";

/** Text indexed for tags: the tags themselves plus their parts, so `deploy-policy` finds `policy`. */
export function tagsText(tags: string[]): string {
  return tags.map((t) => `${t} ${t.replace(/[-_:/.]+/g, " ")}`).join(" ");
}

/** Parameters for INSERT/UPDATE from a record. */
export function recordToParams(r: MemoryRecord): Record<string, ColumnValue> {
  return {
    id: r.id,
    namespace: r.namespace,
    content: r.content,
    tags: JSON.stringify(r.tags),
    tags_text: tagsText(r.tags),
    agent: r.agent,
    session: r.session,
    memory_type: r.memory_type,
    status: r.status,
    archived: r.archived ? 1 : 0,
    version: r.version,
    created_at: r.created_at,
    updated_at: r.updated_at,
    source_key: r.source_key,
    content_hash: hashToColumn(r.content_hash),
    confidence: r.confidence,
    evidence_count: r.evidence_count,
    last_verified_at: r.last_verified_at,
    superseded_by: r.superseded_by,
    category: r.category,
    metadata: metadataText(r.metadata),
    extra: extraText(r),
  };
}

/**
 * A record from a row (content and metadata read now, held behind the same accessors as
 * {@link lazyRowToRecord}'s: one definition of a record's fields and their order).
 */
export function rowToRecord(row: MemoryRow): MemoryRecord {
  const metadata = readMetadata(row.id, row.metadata);
  return lazyRowToRecord(row, () => row.content, () => metadata);
}

/**
 * A record whose `content` and `metadata` are computed on first access (sealed rows: opened
 * only when read). The two are accessors in their usual places, so JSON, spread and
 * `Object.keys` see every field in one order (tests/recall/candidate_records_test.ts). Built
 * as one literal: recall reads ~150 such records per query, and spreading the row and then
 * redefining two properties cost about three times as much (issue 21).
 */
export function lazyRowToRecord(
  row: MemoryRow,
  openContent: () => string,
  openMetadata: () => Record<string, unknown>,
): MemoryRecord {
  const extra = JSON.parse(row.extra) as Partial<MemoryRecord>;
  let content: string | undefined;
  let metadata: Record<string, unknown> | undefined;
  return {
    id: row.id,
    get content() {
      return content ??= openContent();
    },
    set content(v: string) {
      content = v;
    },
    tags: JSON.parse(row.tags),
    agent: row.agent,
    session: row.session,
    namespace: row.namespace,
    memory_type: row.memory_type as MemoryRecord["memory_type"],
    status: row.status as MemoryRecord["status"],
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
    source_key: row.source_key,
    content_hash: hashFromColumn(row.content_hash),
    archived: row.archived === 1,
    confidence: row.confidence,
    evidence_count: row.evidence_count,
    last_verified_at: row.last_verified_at,
    superseded_by: row.superseded_by,
    derived_from: extra.derived_from ?? [],
    contradicts_with: extra.contradicts_with ?? [],
    injection_count: extra.injection_count ?? 0,
    reuse_count: extra.reuse_count ?? 0,
    confirm_count: extra.confirm_count ?? 0,
    reject_count: extra.reject_count ?? 0,
    supersede_count: extra.supersede_count ?? 0,
    last_injected_at: extra.last_injected_at ?? null,
    last_reused_at: extra.last_reused_at ?? null,
    last_outcome_at: extra.last_outcome_at ?? null,
    review_events: extra.review_events ?? [],
    category: row.category as MemoryRecord["category"],
    get metadata() {
      return metadata ??= openMetadata();
    },
    set metadata(v: Record<string, unknown>) {
      metadata = v;
    },
  };
}

/**
 * SQL: true when a row's `embedding` is not whole float32s of its `dim`; the empty blob marks a
 * vector kept in its page (vector_pages.ts, schema v8). (Float16 rows were measured for issue
 * 21 and not kept: the conversational eval moved in the third decimal.)
 */
export const WRONG_VECTOR_LENGTH = "length(embedding) NOT IN (0, dim * 4)";

/** Dimensions of a stored blob, or null when it is not whole float32s (damaged). */
export function blobDims(b: Uint8Array): number | null {
  return b.byteLength % 4 === 0 ? b.byteLength / 4 : null;
}

/** Decode a stored blob into `into` (its length must be {@link blobDims}). */
export function decodeVectorInto(b: Uint8Array, into: Float32Array): void {
  new Uint8Array(into.buffer, into.byteOffset, into.length * 4).set(b.subarray(0, into.length * 4));
}

/** A stored blob as a new Float32Array, or null when it is damaged ({@link blobDims}). */
export function decodeVector(b: Uint8Array): Float32Array | null {
  const dims = blobDims(b);
  if (dims === null) return null;
  const out = new Float32Array(dims);
  decodeVectorInto(b, out);
  return out;
}
