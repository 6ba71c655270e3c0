/**
 * Extraction by a model (memman's extraction rules) against fake providers on 127.0.0.1
 * speaking the real wire formats: facts stored as candidates with the model's category and
 * clamped importance; secrets never reach the model; a skip stores nothing; any provider
 * error falls back to the local heuristic.
 */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import { Extractor, llmExtract } from "../../lib/extract/mod.ts";
import { writeQueue } from "../../lib/memory/mod.ts";
import type { ChatSettings } from "../../lib/llm/mod.ts";
import { fakeProvider } from "../llm/_fakes.ts";

const TURNS = [
  {
    role: "user",
    content: "As of today we currently deploy with Helm.\nThe token is sk-live-abcdef1234567890.",
  },
  { role: "assistant", content: "Noted." },
];

const ANSWER = JSON.stringify({
  facts: [
    { text: "Deployments use Helm", category: "decision", importance: 9, entities: ["Helm"] },
    { text: "The config parser lives in src/config.ts:42", category: "trivia", importance: 1 },
  ],
  skip_reason: null,
});

const settings = (origin: string, provider: "openai" | "anthropic"): ChatSettings => ({
  provider,
  baseUrl: `${origin}/v1`,
  model: "m",
  apiKey: "k",
  timeoutMs: 5000,
});

Deno.test("llm extraction: canonical facts, clamped, refs stripped, secrets never sent", async () => {
  await using llm = fakeProvider("anthropic", () => ({ text: ANSWER }));
  const out = await llmExtract(settings(llm.origin, "anthropic"), TURNS);
  assert.equal(out.decision, "extract");
  assert.deepEqual(out.facts, [
    {
      content: "Deployments use Helm.",
      tags: ["proxy-extracted", "decision"],
      category: "decision",
      importance: 5,
      entities: ["Helm"],
    },
    {
      content: "The config parser lives in.",
      tags: ["proxy-extracted", "fact"],
      category: "fact",
      importance: 2,
      entities: [],
    },
  ]);
  const sent = JSON.stringify(llm.seen[0].body);
  assert.match(sent, /deploy with Helm/);
  assert.doesNotMatch(sent, /sk-live-abcdef1234567890/, "the secret is redacted before sending");
});

Deno.test("llm extraction: a skip answer stores nothing", async () => {
  await using llm = fakeProvider("openai", () => ({
    text: '{"facts": [], "skip_reason": "status update"}',
  }));
  assert.deepEqual(await llmExtract(settings(llm.origin, "openai"), TURNS), {
    decision: "abstain",
    facts: [],
  });
});

Deno.test("extractor: stores the model's facts; falls back to the heuristic on errors", async () => {
  await using t = await tempRuntime();
  const queue = writeQueue(t.rt);
  await using good = fakeProvider("openai", () => ({ text: ANSWER }));
  const ex = new Extractor(t.rt, queue, { llm: settings(good.origin, "openai") });
  ex.submit("m", TURNS);
  await ex.drain();

  await using bad = fakeProvider("anthropic", () => ({ status: 529 }));
  const warnings: string[] = [];
  const fallback = new Extractor(t.rt, queue, {
    llm: settings(bad.origin, "anthropic"),
    log: (_l, line) => warnings.push(line),
  });
  fallback.submit("h", [{ role: "user", content: "We decided to use pnpm for the web repo." }]);
  await fallback.drain();
  await queue.close();

  const m = t.rt.store.list({ namespace: "m", archived: "include" }, { limit: 10 })
    .map((r) => r.record);
  assert.deepEqual(m.map((r) => r.content).sort(), [
    "Deployments use Helm.",
    "The config parser lives in.",
  ]);
  const helm = m.find((r) => r.content === "Deployments use Helm.")!;
  assert.equal(helm.status, "candidate");
  assert.equal(helm.category, "decision");
  assert.deepEqual(ex.stats().llm, 1);

  const h = t.rt.store.list({ namespace: "h", archived: "include" }, { limit: 10 });
  assert.deepEqual(h.map((r) => r.record.content), ["We decided to use pnpm for the web repo."]);
  assert.equal(fallback.stats().llm_fallback, 1);
  assert.match(warnings[0], /model extraction failed, heuristic used: .*HTTP 529/);
});
