/**
 * The one dedup rule (lib/memory/dedup.ts) and every path that uses it: store, import, the
 * drain's reconciliation and consolidation. Near-misses that say a different fact must stay
 * apart however close their vectors; true duplicates must merge.
 */
import assert from "node:assert/strict";
import {
  consolidate,
  importText,
  inspectMemory,
  listMemories,
  storeMemory,
  structuralDuplicates,
} from "../../lib/memory/mod.ts";
import { duplicateVerdict, normalizeText } from "../../lib/memory/dedup.ts";
import { decide } from "../../lib/memory/reconcile.ts";
import { tempRuntime } from "../_support/runtime.ts";

/** Different facts in nearly the same words. */
const NEAR_MISSES: [string, string][] = [
  ["ns line A", "ns line B"],
  ["port 8080", "port 8081"],
  ["deploy on Monday", "deploy on Tuesday"],
  ["use postgres 15", "use postgres 16"],
  ["Alice owns billing", "Bob owns billing"],
];

/** The same statement written twice. */
const TRUE_DUPLICATES: [string, string][] = [
  ["Deploy only after staging sign-off.", "deploy only after staging sign-off"],
  ["  The  cache TTL is five minutes!", "the cache ttl is five minutes"],
];

Deno.test("dedup rule: near-misses stay apart even at cosine 0.99; normalised twins are duplicates", () => {
  for (const [a, b] of NEAR_MISSES) {
    assert.equal(duplicateVerdict(a, b, 0.99, 0.95).duplicate, false, `${a} / ${b}`);
  }
  for (const [a, b] of TRUE_DUPLICATES) {
    // No vector at all: the normalised text alone decides.
    assert.equal(duplicateVerdict(a, b, null, 0.95).duplicate, true, `${a} / ${b}`);
  }
  assert.equal(
    normalizeText("Deploy only after staging sign-off."),
    "deploy only after staging sign-off",
  );
});

Deno.test("dedup rule: the fuzzy path needs cosine, word overlap and no differing fact word", () => {
  const cases: [string, string, number, boolean][] = [
    // One filler word more: the same fact.
    [
      "The staging database runs Postgres 16 on the db-staging-2 host.",
      "The staging database now runs Postgres 16 on the db-staging-2 host.",
      0.97,
      true,
    ],
    [
      "Deploys need a staging signoff from QA",
      "Deploys need the staging signoff from QA",
      0.98,
      true,
    ],
    // The same pair below the cosine threshold.
    [
      "Deploys need a staging signoff from QA",
      "Deploys need the staging signoff from QA",
      0.9,
      false,
    ],
    // A sign is part of the value; so is a version suffix.
    ["The freezer holds at -5 degrees", "The freezer holds at 5 degrees", 0.99, false],
    ["Pin the API client to v2.3.1", "Pin the API client to v2.3.10", 0.99, false],
    // The same words in another order are another fact.
    ["Alice pays Bob every month", "Bob pays Alice every month", 1, false],
    // A polarity word differs: a contradiction, never a merge.
    [
      "Auto deploy from the main branch to the shared staging cluster is enabled for every team in the org",
      "Auto deploy from the main branch to the shared staging cluster is disabled for every team in the org",
      0.99,
      false,
    ],
    // An ordinary word more in a sentence of 11 (overlap 11/12) is the same statement …
    [
      "We tag releases from main after the staging soak and a green build",
      "We tag releases from main right after the staging soak and a green build",
      0.98,
      true,
    ],
    // … one swapped word in a sentence of 18 (overlap 17/19 < 0.9) is not.
    [
      "The release checklist asks for a green build, a staging soak, a changelog entry and a signoff from the on call engineer before tagging",
      "The release checklist asks for a green build, a staging soak, a changelog entry and a signoff from the on call engineer prior tagging",
      0.98,
      false,
    ],
  ];
  for (const [a, b, sim, want] of cases) {
    const v = duplicateVerdict(a, b, sim, 0.95);
    assert.equal(v.duplicate, want, `${a} / ${b}: ${v.reason}`);
  }
});

Deno.test("store: near-miss pairs are separate memories; true duplicates merge (real embedder)", async () => {
  await using t = await tempRuntime();
  for (const [i, [a, b]] of NEAR_MISSES.entries()) {
    const ns = `miss${i}`;
    const first = await storeMemory(t.rt, { content: a, namespace: ns });
    const second = await storeMemory(t.rt, { content: b, namespace: ns });
    assert.equal(second.outcome, "created", `${a} / ${b}`);
    assert.notEqual(second.id, first.id);
    assert.equal(listMemories(t.rt, { namespace: ns }).total, 2, `${a} / ${b}`);
  }
  for (const [i, [a, b]] of TRUE_DUPLICATES.entries()) {
    const ns = `dup${i}`;
    const first = await storeMemory(t.rt, { content: a, namespace: ns, tags: ["x"] });
    const second = await storeMemory(t.rt, { content: b, namespace: ns, tags: ["y"] });
    assert.equal(second.outcome, "merged", `${a} / ${b}`);
    assert.equal(second.duplicate_of, first.id);
    const rec = inspectMemory(t.rt, first.id);
    assert.equal(rec.evidence_count, 2);
    assert.equal(rec.version, 2);
    assert.deepEqual(rec.tags, ["x", "y"]);
  }
});

Deno.test("import: one file of near-misses keeps every line; its true duplicates merge", async () => {
  await using t = await tempRuntime();
  const lines = [...NEAR_MISSES.flat(), ...TRUE_DUPLICATES.flat()];
  const res = await importText(
    t.rt,
    lines.map((content) => JSON.stringify({ content })).join("\n"),
    {
      namespace: "imp",
    },
  );
  // 10 near-miss lines + 2 duplicate pairs.
  assert.deepEqual({ created: res.created, merged: res.merged }, { created: 12, merged: 2 });
  const contents = listMemories(t.rt, { namespace: "imp", limit: 100 }).memories.map((m) =>
    m.content
  );
  for (const line of NEAR_MISSES.flat()) assert.ok(contents.includes(line), line);
});

Deno.test("reconcile decide: the drain's NONE uses the same rule", () => {
  const n = (content: string) => ({ id: "old", content, content_hash: "h-old", similarity: 0.99 });
  for (const [a, b] of NEAR_MISSES) {
    const d = decide(b, "h-new", [n(a)], { duplicateThreshold: 0.95 });
    assert.notEqual(d.action, "NONE", `${a} / ${b}: ${d.reason}`);
  }
  const [a, b] = TRUE_DUPLICATES[0];
  const d = decide(b, "h-new", [{ ...n(a), similarity: 0.2 }], { duplicateThreshold: 0.95 });
  assert.equal(d.action, "NONE", d.reason);
  assert.match(d.reason, /case, spacing and punctuation/);
});

Deno.test("structural duplicates: whole words only, and no differing number", () => {
  // "port 80" is a substring of "port 8080" as text, not as words.
  assert.equal(
    structuralDuplicates("the api listens on port 80", "the api listens on port 8080"),
    false,
  );
  assert.equal(
    structuralDuplicates("the api listens on port 80", "the api listens on port 80 by default"),
    true,
  );
  const long = (n: string) =>
    `the shared billing api behind the office vpn listens on port ${n} and every client in ` +
    "the three regions reads its settings from the same central config store at boot";
  assert.equal(structuralDuplicates(long("8080"), long("8081")), false);
  assert.equal(structuralDuplicates(long("8080"), long("8080") + " again"), true);
});

Deno.test("consolidate: close vectors do not cluster different facts; paraphrases still do", async () => {
  await using t = await tempRuntime();
  const put = (content: string) => storeMemory(t.rt, { content, namespace: "c" });
  const alice = await put("Alice owns the billing dashboards in Grafana");
  const bob = await put("Bob owns the billing dashboards in Grafana");
  const a = await put("the nightly backup job writes snapshots to cold storage");
  const b = await put("the nightly backup job writes snapshots into cold storage");
  for (const r of [bob, b]) assert.equal(r.outcome, "created");
  const res = await consolidate(t.rt, { namespace: "c", threshold: 0.5, dry_run: true });
  const groups = res.groups.map((g) => [...g.source_ids].sort());
  assert.deepEqual(groups, [[a.id, b.id].sort()]);
  assert.ok(!groups.flat().includes(alice.id));
});
