/**
 * "Before/after X" questions ("what happened after Maya's last round of interviews?", "what
 * diet was Jonas on before the blood test?") name no date; they name an event. Its time is the
 * event time of the memory of X: among the first pass's best hits (the question is mostly X's
 * words), the one holding most of X's words. The time channel (time.ts) then prefers memories
 * from that day on (up to it) within {@link AnchorWeights.horizon} days, decaying outside like
 * any window; the memory of X itself gets nothing (it is where the question starts). Queries
 * that name a date themselves keep that date; this runs only without one. Also here: "when…?"
 * questions, which favour memories whose own words date them.
 */
import { DAY, eventWindows, timeScores, type TimeWeights, type TimeWindow } from "./time.ts";
import { contentWords, words } from "./text.ts";

/** An anchored query: the direction and the words naming the event. */
export interface Anchor {
  direction: "after" | "before";
  /** The anchor words as the query says them ("after Maya's last round of interviews"). */
  text: string;
}

/** How anchors count; tuned on the conversational eval's tuning half. */
export interface AnchorWeights {
  /** Weight of the time channel for an anchored query (0: anchors off). */
  weight: number;
  /** Days after (before) the anchor that count as fully inside. */
  horizon: number;
  /** Added for a "when…?" query to memories whose content names a date (0: off). */
  when: number;
}

export const ANCHOR_WEIGHTS: Readonly<AnchorWeights> = Object.freeze({
  weight: 0.3,
  horizon: 14,
  when: 0.1,
});

/**
 * Sequence words. "Since", "once" and "following" are left out: "how has her hobby developed
 * since she started it?" wants the start too, and "following" is mostly a verb (measured on
 * the conversational eval's tuning half: with them, multi-hop recall fell).
 */
const SEQUENCE = /\b(after|afterwards|before|prior to|ahead of|until|till|leading up to)\s+(\S.*)/i;
const AFTER = /^(after|afterwards)$/i;

/**
 * The anchor of a query, or null.
 *
 * @example
 * ```ts
 * anchorOf("What happened after Maya moved?");
 * // { direction: "after", text: "after Maya moved" }
 * ```
 */
export function anchorOf(query: string): Anchor | null {
  const m = SEQUENCE.exec(query);
  if (!m) return null;
  const rest = m[2].replace(/[?.!\s]+$/, "");
  if (!/[\p{L}\p{N}]/u.test(rest)) return null;
  return { direction: AFTER.test(m[1]) ? "after" : "before", text: `${m[1]} ${rest}` };
}

/** The window an anchor at `createdAt` opens (inclusive of the anchor's own day). */
export function anchorWindow(a: Anchor, createdAt: string, w: AnchorWeights): TimeWindow | null {
  const t = Date.parse(createdAt);
  if (Number.isNaN(t)) return null;
  const day = Math.floor(t / DAY) * DAY;
  return a.direction === "after"
    ? { start: day, end: day + (w.horizon + 1) * DAY, text: a.text }
    : { start: day - w.horizon * DAY, end: day + DAY, text: a.text };
}

/** A ranked item the anchor can re-score. */
export interface AnchorItem {
  pk: number;
  score: number;
  record: { created_at: string; content: string };
}

/** Words alike when equal or sharing a 5-letter start ("interviews" ~ "interview"). */
const alike = (a: string, b: string) =>
  a === b || (a.length >= 5 && b.length >= 5 && a.slice(0, 5) === b.slice(0, 5));

/**
 * The memory of X among the first `among` hits: the one whose content holds most of the
 * anchor's words (the best hit on a tie or when none holds any). The first pass ranked the
 * whole question, whose other words ("what happened") can put another memory first.
 */
export function anchorHit<T extends AnchorItem>(
  a: Anchor,
  ranked: T[],
  exclude: string[] = [],
  among = 10,
): T {
  const skip = new Set([...exclude, ...words(a.text).slice(0, 1)]);
  const want = contentWords(a.text).filter((t) => !skip.has(t));
  let best = ranked[0];
  let most = 0;
  for (const item of ranked.slice(0, among)) {
    const have = contentWords(item.record.content);
    const n = want.filter((t) => have.some((h) => alike(t, h))).length;
    if (n > most) [best, most] = [item, n];
  }
  return best;
}

/**
 * The window an anchored query opens: at the event time of the memory of X among the first
 * pass's hits, and that memory's pk (null when the query has no anchor or nothing was found). `exclude`: words that
 * do not identify X (the query's speakers).
 */
export function queryAnchor(
  query: string,
  ranked: AnchorItem[],
  w: AnchorWeights,
  exclude: string[] = [],
): (TimeWindow & { pk: number }) | null {
  const a = w.weight > 0 && ranked.length > 1 ? anchorOf(query) : null;
  const hit = a ? anchorHit(a, ranked, exclude) : null;
  const win = a && hit ? anchorWindow(a, hit.record.created_at, w) : null;
  return win && hit ? { ...win, pk: hit.pk } : null;
}

/**
 * Re-score a ranked list by an anchor's window: every item but the memory of X itself (`pk`:
 * it is what the question starts from, not its answer) gets `weight · time score` added
 * (`note` records it). Returns the list re-sorted by `compare`.
 */
export function applyAnchor<T extends AnchorItem>(
  ranked: T[],
  win: TimeWindow & { pk: number },
  w: AnchorWeights,
  tw: TimeWeights,
  fns: { note: (item: T, time: number, added: number) => void; compare: (a: T, b: T) => number },
): T[] {
  // Dates in the content count for the first `READ` items; the rest by `created_at` alone
  // (content of sealed memories is opened only when read).
  const time = timeScores(
    ranked.map((r, i) => ({
      pk: r.pk,
      created_at: r.record.created_at,
      content: i < READ ? r.record.content : "",
    })),
    [win],
    tw,
  );
  for (const item of ranked) {
    if (item.pk === win.pk) continue;
    const t = time.get(item.pk) ?? 0;
    fns.note(item, t, w.weight * t);
  }
  return [...ranked].sort(fns.compare);
}

/**
 * Items, from the top, whose content the time steps read: further down, +0.3 or +0.1 cannot
 * lift a memory into a top 10, and reading content opens sealed memories.
 */
const READ = 50;

/** "When did/was/is…": the question wants a memory that can date the event. */
const WHEN = /^\s*(?:and\s+|so\s+)?when\b|\bwhat (?:day|date|month|year)\b|\bhow long ago\b/i;

/** Whether a query asks when something happened. */
export function asksWhen(query: string): boolean {
  return WHEN.test(query);
}

/**
 * For a "when…?" query: items (of the first 50) whose content names a date of its own ("signed the lease this
 * morning", "on Saturday", "3 March") get `weight` added (`note` with time 1); the others keep
 * their score. Returns the list re-sorted by `compare`.
 */
export function applyWhen<T extends AnchorItem>(
  ranked: T[],
  weight: number,
  fns: { note: (item: T, time: number, added: number) => void; compare: (a: T, b: T) => number },
): T[] {
  if (weight <= 0) return ranked;
  for (const item of ranked.slice(0, READ)) {
    if (eventWindows(item.record.created_at, item.record.content).length > 1) {
      fns.note(item, 1, weight);
    }
  }
  return [...ranked].sort(fns.compare);
}
