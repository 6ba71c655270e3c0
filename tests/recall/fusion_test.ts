import assert from "node:assert/strict";
import {
  compareScored,
  diversify,
  extractIdentifiers,
  ftsAnyQuery,
  fuse,
  normalizeRelative,
  normalizeVector,
} from "../../lib/recall/mod.ts";
import { newRecord } from "../../lib/store/mod.ts";

const m = (entries: [number, number][]) => new Map(entries);

/** A scored hit with an empty record of this id (and the agent and tags given). */
const hit = (id: string, score: number, agent?: string, tags?: string[]) => ({
  pk: 0,
  score,
  record: newRecord({
    id,
    content: "",
    namespace: "n",
    created_at: "2026-01-01T00:00:00Z",
    ...(agent === undefined ? {} : { agent }),
    ...(tags === undefined ? {} : { tags }),
  }),
});

Deno.test("normalizeVector: floor scaling, and raw cosine on cold start", () => {
  assert.deepEqual([...normalizeVector(m([[1, 0.75], [2, 0.5], [3, 0.2]])).values()], [1, 0.5, 0]);
  assert.deepEqual([...normalizeVector(m([[1, 0.4], [2, 0.3]])).values()], [0.4, 0.3]);
  assert.deepEqual([...normalizeVector(m([[1, 0.2], [2, 0.1], [3, 0.05]])).values()], [0, 0, 0]);
});

Deno.test("normalizeRelative: best hit is 1", () => {
  assert.deepEqual([...normalizeRelative(m([[1, 8], [2, 2]])).values()], [1, 0.25]);
  assert.deepEqual([...normalizeRelative(m([])).values()], []);
});

Deno.test("fuse: weights and status factor", () => {
  const rec = (status: "active" | "candidate" | "contested") =>
    newRecord({
      id: "x",
      content: "c",
      namespace: "n",
      created_at: "2026-01-01T00:00:00Z",
      status,
    });
  const c = { vector: 1, fts: 0.5, exact: 0, recency: 1 };
  const w = { vector: 0.3, fts: 0.3, exact: 0.25, recency: 0.15 };
  assert.ok(Math.abs(fuse(c, w, rec("active")) - 0.6) < 1e-9);
  assert.ok(Math.abs(fuse(c, w, rec("candidate")) - 0.45) < 1e-9);
  assert.ok(Math.abs(fuse(c, w, rec("contested")) - 0.33) < 1e-9);
});

Deno.test("ordering is deterministic: score, then id descending", () => {
  const s = hit;
  const sorted = [s("a", 0.5), s("c", 0.5), s("b", 0.9)].sort(compareScored);
  assert.deepEqual(sorted.map((x) => x.record.id), ["b", "c", "a"]);
});

Deno.test("diversify: spreads picks away from one agent", () => {
  const s = hit;
  const list = [
    s("1", 1, "a"),
    s("2", 0.99, "a"),
    s("3", 0.98, "a"),
    s("4", 0.97, "a"),
    s("5", 0.9, "b"),
  ];
  assert.deepEqual(diversify(list, 4, 0).map((x) => x.record.id), ["1", "2", "3", "4"]);
  assert.ok(diversify(list, 4, 1).map((x) => x.record.id).includes("5"));
});

Deno.test("diversify: same-agent and shared-tag penalties pick in a hand-worked order", () => {
  const s = hit;
  const list = [
    s("A", 1.0, "x", ["t"]),
    s("B", 0.95, "x", ["u"]),
    s("C", 0.93, "y", ["t"]),
    s("D", 0.9, "y", ["v"]),
  ];
  // Second pick: B 0.95 - 0.1 (agent x once) = 0.85, C 0.93 - 0.05 (tag t) = 0.88, D 0.90.
  // Third pick: B 0.85, C 0.93 - 0.1 (agent y once) - 0.05 (tag t) = 0.78.
  assert.deepEqual(diversify(list, 3, 1).map((x) => x.record.id), ["A", "D", "B"]);
  assert.deepEqual(diversify(list, 3, 0).map((x) => x.record.id), ["A", "B", "C"]);
});

Deno.test("normalizeRelative and normalizeVector: a channel of 200,000 hits", () => {
  // More values than a call's arguments can hold: the maximum is found without spreading.
  const raw = new Map<number, number>();
  for (let i = 1; i <= 200_000; i++) raw.set(i, i / 200_000);
  const rel = normalizeRelative(raw);
  assert.equal(rel.get(200_000), 1);
  assert.equal(rel.get(100_000), 0.5);
  const vec = normalizeVector(raw);
  assert.equal(vec.get(200_000), 1);
  assert.equal(vec.get(50_000), 0); // 0.25, the floor
});

Deno.test("identifiers: kinds and specificity", () => {
  const cases: [string, string[]][] = [
    ["where is MEMORYOSS_HOME read?", ["env_var:MEMORYOSS_HOME"]],
    ["see lib/store/schema.ts and /v1/recall", ["path:lib/store/schema.ts", "url:/v1/recall"]],
    ["branch feat/hybrid-recall at 3fa9c2e1", ["branch:feat/hybrid-recall", "hex:3fa9c2e1"]],
    ['the "staging signoff" rule', ["quoted:staging signoff"]],
    ["call parseArgs or max_body_bytes", ["symbol:parseArgs", "symbol:max_body_bytes"]],
    ["ticket ENG-142 failed", ["ticket:ENG-142"]],
    ["when can we deploy to production?", []],
  ];
  for (const [q, want] of cases) {
    assert.deepEqual(extractIdentifiers(q).map((i) => `${i.kind}:${i.text}`), want, q);
  }
});

Deno.test("fts query: stopwords dropped, operators inert", () => {
  assert.equal(ftsAnyQuery("When can we deploy?"), '"deploy"');
  assert.equal(ftsAnyQuery('deploy AND "staging" OR NEAR(x)'), '"deploy" OR "staging" OR "near"');
  assert.equal(ftsAnyQuery("what is it"), '"what" OR "is" OR "it"', "all stopwords: keep them");
  assert.equal(ftsAnyQuery("?!"), null);
});
