/**
 * Conversation focus. A namespace often holds many conversations (an import of several chats,
 * the proxy's conversations side by side): a question about one of them ("Where did Maya go on
 * holiday?") is answered in that conversation, and turns of the others that share its words
 * are noise. Each turn carries its conversation (`metadata.conv_id` or
 * `metadata.conversation_id`), so after the first fused pass:
 *
 * - the candidate conversations are those the query's named speakers (speaker.ts) speak in
 *   among the candidates, or every conversation when it names none;
 * - among them, the focus is the conversation whose first {@link FocusWeights.seeds} hits add
 *   up to the most score (a speaker in one conversation decides it alone; a first name shared
 *   by several, the hits that speaker said);
 * - a turn of another conversation has its score scaled by {@link FocusWeights.outside}, and
 *   the later steps (entity hop, anchors, neighbour expansion) neither add nor raise one.
 *
 * Memories without a conversation are left alone, and when the candidates hold fewer than two
 * conversations nothing changes: a namespace per conversation ranks exactly as before.
 */
import type { MemoryRecord } from "../store/mod.ts";

/** How the focus counts; tuned on the conversational eval's tuning half (one namespace). */
export interface FocusWeights {
  /** Factor on the score of a turn of another conversation (1: off). */
  outside: number;
  /** Hits, from the top, whose scores vote for their conversation. */
  seeds: number;
}

export const FOCUS_WEIGHTS: Readonly<FocusWeights> = Object.freeze({
  outside: 0.5,
  seeds: 5,
});

function label(v: unknown): string | null {
  if (typeof v === "string" && v.trim()) return v.trim();
  return typeof v === "number" && Number.isFinite(v) ? String(v) : null;
}

/** The conversation a memory belongs to (`metadata.conv_id` / `conversation_id`), or null. */
export function convOf(r: Pick<MemoryRecord, "metadata">): string | null {
  const m = r.metadata ?? {};
  return label(m.conv_id) ?? label(m.conversation_id);
}

/** A ranked item the focus reads and rescales. */
export interface FocusItem {
  pk: number;
  score: number;
  record: Pick<MemoryRecord, "metadata">;
}

/** The focus: the conversation(s) kept, and whether a memory is inside it. */
export interface Focus {
  convs: string[];
  inside(r: Pick<MemoryRecord, "metadata">): boolean;
}

/**
 * The conversations the query's named speakers speak in, from the candidates (`records`, all
 * of them: also those no channel kept): those of the memories in their episodes (`scope`,
 * scope.ts) or that they said (`said`, the speaker channel). Empty when none is named.
 */
export function spokenConvs(
  records: { pk: number; record: Pick<MemoryRecord, "metadata"> }[],
  scope: Set<number> | null,
  said: Map<number, number> | null,
): Set<string> {
  const out = new Set<string>();
  for (const { pk, record } of records) {
    if (!(scope?.has(pk) || said?.get(pk))) continue;
    const c = convOf(record);
    if (c !== null) out.add(c);
  }
  return out;
}

/**
 * Choose the focus from a fused, sorted list (`spoken`: the conversations of the speakers the
 * query names, {@link spokenConvs}; `said`: the speaker channel). Null when there is nothing
 * to choose.
 */
export function chooseFocus(
  ranked: FocusItem[],
  spoken: Set<string>,
  said: Map<number, number> | null,
  w: FocusWeights,
): Focus | null {
  if (w.outside >= 1 || w.seeds <= 0) return null;
  const all = new Set<string>(spoken);
  for (const it of ranked) {
    const c = convOf(it.record);
    if (c !== null) all.add(c);
  }
  if (all.size < 2) return null;
  const allowed = spoken.size > 0 ? spoken : all;
  let convs: string[];
  if (allowed.size === 1) convs = [...allowed];
  else {
    const votes = new Map<string, number>();
    let n = 0;
    for (const it of ranked) {
      const c = convOf(it.record);
      // A named speaker shared by several conversations: the turns they said vote.
      if (c === null || !allowed.has(c) || (spoken.size > 1 && !said?.get(it.pk))) continue;
      votes.set(c, (votes.get(c) ?? 0) + it.score);
      if (++n >= w.seeds) break;
    }
    const best = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    convs = best ? [best[0]] : [...allowed];
  }
  const keep = new Set(convs);
  return {
    convs,
    inside: (r) => {
      const c = convOf(r);
      return c === null || keep.has(c);
    },
  };
}

/** Scale the turns outside the focus; returns the list re-sorted by `compare`. */
export function applyFocus<T extends FocusItem>(
  ranked: T[],
  focus: Focus,
  w: FocusWeights,
  scale: (item: T, factor: number) => void,
  compare: (a: T, b: T) => number,
): T[] {
  for (const it of ranked) if (!focus.inside(it.record)) scale(it, w.outside);
  return ranked.sort(compare);
}
