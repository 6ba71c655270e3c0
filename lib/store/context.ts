/**
 * Episodes. Memories that share a session or conversation (the `session` field, or
 * `metadata.session` / `metadata.session_id`, within `metadata.conv_id` /
 * `metadata.conversation_id`) form an ordered episode: by `created_at`, then insertion order.
 * Beside each such memory, `memory_context` keeps its place (previous and next memory) and the
 * text of its window — its neighbours' lines around its own, "speaker: content" — sealed like
 * content, and indexed for bm25 in `memory_context_fts` in three columns (the memory's
 * speaker, its content, its neighbours' lines). The memory's own row never changes.
 *
 * Every write keeps it current with bounded work: an arrival, rewrite or deletion refreshes
 * the windows within {@link CONTEXT_WINDOW} of it, once per write transaction. Homes from before schema v6 are filled once,
 * on the first writable open ({@link backfillContext}).
 */
import { sha256Hex } from "../crypto/mod.ts";
import type { Store } from "./store.ts";
import type { MemoryRecord } from "./record.ts";
import { type MemoryFilter, whereFor } from "./filter.ts";
import { ftsIndexed, looksSealed, openField, recordFromRow } from "./sealed.ts";
import { type MemoryRow, RECORD_COLUMNS } from "./rows.ts";

/** Neighbours on each side of a memory that its window quotes. */
export const CONTEXT_WINDOW = 1;
/** At most this much of a neighbour's line goes into a window (the memory's own line is whole). */
const NEIGHBOUR_CHARS = 400;

/** A memory's place in its episode. */
export interface Place {
  pk: number;
  namespace: string;
  id: string;
  episode: string;
  created_at: string;
  prev_pk: number | null;
  next_pk: number | null;
  /** 1 when the memory is a turn of dialogue (it has a speaker), else 0. */
  turn: number;
  /** Digest of the line neighbours quote, sealed like the text (it would tell equal lines). */
  src: string;
}

export const PLACE =
  "SELECT pk, namespace, id, episode, created_at, prev_pk, next_pk, turn, src FROM memory_context";

function label(v: unknown): string | null {
  if (typeof v === "string" && v.trim()) return v.trim();
  return typeof v === "number" && Number.isFinite(v) ? String(v) : null;
}

export const digest = (s: string) => sha256Hex(s).slice(0, 32);

/**
 * The episode a record belongs to (an opaque key), or null for none.
 *
 * @example
 * ```ts
 * episodeOf({ session: null, metadata: { conv_id: "c1", session: "session_3" } }); // "…"
 * episodeOf({ session: null, metadata: {} }); // null
 * ```
 */
export function episodeOf(r: Pick<MemoryRecord, "session" | "metadata">): string | null {
  const m = r.metadata ?? {};
  const session = label(r.session) ?? label(m.session) ?? label(m.session_id);
  const conv = label(m.conv_id) ?? label(m.conversation_id);
  if (session === null && conv === null) return null;
  return digest(JSON.stringify([conv, session]));
}

/** A memory as its window quotes it: who said it (`metadata.speaker`) and what. */
export interface Line {
  speaker: string | null;
  content: string;
}

/** A memory's line in windows. */
export function lineOf(r: Pick<MemoryRecord, "content" | "metadata">): Line {
  return { speaker: label(r.metadata?.speaker)?.slice(0, 64) ?? null, content: r.content };
}

/** A line as window text: "speaker: content", or the content alone. */
export function lineText(l: Line, max = Infinity): string {
  return (l.speaker ? `${l.speaker}: ${l.content}` : l.content).slice(0, max);
}

export function placeOf(store: Store, pk: number): Place | undefined {
  return store.prepare(`${PLACE} WHERE pk = ?`).get(pk) as Place | undefined;
}

/** After a memory row is inserted (inside its write transaction). */
export function contextOnInsert(store: Store, pk: number, r: MemoryRecord): void {
  const episode = episodeOf(r);
  if (episode) join(store, pk, r, episode, lineOf(r));
}

/** After a memory row is rewritten: move it between episodes or refresh what quotes it. */
export function contextOnUpdate(store: Store, pk: number, r: MemoryRecord): void {
  const p = placeOf(store, pk);
  const episode = episodeOf(r);
  if (!p && !episode) return;
  const line = lineOf(r);
  if (p && p.episode === episode && p.created_at === r.created_at) {
    const src = digest(lineText(line));
    if (store.openValue(srcRef(p), p.src) === src) return; // nothing quoted has changed
    const turn = line.speaker ? 1 : 0;
    store.prepare("UPDATE memory_context SET src = ?, turn = ? WHERE pk = ?")
      .run(store.sealValue(srcRef(p), src), turn, pk);
    if (p.turn === 1 && turn === 0) {
      // No longer a turn of dialogue: it keeps its place, not its window.
      store.prepare("UPDATE memory_context SET text = '' WHERE pk = ?").run(pk);
      store.prepare("DELETE FROM memory_context_fts WHERE rowid = ?").run(pk);
    }
    later(store, around(reader(store), { ...p, turn }), [pk, line]);
    return;
  }
  if (p) leave(store, p);
  if (episode) join(store, pk, r, episode, line);
}

/** Before a memory row is deleted: close the gap and refresh the windows that quoted it. */
export function contextOnDelete(store: Store, pk: number): void {
  const p = placeOf(store, pk);
  if (p) leave(store, p);
}

function join(store: Store, pk: number, r: MemoryRecord, episode: string, line: Line): void {
  const at = [r.namespace, episode, r.created_at, pk];
  const prev = store.prepare(
    `${PLACE} WHERE namespace = ? AND episode = ? AND (created_at, pk) < (?, ?)
     ORDER BY created_at DESC, pk DESC LIMIT 1`,
  ).get(...at) as Place | undefined;
  const next = store.prepare(
    `${PLACE} WHERE namespace = ? AND episode = ? AND (created_at, pk) > (?, ?)
     ORDER BY created_at ASC, pk ASC LIMIT 1`,
  ).get(...at) as Place | undefined;
  const me: Place = {
    pk,
    namespace: r.namespace,
    id: r.id,
    episode,
    created_at: r.created_at,
    prev_pk: prev?.pk ?? null,
    next_pk: next?.pk ?? null,
    turn: line.speaker ? 1 : 0,
    src: store.sealValue(srcRef(r), digest(lineText(line))),
  };
  store.prepare(
    `INSERT OR REPLACE INTO memory_context (pk, namespace, id, episode, created_at, prev_pk,
     next_pk, turn, src) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    ...[me.pk, me.namespace, me.id, episode, me.created_at, me.prev_pk, me.next_pk],
    me.turn,
    me.src,
  );
  if (prev) store.prepare("UPDATE memory_context SET next_pk = ? WHERE pk = ?").run(pk, prev.pk);
  if (next) store.prepare("UPDATE memory_context SET prev_pk = ? WHERE pk = ?").run(pk, next.pk);
  // The places just read are current but for the links written above.
  const seed = [
    me,
    ...(prev ? [{ ...prev, next_pk: pk }] : []),
    ...(next ? [{ ...next, prev_pk: pk }] : []),
  ];
  later(store, around(reader(store, seed), me), [pk, line]);
}

function leave(store: Store, p: Place): void {
  if (p.prev_pk !== null) {
    store.prepare("UPDATE memory_context SET next_pk = ? WHERE pk = ?").run(p.next_pk, p.prev_pk);
  }
  if (p.next_pk !== null) {
    store.prepare("UPDATE memory_context SET prev_pk = ? WHERE pk = ?").run(p.prev_pk, p.next_pk);
  }
  store.prepare("DELETE FROM memory_context WHERE pk = ?").run(p.pk);
  store.prepare("DELETE FROM memory_context_fts WHERE rowid = ?").run(p.pk);
  const read = reader(store);
  const gap = [
    ...walk(read, p.prev_pk, "prev_pk", CONTEXT_WINDOW),
    ...walk(read, p.next_pk, "next_pk", CONTEXT_WINDOW),
  ];
  const todo = pending.get(store);
  todo?.pks.delete(p.pk);
  todo?.known.delete(p.pk);
  later(store, gap);
}

/**
 * Windows to rewrite when the write transaction ends: each once, however many changes of the
 * transaction touched it (a bulk import appends a turn and then its successor in one batch).
 */
const pending = new WeakMap<Store, { pks: Set<number>; known: Map<number, Line> }>();

function later(store: Store, places: Place[], known?: [number, Line]): void {
  const turns = places.filter((p) => p.turn === 1);
  if (turns.length === 0 && !known) return;
  let todo = pending.get(store);
  if (!todo) pending.set(store, todo = { pks: new Set(), known: new Map() });
  for (const p of turns) todo.pks.add(p.pk);
  if (known) todo.known.set(known[0], known[1]);
}

/** Rewrite the windows the current transaction touched; the store calls it before commit. */
export function flushContext(store: Store): void {
  const todo = pending.get(store);
  if (!todo) return;
  pending.delete(store);
  const read = reader(store);
  const places = [...todo.pks].map(read).filter((p): p is Place => p !== undefined);
  refresh(store, places, todo.known, read);
}

/** Forget the windows of a transaction that rolled back. */
export function dropContext(store: Store): void {
  pending.delete(store);
}

/** Reads places by pk, each once (for one change, after its links are written). */
type Reader = (pk: number) => Place | undefined;

function reader(store: Store, seed: Place[] = []): Reader {
  const seen = new Map<number, Place | undefined>(seed.map((p) => [p.pk, p]));
  return (pk) => {
    if (!seen.has(pk)) seen.set(pk, placeOf(store, pk));
    return seen.get(pk);
  };
}

/** `p` and the places within the window on both sides of it. */
function around(read: Reader, p: Place): Place[] {
  return [
    ...walk(read, p.prev_pk, "prev_pk", CONTEXT_WINDOW),
    p,
    ...walk(read, p.next_pk, "next_pk", CONTEXT_WINDOW),
  ];
}

/** Up to `n` places following links from `start` (itself included). */
function walk(read: Reader, start: number | null, dir: "prev_pk" | "next_pk", n: number): Place[] {
  const out: Place[] = [];
  for (let pk = start; pk !== null && out.length < n;) {
    const p = read(pk);
    if (!p) break;
    out.push(p);
    pk = p[dir];
  }
  return out;
}

/** Lines of memories by pk (sealed rows opened); `known` lines are not read again. */
function linesOf(store: Store, pks: number[], known: Map<number, Line>): Map<number, Line> {
  const out = new Map(known);
  const missing = [...new Set(pks)].filter((pk) => !out.has(pk));
  if (missing.length === 0) return out;
  const rows = store.prepare(
    `SELECT ${RECORD_COLUMNS} FROM memories WHERE pk IN (${missing.map(() => "?").join(",")})`,
  ).all(...missing) as unknown as MemoryRow[];
  for (const row of rows) out.set(row.pk, lineOf(recordFromRow(store.encryption, row)));
  return out;
}

/**
 * Rewrite the window text (and its index entry) of each place that is a turn of dialogue;
 * other places keep only their links (their windows measured no gain, docs/benchmarks.md).
 */
export function refresh(
  store: Store,
  places: Place[],
  known: Map<number, Line>,
  read: Reader = reader(store),
): void {
  const windows = places.filter((p) => p.turn === 1).map((p) => ({ p, pks: windowOf(read, p) }));
  if (windows.length === 0) return;
  const lines = linesOf(store, windows.flatMap((w) => w.pks), known);
  const write = store.prepare("UPDATE memory_context SET text = ? WHERE pk = ?");
  const unindex = store.prepare("DELETE FROM memory_context_fts WHERE rowid = ?");
  const index = store.prepare(
    "INSERT INTO memory_context_fts(rowid, speaker, own, near) VALUES (?, ?, ?, ?)",
  );
  for (const { p, pks } of windows) {
    const own = lines.get(p.pk) ?? { speaker: null, content: "" };
    const quoted = (pk: number) =>
      pk === p.pk ? lineText(own) : lineText(lines.get(pk)!, NEIGHBOUR_CHARS);
    const near = pks.filter((pk) => pk !== p.pk && lines.has(pk)).map(quoted).join("\n");
    const text = pks.filter((pk) => lines.has(pk)).map(quoted).join("\n");
    const sealed = store.sealValue(contextRef(p), text);
    write.run(sealed, p.pk);
    unindex.run(p.pk);
    if (ftsIndexed(store.encryption, looksSealed(sealed))) {
      index.run(p.pk, own.speaker ?? "", own.content, near);
    }
  }
}

/** The pks a place's window quotes, in episode order. */
function windowOf(read: Reader, p: Place): number[] {
  const before = walk(read, p.prev_pk, "prev_pk", CONTEXT_WINDOW).map((x) => x.pk).reverse();
  const after = walk(read, p.next_pk, "next_pk", CONTEXT_WINDOW).map((x) => x.pk);
  return [...before, p.pk, ...after];
}

/** The sealing reference of a memory's window text. */
export function contextRef(p: { namespace: string; id: string }) {
  return { namespace: p.namespace, id: p.id, field: "context" };
}

/** The sealing reference of the digest of a memory's line. */
export function srcRef(p: { namespace: string; id: string }) {
  return { namespace: p.namespace, id: p.id, field: "context_src" };
}

/** Column weights of window bm25 (the memory's own content has 1). */
export interface ContextColumns {
  /** Who said it (`metadata.speaker`). */
  speaker: number;
  /** The neighbours' lines, with their speakers. */
  near: number;
}

/**
 * bm25 over windows — the memory's speaker, its own content and its neighbours' lines, with
 * column weights — restricted by `filter` (on the memories themselves) before ranking.
 * Higher `score` is better.
 */
export function contextFts(
  store: Store,
  match: string,
  filter: MemoryFilter,
  limit: number,
  weights: ContextColumns = { speaker: 1, near: 1 },
): { pk: number; score: number }[] {
  const w = whereFor(filter, "m");
  try {
    const rows = store.prepare(
      `SELECT m.pk AS pk, bm25(memory_context_fts, ?, 1.0, ?) AS s FROM memory_context_fts
       JOIN memories m ON m.pk = memory_context_fts.rowid
       WHERE memory_context_fts MATCH ? AND ${w.sql} ORDER BY s LIMIT ?`,
    ).all(weights.speaker, weights.near, match, ...w.params, limit) as { pk: number; s: number }[];
    return rows.map((r) => ({ pk: r.pk, score: -r.s }));
  } catch (e) {
    if (/fts5|syntax/i.test((e as Error).message)) return [];
    throw e;
  }
}

/** A memory's neighbours in its episode, and whether it is a turn of dialogue. */
export interface EpisodeLink {
  prev: number | null;
  next: number | null;
  turn: boolean;
}

/** Each memory's previous and next memory in its episode (memories in none are left out). */
export function episodeLinks(store: Store, pks: number[]): Map<number, EpisodeLink> {
  const out = new Map<number, EpisodeLink>();
  for (let i = 0; i < pks.length; i += 500) {
    const chunk = pks.slice(i, i + 500);
    const rows = store.prepare(
      `SELECT pk, prev_pk, next_pk, turn FROM memory_context WHERE pk IN (${
        chunk.map(() => "?").join(",")
      })`,
    ).all(...chunk) as {
      pk: number;
      prev_pk: number | null;
      next_pk: number | null;
      turn: number;
    }[];
    for (const r of rows) out.set(r.pk, { prev: r.prev_pk, next: r.next_pk, turn: r.turn === 1 });
  }
  return out;
}

/**
 * Whether any memory of `namespace` is a turn of dialogue (recall skips the episode channels
 * where none is and they count for turns only). A scan that stops at the first turn.
 */
export function namespaceHasTurns(store: Store, namespace: string): boolean {
  const row = store.prepare(
    "SELECT EXISTS (SELECT 1 FROM memory_context NOT INDEXED WHERE namespace = ? AND turn = 1) AS t",
  ).get(namespace) as { t: number };
  return row.t === 1;
}

/** The window text of a memory (opened), or null when it is in no episode. */
export function contextText(store: Store, pk: number): string | null {
  const row = store.prepare("SELECT namespace, id, text FROM memory_context WHERE pk = ?").get(
    pk,
  ) as
    | { namespace: string; id: string; text: string }
    | undefined;
  return row ? openField(store.encryption, contextRef(row), row.text) : null;
}
