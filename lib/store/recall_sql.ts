/**
 * The look-ups of recall's planning and speaker scope (lib/recall): document frequency of an
 * FTS expression, the episodes a named speaker speaks in, bm25 over the whole index for a
 * restriction the caller applies, and the speaker column of the episode windows. Read-only;
 * every statement is cached by the store (recall runs them once per query or term).
 */
import { type MemoryFilter, whereFor } from "./filter.ts";
import type { Store } from "./store.ts";
import { episodeOf } from "./context.ts";

const isFtsSyntaxError = (e: unknown) => /fts5|syntax/i.test((e as Error).message);

/** Memories (all namespaces) matching an FTS expression: a term's document frequency. */
export function ftsMatchCount(store: Store, match: string): number {
  return (store.prepare(
    "SELECT count(*) AS n FROM memories_fts WHERE memories_fts MATCH ?",
  ).get(match) as { n: number }).n;
}

/**
 * Rows matching `match`, counted up to `cap + 1` at most (all namespaces): whether a word is
 * held by between 1 and `cap` rows, without walking a common word's whole posting list.
 */
export function ftsMatchCountUpTo(store: Store, match: string, cap: number): number {
  return (store.prepare(
    "SELECT count(*) AS n FROM (SELECT 1 FROM memories_fts WHERE memories_fts MATCH ? LIMIT ?)",
  ).get(match, cap + 1) as { n: number }).n;
}

/**
 * pks of up to `limit` memories of `namespace` in the episodes where an episode window's
 * speaker column matches `match`. Throws what SQLite throws (an FTS syntax error too).
 */
export function episodePksOfSpeakers(
  store: Store,
  namespace: string,
  match: string,
  limit: number,
): number[] {
  return (store.prepare(
    `SELECT c.pk AS pk FROM memory_context c WHERE c.namespace = ?1 AND c.episode IN (
         SELECT DISTINCT s.episode FROM memory_context_fts f CROSS JOIN memory_context s
         ON s.pk = f.rowid WHERE memory_context_fts MATCH ?2 AND s.namespace = ?1)
       LIMIT ?3`,
  ).all(namespace, match, limit) as { pk: number }[]).map((r) => r.pk);
}

/** Episode-window rows of `namespace`, counted up to `limit`. */
export function contextRowCountUpTo(store: Store, namespace: string, limit: number): number {
  return (store.prepare(
    `SELECT count(*) AS n FROM (SELECT 1 FROM memory_context WHERE namespace = ? LIMIT ?)`,
  ).get(namespace, limit) as { n: number }).n;
}

/**
 * The best `limit` bm25 hits of the memories' own text (any namespace), best first, as
 * (pk, raw bm25: lower is better). Throws what SQLite throws (an FTS syntax error too).
 */
export function ftsBestAnywhere(
  store: Store,
  match: string,
  limit: number,
): { pk: number; s: number }[] {
  return store.prepare(
    `SELECT rowid AS pk, bm25(memories_fts, 1.0, 0.5) AS s FROM memories_fts
       WHERE memories_fts MATCH ? ORDER BY s LIMIT ?`,
  ).all(match, limit) as { pk: number; s: number }[];
}

/**
 * Whether some memory of `filter` has an episode window whose text matches `match` (stops at
 * the first row, no ranking). An expression FTS5 rejects matches nothing.
 */
export function contextFtsAny(store: Store, match: string, filter: MemoryFilter): boolean {
  const w = whereFor(filter, "m");
  try {
    return store.prepare(
      `SELECT 1 FROM memory_context_fts JOIN memories m ON m.pk = memory_context_fts.rowid
       WHERE memory_context_fts MATCH ? AND ${w.sql} LIMIT 1`,
    ).get(match, ...w.params) !== undefined;
  } catch (e) {
    if (isFtsSyntaxError(e)) return false;
    throw e;
  }
}

/**
 * Which of `pks` (at most a few hundred) have an episode window matching `match`. Throws what
 * SQLite throws (an FTS syntax error too).
 */
export function contextFtsMatchesAmong(
  store: Store,
  match: string,
  pks: readonly number[],
): number[] {
  return (store.prepare(
    `SELECT rowid AS pk FROM memory_context_fts WHERE memory_context_fts MATCH ?
         AND rowid IN (${pks.map(() => "?").join(",")})`,
  ).all(match, ...pks) as { pk: number }[]).map((r) => r.pk);
}

/** Episode keys of plain sessions (context.ts `episodeOf` of a session alone), by session. */
const sessionKeys = new Map<string, string | null>();

/**
 * Which of these memories belong to no conversation (`metadata.conv_id` or
 * `conversation_id`), known without opening their sealed metadata: a memory in an episode is
 * keyed by its conversation and session together (context.ts `episodeOf`), so when its key is
 * the one its plaintext session gives alone, it has no conversation. The others may or may not
 * (no session column, no episode row): their metadata says.
 */
export function withoutConversation(
  store: Store,
  memories: readonly { pk: number; session: string | null }[],
): Set<number> {
  const expect = new Map<number, string>();
  for (const { pk, session } of memories) {
    if (session === null) continue;
    let key = sessionKeys.get(session);
    if (key === undefined) {
      key = episodeOf({ session, metadata: {} });
      if (sessionKeys.size >= 10_000) sessionKeys.clear();
      sessionKeys.set(session, key);
    }
    if (key !== null) expect.set(pk, key);
  }
  const out = new Set<number>();
  const pks = [...expect.keys()];
  for (let i = 0; i < pks.length; i += 500) {
    const chunk = pks.slice(i, i + 500);
    const rows = store.prepare(
      `SELECT pk, episode FROM memory_context WHERE pk IN (${chunk.map(() => "?").join(",")})`,
    ).all(...chunk) as { pk: number; episode: string }[];
    for (const r of rows) if (expect.get(r.pk) === r.episode) out.add(r.pk);
  }
  return out;
}
