/** Table tests for the pure parts: entities, causal cues, query intent and rank fusion. */
import assert from "node:assert/strict";
import { causalClauses, extractEntities } from "../../lib/graph/mod.ts";
import { classifyIntent, liftScores, rrf, seedsFirst } from "../../lib/recall/mod.ts";

Deno.test("entities: names, identifiers, versions and hosts; not sentence-initial words", () => {
  const cases: [string, string[]][] = [
    ["Priya owns billing-api; it reads MEMORYOSS_HOME.", [
      "priya",
      "billing-api",
      "memoryoss_home",
    ]],
    ["Kicked off the work with Dana Whitfield today.", ["dana whitfield"]],
    ["Moved the config to lib/config/home.ts for v0.4.1.", ["lib/config/home.ts", "v0.4.1"]],
    ["Replaced the failed node etcd-3.lark.internal.", ["etcd-3.lark.internal"]],
    ["Running the tests takes a while.", []],
  ];
  for (const [text, want] of cases) {
    assert.deepEqual(extractEntities(text).map((e) => e.key), want, text);
  }
});

Deno.test("causal cues: cause after because/due to, effect after so/therefore; 'since' + time is not a cause", () => {
  const [a] = causalClauses("Raised the limit because agents kept hitting E_CONTENT_TOO_LARGE.");
  assert.equal(a.cue, "because");
  assert.equal(a.cause, "agents kept hitting E_CONTENT_TOO_LARGE");
  const [b] = causalClauses("Because the bike was stolen, the user now rides the bus.");
  assert.equal(b.cause, "the bike was stolen");
  assert.equal(b.effect, "the user now rides the bus");
  const [c] = causalClauses("The disk filled up, so the staging deploy failed.");
  assert.equal(c.cue, "so");
  assert.equal(c.effect, "the staging deploy failed");
  assert.deepEqual(causalClauses("Nothing changed since April 3."), []);
  assert.deepEqual(causalClauses("Plain statement without any cue."), []);
});

Deno.test("intent: why / when / entity / general, deterministic", () => {
  const cases: [string, string, string?][] = [
    ["why did we drop Postgres?", "why", "backward"],
    ["what was the reason for the rollback?", "why"],
    ["what happened right after the outage?", "when", "forward"],
    ["what happened just before the release?", "when", "backward"],
    ["tell me about Priya", "entity"],
    ["who is the cat's vet?", "entity"],
    ["MEMORYOSS_HOME", "general"],
    ["where does the user live now?", "general"],
    ["when did the user get the dog?", "general"],
  ];
  for (const [q, kind, direction] of cases) {
    const i = classifyIntent(q);
    assert.equal(i.kind, kind, q);
    if (direction) assert.equal(i.direction, direction, q);
  }
});

Deno.test("fusion: rrf adds the graph list's votes; seeds stay ahead of what they reach", () => {
  const fused = rrf(["a", "b", "c"], ["c", "d"], 0.84, (x) => x).map((f) => f.item);
  assert.deepEqual(fused.slice(0, 2), ["c", "a"], "in both lists beats one list");
  assert.ok(fused.includes("d"));
  const seedOf = new Map([["c", "b"]]);
  assert.deepEqual(seedsFirst(["c", "a", "b"], (x) => x, (x) => seedOf.get(x) ?? null), [
    "a",
    "b",
    "c",
  ]);
  assert.deepEqual(liftScores([0.5, 0.9, 0.2, 0.3]), [0.9, 0.9, 0.3, 0.3]);
});
