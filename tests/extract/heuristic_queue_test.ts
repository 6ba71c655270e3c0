/** The local extraction heuristic, the bounded queue and the candidate write path. */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import { ExtractionQueue, Extractor, heuristicExtract } from "../../lib/extract/mod.ts";
import { writeQueue } from "../../lib/memory/mod.ts";

Deno.test("heuristic: keeps user decisions, preferences and constraints; drops the rest", () => {
  const { decision, facts } = heuristicExtract([
    { role: "system", content: "We decided nothing here; system text is ignored." },
    {
      role: "user",
      content: "Hi there! We decided to use pnpm for the web repo. " +
        "I prefer tabs over spaces in Go code.\n" +
        "Never push directly to main.\n" +
        "Can you write a poem about deploys?\n" +
        "What port does Postgres use?\n" +
        "In general, always use best practices.\n" +
        "Our staging cluster runs on k3s version 1.29.\n" +
        "The API key is sk-live-1234567890 and we must rotate it.",
    },
    { role: "assistant", content: "We decided the user is right. Never do X." },
  ]);
  assert.equal(decision, "extract");
  assert.deepEqual(facts.map((f) => f.content), [
    "We decided to use pnpm for the web repo.",
    "I prefer tabs over spaces in Go code.",
    "Never push directly to main.",
    "Our staging cluster runs on k3s version 1.29.",
  ]);
  assert.deepEqual(facts[0].tags, ["proxy-extracted", "decision"]);
  assert.deepEqual(heuristicExtract([{ role: "user", content: "thanks, tell me a joke" }]), {
    decision: "abstain",
    facts: [],
  });
});

Deno.test("heuristic: at most five facts", () => {
  const content = Array.from(
    { length: 8 },
    (_, i) => `We must run check number ${i} before merging.`,
  )
    .join("\n");
  assert.equal(heuristicExtract([{ role: "user", content }]).facts.length, 5);
});

Deno.test("queue: bounded, failures counted and logged, never thrown", async () => {
  const errors: unknown[] = [];
  const q = new ExtractionQueue(2, (e) => errors.push(e));
  const ran: number[] = [];
  assert.ok(q.push(() => Promise.resolve(void ran.push(1))));
  assert.ok(q.push(() => Promise.reject(new Error("boom"))));
  assert.equal(q.push(() => Promise.resolve(void ran.push(3))), false);
  await q.drain();
  assert.deepEqual(ran, [1]);
  assert.deepEqual(q.stats(), { enqueued: 2, completed: 1, failed: 1, dropped: 1, pending: 0 });
  assert.equal((errors[0] as Error).message, "boom");
});

Deno.test("extractor: candidates at 0.2, repeats deduplicated by the write path", async () => {
  await using t = await tempRuntime();
  const queue = writeQueue(t.rt);
  const ex = new Extractor(t.rt, queue);
  const turns = [{
    role: "user",
    content: "We decided to ship the mobile app every second Tuesday.",
  }];
  ex.submit("default", turns);
  ex.submit("default", turns); // same exchange: skipped
  ex.submit("default", [...turns, { role: "user", content: "ok" }]); // new exchange, same fact
  await ex.drain();
  await queue.close();
  const rows = t.rt.store.list({ namespace: "default", archived: "include" }, { limit: 10 });
  assert.equal(rows.length, 1);
  const r = rows[0].record;
  assert.equal(r.status, "candidate");
  assert.equal(r.confidence, 0.2);
  assert.equal(r.source_key, "proxy-extraction");
  assert.equal(ex.stats().skipped_repeat, 1);
});
