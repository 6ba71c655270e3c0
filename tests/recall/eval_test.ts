/**
 * Retrieval quality on the hand-written corpus (tests/fixtures/recall-eval). Not a timed test:
 * it guards the property users notice — hybrid recall never ranks worse than plain bm25 — and
 * floors measured on this corpus (see docs/benchmarks.md) so a regression fails loudly.
 */
import assert from "node:assert/strict";
import { evaluate, importEvalCorpus, loadEvalCorpus } from "../../scripts/recall_eval.ts";
import { tempRuntime } from "../_support/runtime.ts";

Deno.test("recall eval: hybrid beats bm25-only and stays above its measured floors", async () => {
  await using t = await tempRuntime();
  const corpus = await loadEvalCorpus();
  const keys = await importEvalCorpus(t.rt, corpus.memories);
  assert.equal(keys.size, 341, "every corpus memory imported, none merged away");
  const bm25 = await evaluate(t.rt, corpus.queries, keys, "bm25");
  const hybrid = await evaluate(t.rt, corpus.queries, keys, "hybrid");
  const h = hybrid.overall;
  const b = bm25.overall;
  assert.ok(
    h.recall_at_10 >= b.recall_at_10,
    `recall@10 hybrid ${h.recall_at_10} < bm25 ${b.recall_at_10}`,
  );
  assert.ok(
    h.recall_at_5 >= b.recall_at_5,
    `recall@5 hybrid ${h.recall_at_5} < bm25 ${b.recall_at_5}`,
  );
  assert.ok(h.mrr >= b.mrr, `MRR hybrid ${h.mrr} < bm25 ${b.mrr}`);
  // Floors a little under today's numbers (0.787 / 0.670 / 0.639).
  assert.ok(h.recall_at_10 >= 0.76, `recall@10 ${h.recall_at_10}`);
  assert.ok(h.recall_at_5 >= 0.64, `recall@5 ${h.recall_at_5}`);
  assert.ok(h.mrr >= 0.61, `MRR ${h.mrr}`);
  // Identifiers and plain keywords must stay (near) perfect.
  assert.ok(hybrid.by_kind.identifier.recall_at_10 >= 0.95);
  assert.ok(hybrid.by_kind.keyword.recall_at_10 >= 0.95);
  assert.ok(hybrid.by_kind.temporal.recall_at_10 >= bm25.by_kind.temporal.recall_at_10);
});

Deno.test("recall eval: graph expansion never ranks below plain hybrid and finds linked answers", async () => {
  await using t = await tempRuntime();
  const corpus = await loadEvalCorpus();
  const keys = await importEvalCorpus(t.rt, corpus.memories);
  const hybrid = await evaluate(t.rt, corpus.queries, keys, "hybrid");
  const graph = await evaluate(t.rt, corpus.queries, keys, "hybrid+graph");
  const h = hybrid.overall;
  const g = graph.overall;
  assert.ok(
    g.recall_at_10 >= h.recall_at_10,
    `recall@10 graph ${g.recall_at_10} < ${h.recall_at_10}`,
  );
  assert.ok(g.recall_at_5 >= h.recall_at_5, `recall@5 graph ${g.recall_at_5} < ${h.recall_at_5}`);
  assert.ok(g.mrr >= h.mrr, `MRR graph ${g.mrr} < hybrid ${h.mrr}`);
  // The queries written for the graph (answers one causal / temporal / entity link away from
  // what the query says): following links must find answers plain hybrid leaves out of the top 10.
  for (const intent of ["why", "when", "entity"]) {
    const gk = graph.by_kind[`graph:${intent}`];
    const hk = hybrid.by_kind[`graph:${intent}`];
    assert.ok(gk && hk, `no graph:${intent} queries in the corpus`);
    assert.ok(
      gk.recall_at_10 > hk.recall_at_10,
      `graph:${intent} recall@10 graph ${gk.recall_at_10} ≤ hybrid ${hk.recall_at_10}`,
    );
  }
  // Guard the categories the graph must not hurt at all.
  for (const kind of ["identifier", "keyword"]) {
    assert.ok(graph.by_kind[kind].recall_at_10 >= hybrid.by_kind[kind].recall_at_10, kind);
  }
});
