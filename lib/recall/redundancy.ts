/**
 * Repeated turns. People say the same thing again in a later session ("the neighbour has a
 * spare now, lesson learned", "happy Friday!!", "ugh, I feel that"), and a question sharing one
 * word with such a line gets every copy near the top: three slots of ten for one sentence, and
 * the entity hop then reads its names from the copies. After the conversation steps, a turn of
 * dialogue that says what a better-ranked turn said (every content word of the shorter of the
 * two is in the other: "So the neighbour has a spare now… haha") is scaled by
 * {@link RedundancyWeights.factor}: the best copy keeps its place, the others make room. A turn
 * on the same topic that adds a word is no repeat ("pottery class again, the bowl is lopsided
 * still" after "pottery class tonight, my bowl came out lopsided"). Only the first
 * {@link RedundancyWeights.window} hits are compared (a few hundred set look-ups), and turns
 * with fewer than {@link RedundancyWeights.min_words} content words never count. Memories that
 * are not turns of dialogue are left alone.
 */
import { contentWords } from "./text.ts";

/** How repeats are scaled; tuned on the conversational eval's tuning half. */
export interface RedundancyWeights {
  /** Factor on a repeat's score (1: off). */
  factor: number;
  /** Share of the shorter turn's content words the longer must hold to count as a repeat. */
  overlap: number;
  /** Hits, from the top, compared. */
  window: number;
  /** Turns with fewer content words are never repeats. */
  min_words: number;
}

export const REDUNDANCY_WEIGHTS: Readonly<RedundancyWeights> = Object.freeze({
  factor: 0.5,
  overlap: 1,
  window: 30,
  min_words: 2,
});

/** A ranked item the step reads and rescales. */
export interface RepeatItem {
  pk: number;
  score: number;
  record: { content: string };
}

/** Whether `a` and `b` (content-word sets) say the same: overlap over the smaller set. */
export function sameWords(
  a: Set<string>,
  b: Set<string>,
  overlap: number,
  minWords = REDUNDANCY_WEIGHTS.min_words,
): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size < minWords) return false;
  let n = 0;
  for (const w of small) if (large.has(w)) n++;
  return n / small.size >= overlap;
}

/**
 * Scale the repeats among the first `window` of a sorted list (`turn` says which items are
 * turns of dialogue; `note` records the scaling and the kept copy); returns it re-sorted by
 * `compare`.
 */
export function demoteRepeats<T extends RepeatItem>(
  ranked: T[],
  w: RedundancyWeights,
  turn: (item: T) => boolean,
  note: (item: T, factor: number, kept: T) => void,
  compare: (a: T, b: T) => number,
): T[] {
  if (w.factor >= 1 || w.window <= 1) return ranked;
  const kept: { item: T; words: Set<string> }[] = [];
  let changed = false;
  for (const item of ranked.slice(0, w.window)) {
    if (!turn(item)) continue;
    const words = new Set(contentWords(item.record.content));
    const copy = kept.find((k) => sameWords(k.words, words, w.overlap, w.min_words));
    if (copy) {
      note(item, w.factor, copy.item);
      changed = true;
    } else kept.push({ item, words });
  }
  return changed ? ranked.sort(compare) : ranked;
}
