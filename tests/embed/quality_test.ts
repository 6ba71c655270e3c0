/**
 * Retrieval quality a user would notice. Thresholds are the measured values (see
 * `deno run -A tests/embed/quality.ts`) minus a margin; the vectors are deterministic, so
 * a failure means a real regression, not noise.
 */
import assert from "node:assert/strict";
import { createEmbedder } from "../../lib/embed/mod.ts";
import { createBuiltinEmbedder } from "../../lib/embed/builtin.ts";
import { loadPairs, measure } from "./quality.ts";

// Measured: pairs AUC 0.929, top-1 37.5%, MRR 0.485; dev AUC 0.751; holdout AUC 0.924.
const BAR = { auc: 0.89, top1: 0.31, mrr: 0.43, devAuc: 0.7, holdoutAuc: 0.86 };

Deno.test("quality: paraphrases outrank unrelated memories (pairs.json)", async () => {
  const q = await measure(
    await createEmbedder({ provider: "builtin" }),
    await loadPairs("pairs.json"),
  );
  assert.ok(q.auc >= BAR.auc, `AUC ${q.auc.toFixed(3)} < ${BAR.auc}`);
  assert.ok(q.top1 >= BAR.top1, `top-1 ${q.top1.toFixed(3)} < ${BAR.top1}`);
  assert.ok(q.mrr >= BAR.mrr, `MRR ${q.mrr.toFixed(3)} < ${BAR.mrr}`);
});

Deno.test("quality: tuning and held-out pair sets hold up", async () => {
  const e = await createEmbedder({ provider: "builtin" });
  const dev = await measure(e, await loadPairs("pairs_dev.json"));
  assert.ok(dev.auc >= BAR.devAuc, `dev AUC ${dev.auc.toFixed(3)} < ${BAR.devAuc}`);
  const held = await measure(e, await loadPairs("pairs_holdout.json"));
  assert.ok(held.auc >= BAR.holdoutAuc, `holdout AUC ${held.auc.toFixed(3)} < ${BAR.holdoutAuc}`);
});

Deno.test("quality: the bar is above what letters alone achieve", async () => {
  // Hashed n-grams alone (no word meaning) must fail the bar, or the bar tests nothing.
  const lexical = await createBuiltinEmbedder({ hashWeight: 1e6 });
  const q = await measure(lexical, await loadPairs("pairs.json"));
  assert.ok(q.auc < BAR.auc && q.top1 < BAR.top1, `n-grams alone pass: ${JSON.stringify(q)}`);
});
