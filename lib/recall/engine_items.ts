/**
 * How the steps after fusion (conversation focus, entity hop, anchors, neighbour expansion)
 * mark, add and raise the engine's ranked items.
 */
import {
  type EpisodeLink,
  type MemoryRecord,
  type Store,
  withoutConversation,
} from "../store/mod.ts";
import type { FocusItem } from "./focus.ts";
import type { RecallHit } from "./engine.ts";
import { compareScored, type Scored } from "./fusion.ts";
import { type EpisodeWeights, expandEpisodes } from "./episode.ts";
import { demoteRepeats, REDUNDANCY_WEIGHTS, type RedundancyWeights } from "./redundancy.ts";

/** A turn of another conversation than the question's (focus.ts). */
export function outside(item: Scored & { hit: RecallHit }, factor: number) {
  item.score *= factor;
  item.hit.score = item.score;
  item.hit.provenance.push("other_conversation");
}

/** How neighbour expansion adds and raises hits (lib/recall/episode.ts). */
export function episodeFns(admit: (pk: number, r: MemoryRecord) => boolean) {
  type Item = Scored & { hit: RecallHit };
  return {
    admit,
    compare: compareScored,
    make: (pk: number, record: MemoryRecord): Item => {
      const channels = { vector: 0, fts: 0, exact: 0, recency: 0, context: 0, context_vector: 0 };
      const raw = { vector: null, fts: null, exact: null };
      return { pk, record, score: 0, hit: { record, score: 0, channels, raw, provenance: [] } };
    },
    note: (item: Item, score: number, seed: Item, step: number) => {
      item.score = score;
      item.hit.score = score;
      item.hit.provenance.push(`episode:${step}:${seed.record.id}`);
    },
  };
}

/** A repeat of a better-ranked turn (redundancy.ts). */
function repeated(
  item: Scored & { hit: RecallHit },
  factor: number,
  kept: Scored & { hit: RecallHit },
) {
  item.score *= factor;
  item.hit.score = item.score;
  item.hit.provenance.push(`repeat:${kept.record.id}`);
}

/** Whether a ranked item is a turn of dialogue: by its episode link, or brought in as one. */
function turnIn(links: Map<number, EpisodeLink>) {
  return (item: Scored & { hit: RecallHit }) =>
    links.get(item.pk)?.turn ??
      item.hit.provenance.some((p) => p.startsWith("episode:") || p === "entity");
}

/**
 * The last steps for turns of dialogue: neighbour expansion (episode.ts), then repeats of
 * better-ranked turns are scaled down (redundancy.ts).
 */
export function tidyTurns(
  store: Store,
  scored: (Scored & { hit: RecallHit })[],
  ew: EpisodeWeights,
  rw: RedundancyWeights | undefined,
  links: Map<number, EpisodeLink>,
  admit: (pk: number, r: MemoryRecord) => boolean,
): (Scored & { hit: RecallHit })[] {
  const expanded = expandEpisodes(store, scored, ew, episodeFns(admit));
  return demoteRepeats(expanded, rw ?? REDUNDANCY_WEIGHTS, turnIn(links), repeated, compareScored);
}

const NO_CONVERSATION = Object.freeze({ metadata: Object.freeze({}) });

/**
 * The ranked items as the conversation focus reads them (focus.ts `chooseFocus`): a memory
 * known to be in no conversation (store `withoutConversation`: its episode key is the one of
 * its plain session) shows empty metadata, so the focus does not open its sealed metadata
 * (about 7 µs each, for every candidate of every recall). The focus chosen is the same.
 */
export function focusView(
  store: Store,
  items: readonly {
    pk: number;
    score: number;
    record: Pick<MemoryRecord, "metadata" | "session">;
  }[],
): FocusItem[] {
  const known = withoutConversation(
    store,
    items.map((it) => ({ pk: it.pk, session: it.record.session })),
  );
  return items.map((it) =>
    known.has(it.pk) ? { pk: it.pk, score: it.score, record: NO_CONVERSATION } : it
  );
}
