/**
 * Retrieval-quality evaluations.
 *
 * - The hand-written developer-memory corpus `tests/fixtures/recall-eval/`: imports it into a
 *   runtime, runs every query in a given mode, and scores recall@5, recall@10 and MRR overall
 *   and per query kind. Used by `deno task bench` and by the quality test.
 * - Run as a script, the conversational eval over `tests/fixtures/recall-eval-conv/` (see
 *   scripts/conv_eval/ and the end of this file).
 */
import { parseArgs } from "node:util";
import { importText, recall, type Runtime } from "../lib/memory/mod.ts";
import { rebuildGraph } from "../lib/graph/mod.ts";
import * as conv from "./conv_eval/mod.ts";

/** Recall modes the eval compares; `hybrid+graph` is hybrid with graph expansion. */
export type EvalMode = "hybrid" | "bm25" | "vector" | "hybrid+graph";

/** One evaluation query. */
export interface EvalQuery {
  id: string;
  query: string;
  answers: string[];
  kind: string;
  /** Queries written for the memory graph: the intent whose links lead to the answer. */
  graph?: "why" | "when" | "entity";
}

/** Scores for one group of queries. */
export interface EvalScores {
  queries: number;
  recall_at_5: number;
  recall_at_10: number;
  mrr: number;
}

/** Overall and per-kind scores. */
export interface EvalReport {
  mode: string;
  overall: EvalScores;
  by_kind: Record<string, EvalScores>;
  /** Query ids whose first answer is not in the top 10 (for error analysis). */
  misses: string[];
}

export const EVAL_DIR = new URL("../tests/fixtures/recall-eval/", import.meta.url);

/** Read the corpus files. */
export async function loadEvalCorpus(dir: URL = EVAL_DIR) {
  const memories = await Deno.readTextFile(new URL("memories.jsonl", dir));
  const queries = (await Deno.readTextFile(new URL("queries.jsonl", dir))).split("\n")
    .filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalQuery);
  return { memories, queries };
}

/** Import the corpus into `namespace`; returns metadata.key → memory id. */
export async function importEvalCorpus(
  rt: Runtime,
  memoriesJsonl: string,
  namespace = "eval",
): Promise<Map<string, string>> {
  const res = await importText(rt, memoriesJsonl, { namespace });
  if (res.failed.length) {
    throw new Error(`eval corpus has bad lines: ${JSON.stringify(res.failed.slice(0, 3))}`);
  }
  // A bulk import skips semantic edges (bounded write path); a rebuild adds them, as a user
  // would run `memoryoss graph rebuild` after importing history.
  rt.syncIndex();
  rebuildGraph(rt.store, { namespace, index: rt.index });
  const keys = new Map<string, string>();
  const rows = rt.store.list({ namespace, archived: "include" }, { limit: 1_000_000 });
  for (const m of rows) {
    const key = m.record.metadata.key;
    if (typeof key === "string") keys.set(key, m.record.id);
  }
  return keys;
}

function score(ranked: string[], answers: string[]): { r5: number; r10: number; rr: number } {
  const at = (k: number) =>
    answers.filter((a) => ranked.slice(0, k).includes(a)).length / answers.length;
  const first = ranked.findIndex((id) => answers.includes(id));
  return { r5: at(5), r10: at(10), rr: first >= 0 ? 1 / (first + 1) : 0 };
}

/** Run every query in `mode` and score it. */
export async function evaluate(
  rt: Runtime,
  queries: EvalQuery[],
  keys: Map<string, string>,
  mode: EvalMode,
  namespace = "eval",
): Promise<EvalReport> {
  const groups = new Map<string, { r5: number; r10: number; rr: number; n: number }>();
  const misses: string[] = [];
  const add = (kind: string, s: { r5: number; r10: number; rr: number }) => {
    const g = groups.get(kind) ?? { r5: 0, r10: 0, rr: 0, n: 0 };
    g.r5 += s.r5;
    g.r10 += s.r10;
    g.rr += s.rr;
    g.n++;
    groups.set(kind, g);
  };
  for (const q of queries) {
    const answers = q.answers.map((k) => keys.get(k)).filter((x): x is string => Boolean(x));
    if (answers.length !== q.answers.length) throw new Error(`${q.id}: unknown answer key`);
    const res = await recall(rt, {
      query: q.query,
      namespace,
      limit: 10,
      mode: mode === "hybrid+graph" ? "hybrid" : mode,
      graph: mode === "hybrid+graph",
      status: ["active", "candidate", "contested", "stale"],
    });
    const s = score(res.memories.map((m) => m.id), answers);
    if (s.r10 === 0) misses.push(q.id);
    add("all", s);
    add(q.kind, s);
    if (q.graph) add(`graph:${q.graph}`, s);
  }
  const fmt = (g: { r5: number; r10: number; rr: number; n: number }): EvalScores => ({
    queries: g.n,
    recall_at_5: round(g.r5 / g.n),
    recall_at_10: round(g.r10 / g.n),
    mrr: round(g.rr / g.n),
  });
  const by_kind: Record<string, EvalScores> = {};
  for (const [k, g] of [...groups].sort()) if (k !== "all") by_kind[k] = fmt(g);
  return { mode, overall: fmt(groups.get("all")!), by_kind, misses };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// The conversational eval (tests/fixtures/recall-eval-conv, made by scripts/conv_eval/):
//
//   deno run -A scripts/recall_eval.ts [--generate] [--layout both|one|per-conv]
//                                      [--modes bm25,vector,hybrid] [--cli-sample 20] [--json FILE]
//
// --generate rewrites the fixture from its seed first. The turns are imported with
// `memoryoss import --file` into a temp home; questions run through the library's `recall`.
// Two layouts (both by default): `one`, the primary protocol (the outside benchmark's: every
// conversation in the default namespace), and `per-conv` (a namespace per conversation).

const LAYOUT_TITLE: Record<conv.Layout, string> = {
  "one": "all conversations in one namespace (primary: the outside benchmark's protocol)",
  "per-conv": "one namespace per conversation",
};

async function conversationalMain(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      generate: { type: "boolean" },
      seed: { type: "string", default: String(conv.DEFAULT_SEED) },
      layout: { type: "string", default: "both" },
      "one-namespace": { type: "boolean" },
      modes: { type: "string", default: conv.MODES.join(",") },
      "cli-sample": { type: "string", default: "20" },
      json: { type: "string" },
    },
  });
  const layouts: conv.Layout[] = values["one-namespace"]
    ? ["one"]
    : values.layout === "both"
    ? [...conv.LAYOUTS]
    : [values.layout as conv.Layout];
  if (!layouts.every((l) => conv.LAYOUTS.includes(l))) {
    throw new Error(`--layout: one of both, ${conv.LAYOUTS.join(", ")}`);
  }
  if (values.generate) await conv.writeCorpus(conv.generateCorpus(Number(values.seed)));
  const corpus = await conv.loadCorpus();
  const all: Record<string, unknown> = {};
  for (const layout of layouts) {
    all[layout] = await runLayout(corpus, layout, values.modes!, Number(values["cli-sample"]));
  }
  if (values.json) await Deno.writeTextFile(values.json, JSON.stringify(all, null, 2));
}

async function runLayout(corpus: conv.Corpus, layout: conv.Layout, modes: string, n: number) {
  const h = await conv.importConvHome(
    conv.turnsPath(),
    corpus.turns.map((t) => t.id),
    "",
    layout,
  );
  try {
    console.log(
      `## Conversational recall eval: ${LAYOUT_TITLE[layout]} (${corpus.turns.length} turns, ` +
        `${corpus.questions.length} questions; import ${
          h.importSeconds.toFixed(1)
        } s through the CLI)\n`,
    );
    const results = [];
    const times: string[] = [];
    for (const mode of modes.split(",") as conv.Mode[]) {
      const answers = await conv.ask(corpus.questions, conv.libRanker(h.rt, mode, h.namespaceFor));
      results.push({ mode, scores: conv.scoreAnswers(answers, h.memoryOf) });
      const l = conv.latency(answers);
      times.push(`${mode} p50 ${l.p50} ms, p95 ${l.p95} ms`);
    }
    console.log(conv.markdownTables(results));
    console.log(`Library recall, in-process and warm: ${times.join("; ")}.\n`);
    if (n > 0) {
      const s = await conv.cliSample(h.home, corpus.questions, n, h.namespaceFor);
      console.log(
        `CLI check: ${s.same}/${s.checked} sampled questions ranked identically by ` +
          `\`memoryoss recall --limit 10 --json\` and the library (CLI p50 ${s.p50_ms} ms per ` +
          `process)${s.mismatches.length ? `; differ: ${s.mismatches.join(", ")}` : ""}\n`,
      );
    }
    return results;
  } finally {
    await h.close();
  }
}

if (import.meta.main) await conversationalMain(Deno.args);
