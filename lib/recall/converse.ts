/**
 * The conversation steps after fusion, for turns of dialogue (memories with a speaker, like the
 * episode windows of episode.ts): the entity hop (cooccur.ts), "before/after X" anchors and
 * "when…?" questions (anchor.ts). Each adds to a hit's fused score and records its channel.
 */
import type { EpisodeLink, MemoryFilter, MemoryRecord, Store } from "../store/mod.ts";
import type { RecallHit } from "./engine.ts";
import { compareScored, type Scored } from "./fusion.ts";
import { type AnchorWeights, applyAnchor, applyWhen, asksWhen, queryAnchor } from "./anchor.ts";
import { type CooccurWeights, entityHop } from "./cooccur.ts";
import type { TermStats } from "./term_stats.ts";
import type { TimeWeights, TimeWindow } from "./time.ts";

type Item = Scored & { hit: RecallHit };

/** What the steps need to know about the query and the first pass. */
export interface ConverseContext {
  store: Store;
  stats?: TermStats;
  query: string;
  filter: MemoryFilter;
  k: number;
  /** Results the caller keeps. */
  limit: number;
  /** Episode links of the candidates (episode.ts). */
  links: Map<number, EpisodeLink>;
  /** Speakers the query names (speaker.ts), left out of the entity hop. */
  speakers: string[];
  /** The query names a time itself (time.ts) or the time channel is off: no anchors, no "when". */
  timed: boolean;
  admit: (pk: number, r: MemoryRecord) => boolean;
  /** Inside the conversation focus (focus.ts; `admit` already requires it): others stay put. */
  inside?: (r: MemoryRecord) => boolean;
  make: (pk: number, r: MemoryRecord) => Item;
}

/** Run the steps on a fused, sorted list; returns it re-sorted, the names and the anchor. */
export function converse(
  scored: Item[],
  c: ConverseContext,
  w: { cooccur: CooccurWeights; anchor: AnchorWeights; time: TimeWeights },
): { ranked: Item[]; entities: string[]; anchor: TimeWindow | null } {
  const turn = (it: Item) =>
    it.hit.channels.entity !== undefined || c.links.get(it.pk)?.turn === true;
  const inside = (it: Item) => c.inside?.(it.record) ?? true;
  // "After/before X": the memory of X among the first pass's hits opens a window.
  const anchor = !c.timed && scored.length > 0 && turn(scored[0])
    ? queryAnchor(c.query, scored, w.anchor, c.speakers)
    : null;
  const hop = entityHop(
    c.store,
    scored,
    {
      query: c.query,
      exclude: c.speakers,
      filter: c.filter,
      k: c.k,
      limit: c.limit,
      links: c.links,
      stats: c.stats,
    },
    w.cooccur,
    {
      admit: c.admit,
      make: c.make,
      compare: compareScored,
      note: (it, e, add) => inside(it) && noteEntity(it, e, add),
    },
  );
  let ranked = hop.ranked;
  const fns = {
    compare: compareScored,
    note: (it: Item, t: number, add: number) => turn(it) && inside(it) && noteTime(it, t, add),
  };
  if (anchor) ranked = applyAnchor(ranked, anchor, w.anchor, w.time, fns);
  else if (!c.timed && asksWhen(c.query)) ranked = applyWhen(ranked, w.anchor.when, fns);
  return { ranked, entities: hop.names, anchor };
}

/** The entity hop adds its share to a hit. */
function noteEntity(item: Item, entity: number, added: number) {
  item.score += added;
  item.hit.score = item.score;
  item.hit.channels.entity = entity;
  item.hit.provenance.push("entity");
}

/** An anchored or "when" query's time channel adds its share to a hit. */
function noteTime(item: Item, time: number, added: number) {
  item.score += added;
  item.hit.score = item.score;
  item.hit.channels.time = time;
  if (!item.hit.provenance.includes("time")) item.hit.provenance.push("time");
}
