/** The memory record and its enums: the fields of memoryOSS §1.1 plus `category` and `metadata`. */
import { toHex } from "../crypto/mod.ts";

export const MEMORY_TYPES = ["episodic", "semantic", "procedural", "working"] as const;
export const STATUSES = ["candidate", "active", "contested", "stale"] as const;
export const CATEGORIES = ["preference", "decision", "fact", "insight", "context"] as const;

export type MemoryType = typeof MEMORY_TYPES[number];
export type Status = typeof STATUSES[number];
export type Category = typeof CATEGORIES[number];

/** One bit per status, for indexes that filter by status without reading rows. */
export function statusBit(status: string): number {
  const i = (STATUSES as readonly string[]).indexOf(status);
  return i < 0 ? 0 : 1 << i;
}

/** One review action kept on the record (the 20 most recent). */
export interface ReviewEvent {
  at: string;
  actor: string;
  action: "confirm" | "reject" | "supersede";
  via: string;
  queue_kind?: string;
  superseded_by?: string;
}

/** A stored memory. Field order is the serialization order of memoryOSS. */
export interface MemoryRecord {
  id: string;
  content: string;
  tags: string[];
  agent: string | null;
  session: string | null;
  namespace: string;
  memory_type: MemoryType;
  status: Status;
  version: number;
  created_at: string;
  updated_at: string;
  source_key: string | null;
  content_hash: string | null;
  archived: boolean;
  confidence: number | null;
  evidence_count: number;
  last_verified_at: string | null;
  superseded_by: string | null;
  derived_from: string[];
  contradicts_with: string[];
  injection_count: number;
  reuse_count: number;
  confirm_count: number;
  reject_count: number;
  supersede_count: number;
  last_injected_at: string | null;
  last_reused_at: string | null;
  last_outcome_at: string | null;
  review_events: ReviewEvent[];
  category: Category | null;
  metadata: Record<string, unknown>;
}

/** A record together with its vector, as the store keeps it. */
export interface StoredMemory {
  /** SQLite row key; stable across VACUUM, used by indexes. */
  pk: number;
  record: MemoryRecord;
}

/** A fresh record with every counter at its default. */
export function newRecord(
  fields: Pick<MemoryRecord, "id" | "content" | "namespace" | "created_at"> & Partial<MemoryRecord>,
): MemoryRecord {
  return {
    tags: [],
    agent: null,
    session: null,
    memory_type: "semantic",
    status: "active",
    version: 1,
    updated_at: fields.created_at,
    source_key: null,
    content_hash: null,
    archived: false,
    confidence: null,
    evidence_count: 1,
    last_verified_at: null,
    superseded_by: null,
    derived_from: [],
    contradicts_with: [],
    injection_count: 0,
    reuse_count: 0,
    confirm_count: 0,
    reject_count: 0,
    supersede_count: 0,
    last_injected_at: null,
    last_reused_at: null,
    last_outcome_at: null,
    review_events: [],
    category: null,
    metadata: {},
    ...fields,
  };
}

/**
 * A UUIDv7: 48-bit millisecond timestamp, version and variant bits, the rest random.
 * Time-ordered so ids sort by creation and index well.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let t = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `hex(sha256(utf8 content))`, the dedup key. */
export async function contentHash(content: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(content));
  return toHex(d);
}
