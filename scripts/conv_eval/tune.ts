/**
 * Tune the conversation weights of recall on the tuning half of the conversational eval only:
 * episode windows (lib/recall/episode.ts), the speaker channel (speaker.ts), the entity hop
 * (cooccur.ts), "before/after X" / "when…?" (anchor.ts), the conversation focus (focus.ts) and
 * repeated turns (redundancy.ts). Coordinate ascent over a small
 * grid per weight, objective recall@10 + ¼·MRR of the answerable tuning questions. Prints each
 * step and the best weights; the held-out half is scored once, at the end, for the record.
 *
 *   deno run -A scripts/conv_eval/tune.ts [--rounds 2] [--only speaker,cooccur,anchor]
 *                                         [--keys cooccur.terms,redundancy.factor]
 *                                         [--layout one|per-conv]
 */
import { parseArgs } from "node:util";
import { graphExpander } from "../../lib/graph/mod.ts";
import {
  ANCHOR_WEIGHTS,
  type AnchorWeights,
  BRIDGE_WEIGHTS,
  type BridgeWeights,
  COOCCUR_WEIGHTS,
  type CooccurWeights,
  EPISODE_WEIGHTS,
  type EpisodeWeights,
  FOCUS_WEIGHTS,
  type FocusWeights,
  recallHybrid,
  type RecallOutcome,
  REDUNDANCY_WEIGHTS,
  type RedundancyWeights,
  SPEAKER_WEIGHTS,
  type SpeakerWeights,
} from "../../lib/recall/mod.ts";
import type { Runtime } from "../../lib/memory/mod.ts";
import { loadCorpus, splitOf, turnsPath } from "./corpus.ts";
import { namespaceOf } from "./generate.ts";
import { ask, importConvHome, type Layout, type Ranker, scoreAnswers } from "./run.ts";
import type { Question } from "./model.ts";

/** Every weight group the conversation steps of recall take. */
export interface ConvWeights {
  episode: EpisodeWeights;
  speaker: SpeakerWeights;
  cooccur: CooccurWeights;
  anchor: AnchorWeights;
  focus: FocusWeights;
  redundancy: RedundancyWeights;
  bridge: BridgeWeights;
}

export const CONV_WEIGHTS: ConvWeights = {
  episode: { ...EPISODE_WEIGHTS },
  speaker: { ...SPEAKER_WEIGHTS },
  cooccur: { ...COOCCUR_WEIGHTS },
  anchor: { ...ANCHOR_WEIGHTS },
  focus: { ...FOCUS_WEIGHTS },
  redundancy: { ...REDUNDANCY_WEIGHTS },
  bridge: { ...BRIDGE_WEIGHTS },
};

/**
 * The grid, per "group.key". `episode.standalone` is left out: every turn of the eval has a
 * speaker, so it cannot see it.
 */
const GRID: Record<string, number[]> = {
  "episode.context": [0, 0.25, 0.5, 0.75, 1],
  "episode.near": [0.25, 0.5, 0.75, 1],
  "episode.speaker": [0.5, 1, 2, 3, 5],
  "episode.context_vector": [0, 0.25, 0.5, 0.75, 1],
  "episode.neighbour": [0.25, 0.5, 0.75, 1],
  "episode.expand": [0, 0.25, 0.5, 0.75, 0.9],
  "episode.expand_seeds": [1, 2, 3, 5, 8],
  "speaker.weight": [0, 0.15, 0.3, 0.6, 0.8, 1],
  "speaker.idf": [0, 1.5, 2, 2.5, 3, 3.5],
  "speaker.floor": [0, 0.1, 0.25, 0.5],
  "cooccur.weight": [0, 0.3, 0.5, 0.7],
  "cooccur.seeds": [1, 2, 3, 5],
  "cooccur.terms": [2, 4, 6],
  "cooccur.reach": [1, 2],
  "anchor.weight": [0, 0.15, 0.3, 0.6],
  "anchor.horizon": [14, 30, 60],
  "anchor.when": [0, 0.05, 0.1, 0.2],
  "focus.outside": [0.25, 0.5, 0.7, 0.85, 1],
  "focus.seeds": [1, 3, 5, 10],
  "redundancy.factor": [0.2, 0.35, 0.5, 0.7, 1],
  "redundancy.overlap": [0.6, 0.7, 0.8, 0.9, 1],
  "redundancy.window": [10, 20, 30, 50],
  "redundancy.min_words": [2, 3, 4],
  "bridge.weight": [0, 0.1, 0.2, 0.3, 0.5, 0.8],
  "bridge.floor": [0.5, 0.55, 0.6, 0.65, 0.7],
  "bridge.neighbours": [0, 2, 3, 5, 8],
  "bridge.common": [0, 30, 100, 300],
  "bridge.share": [0.005, 0.01, 0.02, 0.05],
  "bridge.depth": [1, 2, 4],
  "bridge.rows": [5000, 10000, 20000],
  "bridge.take": [10, 20, 30, 50],
};

const get = (w: ConvWeights, path: string) => {
  const [g, k] = path.split(".") as [keyof ConvWeights, string];
  return (w[g] as unknown as Record<string, number>)[k];
};
const set = (w: ConvWeights, path: string, v: number): ConvWeights => {
  const [g, k] = path.split(".") as [keyof ConvWeights, string];
  return { ...w, [g]: { ...w[g], [k]: v } };
};

/**
 * Recall as the library runs it for `mode: "hybrid"` (the runtime's configured weights, the
 * graph when configured, live memories only), `limit` deep, with `w` laid over the weights.
 */
export async function libraryRecall(
  rt: Runtime,
  query: string,
  namespace: string,
  limit: number,
  w: Partial<ConvWeights> = {},
): Promise<RecallOutcome> {
  const cfg = rt.config.recall;
  rt.syncIndex();
  return await recallHybrid({
    store: rt.store,
    index: rt.index,
    embedder: rt.embedder,
    stats: rt.stats,
    now: rt.now,
    graph: cfg.graph ? graphExpander(rt.store) : undefined,
  }, {
    query,
    filter: { namespace, statuses: ["active", "contested"], archived: "exclude" },
    limit,
    weights: cfg.weights,
    min_channel_score: cfg.min_channel_score,
    diversity_factor: cfg.diversity_factor,
    ...w,
  });
}

/** Recall as `recall()` runs it for `mode: "hybrid"`, with these weights. */
export function tunedRanker(
  rt: Runtime,
  w: ConvWeights,
  namespaceFor: (conv: string) => string = namespaceOf,
): Ranker {
  return async (q: Question) => {
    const out = await libraryRecall(rt, q.question, namespaceFor(q.conv), 10, w);
    return { ids: out.hits.map((h) => h.record.id), top: out.hits[0]?.score ?? 0 };
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "2" },
      only: { type: "string" },
      keys: { type: "string" },
      layout: { type: "string", default: "one" },
    },
  });
  const groups = values.only?.split(",");
  const picked = values.keys?.split(",");
  const keys = Object.keys(GRID).filter((k) =>
    (!groups || groups.includes(k.split(".")[0])) && (!picked || picked.includes(k))
  );
  const corpus = await loadCorpus();
  const tuning = corpus.questions.filter((q) => splitOf(q.conv) === "tuning");
  const h = await importConvHome(
    turnsPath(),
    corpus.turns.map((t) => t.id),
    "",
    values.layout as Layout,
  );
  try {
    const objective = async (w: ConvWeights) => {
      const s = scoreAnswers(await ask(tuning, tunedRanker(h.rt, w, h.namespaceFor)), h.memoryOf);
      const o = s.by.tuning.overall;
      return { value: o.recall_at_10 + o.mrr / 4, o, auc: s.adversarial.tuning.auc };
    };
    let best = CONV_WEIGHTS;
    let bestScore = await objective(best);
    console.log("start", JSON.stringify(best), JSON.stringify(bestScore));
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const key of keys) {
        for (const v of GRID[key]) {
          if (v === get(best, key)) continue;
          const w = set(best, key, v);
          const s = await objective(w);
          console.log(
            `  ${key}=${v}: ${
              s.value.toFixed(4)
            } (R@10 ${s.o.recall_at_10}, MRR ${s.o.mrr}, AUC ${s.auc})`,
          );
          if (s.value > bestScore.value + 1e-9) {
            best = w;
            bestScore = s;
          }
        }
        console.log(
          `round ${round + 1} ${key}: best ${get(best, key)} ${bestScore.value.toFixed(4)}`,
        );
      }
    }
    console.log("best", JSON.stringify(best));
    const held = corpus.questions.filter((q) => splitOf(q.conv) === "heldout");
    const s = scoreAnswers(await ask(held, tunedRanker(h.rt, best, h.namespaceFor)), h.memoryOf);
    console.log("held-out with the tuned weights:", JSON.stringify(s.by.heldout.overall));
  } finally {
    await h.close();
  }
}
