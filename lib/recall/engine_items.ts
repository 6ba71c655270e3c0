/**
 * How the steps after fusion (conversation focus, entity hop, anchors, neighbour expansion)
 * mark, add and raise the engine's ranked items.
 */
import type { MemoryRecord } from "../store/mod.ts";
import type { RecallHit } from "./engine.ts";
import { compareScored, type Scored } from "./fusion.ts";

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
