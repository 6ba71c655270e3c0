/**
 * Paraphrase-quality metrics for an embedder, shared by quality_test.ts and by
 * `deno run -A tests/embed/quality.ts`, which prints them for the defaults and baselines.
 * Weights were tuned on pairs.json + pairs_dev.json; pairs_holdout.json was not looked at.
 *
 * @module
 */
import type { Embedder } from "../../lib/embed/mod.ts";
import { cosine } from "../../lib/embed/mod.ts";
import { type BuiltinParams, createBuiltinEmbedder } from "../../lib/embed/builtin.ts";

/** A pairs file: paraphrase pairs should score above unrelated pairs. */
export interface PairSet {
  paraphrase: [string, string][];
  unrelated: [string, string][];
}

/** Quality figures for one embedder on one pair set. */
export interface Quality {
  /** P(random paraphrase pair scores above random unrelated pair), ties count half. */
  auc: number;
  /** Share of queries whose partner ranks first among all sentences (both directions). */
  top1: number;
  /** Mean reciprocal rank of the partner, same queries. */
  mrr: number;
  paraMean: number;
  unrelatedMean: number;
}

/**
 * Load a pairs file from tests/embed/testdata.
 *
 * @example
 * ```ts
 * const pairs = await loadPairs("pairs.json");
 * ```
 */
export async function loadPairs(name: string): Promise<PairSet> {
  const url = new URL(`./testdata/${name}`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

/**
 * AUC and top-1 retrieval of `e` on `set`. Retrieval: each side of a paraphrase pair is a
 * query; the candidates are every other sentence in the file (partners and distractors).
 *
 * @example
 * ```ts
 * const q = await measure(await createEmbedder({ provider: "builtin" }), pairs);
 * ```
 */
export async function measure(e: Embedder, set: PairSet): Promise<Quality> {
  const sentences = [...new Set([...set.paraphrase.flat(), ...set.unrelated.flat()])];
  const vecs = new Map<string, Float32Array>();
  (await e.embed(sentences)).forEach((v, i) => vecs.set(sentences[i], v));
  const sim = (a: string, b: string) => cosine(vecs.get(a)!, vecs.get(b)!);
  const para = set.paraphrase.map(([a, b]) => sim(a, b));
  const unrel = set.unrelated.map(([a, b]) => sim(a, b));
  let wins = 0;
  for (const p of para) for (const u of unrel) wins += p > u ? 1 : p === u ? 0.5 : 0;
  let hits = 0, rr = 0;
  for (const [a, b] of set.paraphrase) {
    for (const [q, want] of [[a, b], [b, a]]) {
      const target = sim(q, want);
      let above = 0;
      for (const s of sentences) if (s !== q && s !== want && sim(q, s) >= target) above++;
      if (above === 0) hits++;
      rr += 1 / (above + 1);
    }
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    auc: wins / (para.length * unrel.length),
    top1: hits / (2 * set.paraphrase.length),
    mrr: rr / (2 * set.paraphrase.length),
    paraMean: mean(para),
    unrelatedMean: mean(unrel),
  };
}

function fmt(q: Quality): string {
  return `AUC=${q.auc.toFixed(3)} top1=${(q.top1 * 100).toFixed(1)}% MRR=${q.mrr.toFixed(3)} ` +
    `para=${q.paraMean.toFixed(3)} unrel=${q.unrelatedMean.toFixed(3)}`;
}

const SETS = ["pairs.json", "pairs_dev.json", "pairs_holdout.json"];

async function report(label: string, params: Partial<BuiltinParams>, sets: PairSet[]) {
  const e = await createBuiltinEmbedder(params);
  console.log(label);
  for (const [i, set] of sets.entries()) {
    console.log(`  ${SETS[i].padEnd(20)} ${fmt(await measure(e, set))}`);
  }
}

if (import.meta.main) {
  const sets = await Promise.all(SETS.map(loadPairs));
  await report("defaults", {}, sets);
  await report("GloVe SIF part only (hashWeight=0)", { hashWeight: 0 }, sets);
  await report("hashed n-grams only", { hashWeight: 1e6 }, sets);
  await report("plain mean of word vectors", {
    sifA: 1e9,
    meanRemoval: 0,
    removePcs: 0,
    hashWeight: 0,
    domainRank: 0,
    negationRank: 0,
  }, sets);
}
