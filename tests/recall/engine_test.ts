import assert from "node:assert/strict";
import { importText, recall, storeMemory } from "../../lib/memory/mod.ts";
import { TermStats } from "../../lib/recall/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

Deno.test("recall: another namespace never takes top-k slots", async () => {
  await using t = await tempRuntime();
  const noise = Array.from(
    { length: 300 },
    (_, i) => JSON.stringify({ content: `deploy checklist item ${i} for the release train` }),
  );
  await importText(t.rt, noise.join("\n"), { namespace: "noisy" });
  const mine = await storeMemory(t.rt, {
    content: "Deploy only after staging signoff.",
    namespace: "mine",
  });
  const res = await recall(t.rt, {
    query: "deploy checklist release",
    namespace: "mine",
    limit: 5,
  });
  assert.deepEqual(res.memories.map((m) => m.id), [mine.id]);
  const other = await recall(t.rt, { query: "deploy", namespace: "noisy", limit: 100 });
  assert.ok(other.memories.every((m) => m.namespace === "noisy"));
  assert.equal(other.memories.length, 100);
});

Deno.test("recall: filters apply before top-k, so a rare match is still found", async () => {
  await using t = await tempRuntime();
  const lines = Array.from({ length: 200 }, (_, i) =>
    JSON.stringify({
      content: `incident review ${i}: the cache was cold`,
      agent: "codex",
      created_at: "2026-03-01T00:00:00Z",
    }));
  lines.push(JSON.stringify({
    content: "incident review: the cache was cold after the failover",
    agent: "claude",
    tags: ["incident"],
    created_at: "2026-05-01T00:00:00Z",
  }));
  await importText(t.rt, lines.join("\n"));
  const byAgent = await recall(t.rt, { query: "cache incident", agent: "claude", limit: 3 });
  assert.equal(byAgent.memories.length, 1);
  assert.equal(byAgent.memories[0].agent, "claude");
  const byTag = await recall(t.rt, { query: "cache incident", tags: ["incident"] });
  assert.equal(byTag.memories.length, 1);
  const byTime = await recall(t.rt, { query: "cache", after: "2026-04-01T00:00:00Z" });
  assert.deepEqual(byTime.memories.map((m) => m.agent), ["claude"]);
});

Deno.test("recall: exact identifiers win, explain shows the channels, order is deterministic", async () => {
  await using t = await tempRuntime();
  await storeMemory(t.rt, {
    content: "The home folder can be changed with an environment variable.",
  });
  const id = (await storeMemory(t.rt, {
    content: "MEMORYOSS_HOME overrides the home folder; see lib/config/home.ts.",
  })).id;
  const res = await recall(t.rt, { query: "MEMORYOSS_HOME", explain: true });
  assert.equal(res.memories[0].id, id);
  assert.ok(res.memories[0].provenance.includes("exact"));
  assert.ok(res.memories[0].explain!.channels.exact > 0);
  const again = await recall(t.rt, { query: "MEMORYOSS_HOME", explain: true });
  assert.deepEqual(
    again.memories.map((m) => [m.id, m.score]),
    res.memories.map((m) => [m.id, m.score]),
  );
  const path = await recall(t.rt, { query: "where is lib/config/home.ts used" });
  assert.equal(path.memories[0].id, id);
});

Deno.test("recall: bad requests are rejected with a path", async () => {
  await using t = await tempRuntime();
  await assert.rejects(() => recall(t.rt, { query: "  " }), /query: query must not be empty/);
  await assert.rejects(() => recall(t.rt, { query: "x", limit: 0 }), /limit:/);
  await assert.rejects(() => recall(t.rt, { query: "x", mode: "magic" }), /mode:/);
  await assert.rejects(() => recall(t.rt, { query: "x", status: ["gone"] }), /status\.0:/);
});

Deno.test("term stats: rarest first, very common terms dropped on large stores", async () => {
  await using t = await tempRuntime();
  const lines = Array.from(
    { length: 2500 },
    (_, i) =>
      JSON.stringify({
        content: `common words everywhere ${i % 7 === 0 ? "sometimes" : ""} row${i}`,
      }),
  );
  await importText(t.rt, lines.join("\n"));
  const stats = new TermStats(t.rt.store);
  assert.ok(stats.docCount() >= 2500);
  assert.equal(stats.df("everywhere"), 2500);
  assert.equal(stats.df("row7"), 1);
  assert.deepEqual(stats.selectTerms(["everywhere", "sometimes", "row7"], { max: 5 }), [
    "row7",
    "sometimes",
  ]);
  // A posting budget stops adding terms once their lists would cost too much to score.
  assert.deepEqual(
    stats.selectTerms(["everywhere", "sometimes", "row7"], { max: 5, keep: 1, maxPostings: 10 }),
    ["row7"],
  );
  // The `keep` rarest terms survive even when common.
  assert.deepEqual(stats.selectTerms(["everywhere", "common"], { max: 5, keep: 1 }), ["common"]);
});
