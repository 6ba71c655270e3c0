/**
 * Deterministic reconciliation of a new fact against its nearest memories (no LLM): ADD,
 * UPDATE (same subject, changed value), DELETE (same subject, opposite polarity) or NONE
 * (duplicate). `decide` is pure; `nearestMemories` gathers the neighbours it looks at.
 */
import { cosine } from "../embed/mod.ts";
import { contentWords, ftsAnyQuery } from "../recall/mod.ts";
import type { StoredMemory } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { contradiction } from "./contradiction.ts";
import { duplicateVerdict } from "./dedup.ts";
import { sameValues } from "./write.ts";

export const RECONCILE_ACTIONS = ["ADD", "UPDATE", "DELETE", "NONE"] as const;
export type ReconcileAction = typeof RECONCILE_ACTIONS[number];

/** A neighbour as `decide` sees it. */
export interface Neighbour {
  id: string;
  content: string;
  content_hash: string | null;
  /** Cosine between the new fact and this memory (0 when it has no vector). */
  similarity: number;
}

/** One reconciliation decision, with the reason recorded next to it. */
export interface Decision {
  action: ReconcileAction;
  /** The memory updated, deleted (archived) or duplicated; absent for ADD. */
  target_id?: string;
  similarity?: number;
  reason: string;
}

/** Thresholds for {@link decide}. */
export interface ReconcileOptions {
  /** Duplicate at or above this cosine when the values agree (the write path's threshold). */
  duplicateThreshold: number;
  /** A value change or contradiction needs at least this cosine as well (default 0.6). */
  subjectThreshold?: number;
}

/** Lexical neighbours taken first, then vector neighbours, up to this many in total. */
export const LEXICAL_NEIGHBOURS = 5;
export const MAX_NEIGHBOURS = 10;
/** Vector neighbours below this cosine are not candidates. */
export const MIN_VECTOR_SIMILARITY = 0.5;

/** Digit-bearing tokens ("8080", "v1.2", "eu-west-1"): the values of a statement. */
function valueTokens(text: string): Set<string> {
  return new Set(
    (text.toLowerCase().match(/[\p{L}\p{N}._-]*\d[\p{L}\p{N}._-]*/gu) ?? []).map((v) =>
      v.replace(/[._-]+$/, "")
    ),
  );
}

/** Content words without digits, in order: the subject and predicate of a statement. */
function subjectWords(text: string): string[] {
  return contentWords(text).filter((w) => !/\d/.test(w));
}

/**
 * The changed value when `a` and `b` say different values about the same subject: their
 * digit-bearing tokens differ while their other content words agree (Jaccard ≥ 0.6, ≥ 2
 * shared), or both end in a different single word after an identical subject ("… is postgres"
 * / "… is mysql"). Null otherwise.
 */
export function valueChange(a: string, b: string): { from: string; to: string } | null {
  const wa = subjectWords(a);
  const wb = subjectWords(b);
  const sa = new Set(wa);
  const sb = new Set(wb);
  let shared = 0;
  for (const w of sa) if (sb.has(w)) shared++;
  const union = sa.size + sb.size - shared;
  if (!sameValues(a, b)) {
    if (shared < 2 || shared / Math.max(union, 1) < 0.6) return null;
    const va = valueTokens(a);
    const vb = valueTokens(b);
    const from = [...va].filter((v) => !vb.has(v)).join(", ");
    const to = [...vb].filter((v) => !va.has(v)).join(", ");
    return { from: from || "(none)", to: to || "(none)" };
  }
  // Same numbers (often none): a trailing-word substitution "X is A" → "X is B".
  if (wa.length < 3 || wa.length !== wb.length) return null;
  const last = wa.length - 1;
  for (let i = 0; i < last; i++) if (wa[i] !== wb[i]) return null;
  return wa[last] !== wb[last] ? { from: wa[last], to: wb[last] } : null;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Decide what to do with `content` given its neighbours (any order). Duplicates win over
 * contradictions, contradictions over value changes; among equals the most similar wins.
 *
 * @example
 * ```ts
 * decide("The API listens on port 9090", "…hash…", [
 *   { id: "a", content: "The API listens on port 8080", content_hash: "x", similarity: 0.93 },
 * ], { duplicateThreshold: 0.95 }); // { action: "UPDATE", target_id: "a", … }
 * ```
 */
export function decide(
  content: string,
  hash: string,
  neighbours: Neighbour[],
  opts: ReconcileOptions,
): Decision {
  const subject = opts.subjectThreshold ?? 0.6;
  const byScore = [...neighbours].sort((x, y) => y.similarity - x.similarity);
  for (const n of byScore) {
    if (n.content_hash === hash) {
      return { action: "NONE", target_id: n.id, similarity: 1, reason: "identical content" };
    }
  }
  for (const n of byScore) {
    // The write path's own rule, so a NONE here is a merge there.
    const dup = duplicateVerdict(n.content, content, n.similarity, opts.duplicateThreshold);
    if (dup.duplicate) {
      return {
        action: "NONE",
        target_id: n.id,
        similarity: round(n.similarity),
        reason: `duplicate: ${dup.reason}`,
      };
    }
  }
  for (const n of byScore) {
    if (n.similarity >= subject && contradiction(n.content, content)?.kind === "polarity") {
      return {
        action: "DELETE",
        target_id: n.id,
        similarity: round(n.similarity),
        reason: "contradiction: opposite polarity about the same subject; the new fact wins",
      };
    }
  }
  for (const n of byScore) {
    if (n.similarity < subject) continue;
    const change = valueChange(n.content, content);
    if (change) {
      return {
        action: "UPDATE",
        target_id: n.id,
        similarity: round(n.similarity),
        reason: `value change: ${change.from} → ${change.to} (same subject)`,
      };
    }
  }
  const best = byScore[0];
  return {
    action: "ADD",
    reason: best
      ? `new fact: nearest memory ${best.id} (similarity ${round(best.similarity)}) is unrelated`
      : "new fact: no neighbours",
  };
}

/**
 * Candidate memories for reconciliation in `namespace`: the top 5 by bm25 on the content, then
 * vector matches with cosine ≥ 0.5 (best first) until there are 10. Archived memories are
 * excluded. Call with the index synced (`rt.syncIndex()`).
 */
export function nearestMemories(
  rt: Runtime,
  namespace: string,
  content: string,
  vec: Float32Array,
): { memory: StoredMemory; similarity: number }[] {
  const pks: number[] = [];
  const query = ftsAnyQuery(content);
  if (query) {
    for (const h of rt.store.fts(query, { namespace }, LEXICAL_NEIGHBOURS)) pks.push(h.pk);
  }
  for (const h of rt.index.search(namespace, vec, MAX_NEIGHBOURS)) {
    if (pks.length >= MAX_NEIGHBOURS) break;
    if (h.score >= MIN_VECTOR_SIMILARITY && !pks.includes(h.pk)) pks.push(h.pk);
  }
  return rt.store.getMany(pks).filter((m) => !m.record.archived).map((m) => {
    const v = rt.index.get(m.pk);
    return { memory: m, similarity: v ? cosine(v, vec) : 0 };
  });
}
