/**
 * How the write path rewrites a stored memory it matched: a merge (one more piece of
 * evidence), a replayed export record's missing tags, a contradiction flag. Each goes through
 * one {@link Rewrite} (write.ts), which keeps the batch's dedup index in step.
 */
import type { MemoryRecord, StoredMemory } from "../store/mod.ts";
import type { StoreInput } from "./schemas.ts";
import type { ReplayResult, StoreResult } from "./write.ts";

/** Rewrite a stored row as `next` (the write path's one way to change a row). */
export type Rewrite = (m: StoredMemory, next: MemoryRecord) => void;

export function merge(
  target: StoredMemory,
  input: StoreInput,
  now: string,
  similarity: number,
  update: Rewrite,
): StoreResult {
  const r: MemoryRecord = {
    ...target.record,
    tags: [...new Set([...target.record.tags, ...(input.tags ?? [])])],
    evidence_count: target.record.evidence_count + 1,
    version: target.record.version + 1,
    updated_at: now,
    last_verified_at: now,
  };
  update(target, r);
  return {
    id: r.id,
    version: r.version,
    outcome: "merged",
    duplicate_of: r.id,
    similarity: Math.round(similarity * 10000) / 10000,
  };
}

/** A replayed record found its memory: add the tags it lacks, nothing else. */
export function addTags(
  target: StoredMemory,
  input: StoreInput,
  now: string,
  similarity: number,
  update: Rewrite,
): ReplayResult {
  const r = target.record;
  const tags = [...new Set([...r.tags, ...(input.tags ?? [])])];
  const same = { id: r.id, duplicate_of: r.id, similarity: Math.round(similarity * 1e4) / 1e4 };
  if (tags.length === r.tags.length) return { ...same, version: r.version, outcome: "unchanged" };
  update(target, { ...r, tags, version: r.version + 1, updated_at: now });
  return { ...same, version: r.version + 1, outcome: "merged" };
}

export function markContradicted(
  m: StoredMemory,
  otherId: string,
  now: string,
  update: Rewrite,
): void {
  const r = m.record;
  const already = r.contradicts_with.includes(otherId);
  update(m, {
    ...r,
    status: "contested",
    superseded_by: null,
    contradicts_with: [...new Set([...r.contradicts_with, otherId])].sort(),
    confidence: already || r.confidence === null ? r.confidence : r.confidence * 0.6,
    version: r.version + 1,
    updated_at: now,
  });
}
