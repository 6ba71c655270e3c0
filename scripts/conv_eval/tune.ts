/**
 * Tune the episode weights (lib/recall/episode.ts) on the tuning half of the conversational
 * eval only: coordinate ascent over a small grid per weight, objective recall@10 + ¼·MRR of
 * the answerable tuning questions. Prints each step and the best weights; the held-out half
 * is scored once, at the end, for the record.
 *
 *   deno run -A scripts/conv_eval/tune.ts [--rounds 2]
 */
import { parseArgs } from "node:util";
import { graphExpander } from "../../lib/graph/mod.ts";
import { EPISODE_WEIGHTS, type EpisodeWeights, recallHybrid } from "../../lib/recall/mod.ts";
import type { Runtime } from "../../lib/memory/mod.ts";
import { loadCorpus, splitOf, turnsPath } from "./corpus.ts";
import { namespaceOf } from "./generate.ts";
import { ask, importConvHome, type Ranker, scoreAnswers } from "./run.ts";
import type { Question } from "./model.ts";

/** `standalone` is left out: every turn of the eval has a speaker, so it cannot see it. */
const GRID: Partial<Record<keyof EpisodeWeights, number[]>> = {
  context: [0, 0.25, 0.5, 0.75, 1],
  near: [0.25, 0.5, 0.75, 1],
  speaker: [0.5, 1, 2, 3, 5],
  context_vector: [0, 0.25, 0.5, 0.75, 1],
  neighbour: [0.25, 0.5, 0.75, 1],
  expand: [0, 0.25, 0.5, 0.75, 0.9],
  expand_seeds: [1, 2, 3, 5, 8],
};

/** Recall as `recall()` runs it for `mode: "hybrid"`, with these episode weights. */
export function tunedRanker(rt: Runtime, w: EpisodeWeights): Ranker {
  const cfg = rt.config.recall;
  return async (q: Question) => {
    rt.syncIndex();
    const out = await recallHybrid({
      store: rt.store,
      index: rt.index,
      embedder: rt.embedder,
      stats: rt.stats,
      now: rt.now,
      graph: cfg.graph ? graphExpander(rt.store) : undefined,
    }, {
      query: q.question,
      filter: {
        namespace: namespaceOf(q.conv),
        statuses: ["active", "contested"],
        archived: "exclude",
      },
      limit: 10,
      weights: cfg.weights,
      min_channel_score: cfg.min_channel_score,
      diversity_factor: cfg.diversity_factor,
      episode: w,
    });
    return { ids: out.hits.map((h) => h.record.id), top: out.hits[0]?.score ?? 0 };
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { rounds: { type: "string", default: "2" } },
  });
  const corpus = await loadCorpus();
  const tuning = corpus.questions.filter((q) => splitOf(q.conv) === "tuning");
  const h = await importConvHome(turnsPath(), corpus.turns.map((t) => t.id));
  try {
    const objective = async (w: EpisodeWeights) => {
      const s = scoreAnswers(await ask(tuning, tunedRanker(h.rt, w)), h.memoryOf);
      const o = s.by.tuning.overall;
      return { value: o.recall_at_10 + o.mrr / 4, o, auc: s.adversarial.tuning.auc };
    };
    let best = { ...EPISODE_WEIGHTS };
    let bestScore = await objective(best);
    console.log("start", JSON.stringify(best), JSON.stringify(bestScore));
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const key of Object.keys(GRID) as (keyof EpisodeWeights)[]) {
        for (const v of GRID[key]!) {
          if (v === best[key]) continue;
          const w = { ...best, [key]: v };
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
          `round ${round + 1} ${key}: best ${JSON.stringify(best)} ${bestScore.value.toFixed(4)}`,
        );
      }
    }
    const held = corpus.questions.filter((q) => splitOf(q.conv) === "heldout");
    const s = scoreAnswers(await ask(held, tunedRanker(h.rt, best)), h.memoryOf);
    console.log("held-out with the tuned weights:", JSON.stringify(s.by.heldout.overall));
  } finally {
    await h.close();
  }
}
