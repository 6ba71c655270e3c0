/**
 * What a graph walk keeps between recalls (lib/graph/walk_cache.ts): a hop answered from the
 * kept edges is exactly what one SQL statement over the frontier returns (SQLite's UNION and
 * ORDER BY are the oracle, ties included), the same order as written out by hand on a small
 * graph, and nothing kept outlives a change to the database: a write through this connection,
 * a commit by another connection, or a transaction rolled back.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { tempRuntime } from "../_support/runtime.ts";
import { storeMemory, updateMemory } from "../../lib/memory/mod.ts";
import { type Store, strongestEdgesTouching } from "../../lib/store/mod.ts";
import { binaryCompare, walkReads } from "../../lib/graph/walk_cache.ts";

type Kind = "temporal" | "entity" | "causal" | "semantic";
const KINDS: Kind[] = ["temporal", "entity", "causal", "semantic"];

function addEdge(store: Store, src: string, dst: string, kind: Kind, weight: number) {
  store.db.prepare(
    `INSERT INTO memory_edges (src, dst, kind, namespace, weight, created_at)
     VALUES (?, ?, ?, 'g', ?, '2026-12-01T00:00:00.000Z')`,
  ).run(src, dst, kind, weight);
}

const plain = (edges: unknown[]) => edges.map((e) => ({ ...(e as object) }));

Deno.test("walk cache: a hop gives what the SQL statement gives, ties and all", async () => {
  await using t = await tempRuntime();
  const store = t.rt.store;
  // Node names that sort differently by UTF-16 code unit and by UTF-8 byte (the last two).
  const nodes = [
    ..."abcdefghijklmnopqrstuvwxyz".split("").map((c) => `n-${c}`),
    "n-é",
    "n-\uE000",
    "n-\u{1F600}",
  ];
  let seed = 42;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const seen = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const [src, dst, kind] = [pick(nodes), pick(nodes), pick(KINDS)];
    // A hub: most edges start at n-a, so a hop through it meets the budget with many ties.
    const from = rnd() < 0.4 ? "n-a" : src;
    const key = `${from}|${dst}|${kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    addEdge(store, from, dst, kind, pick([0.5, 0.75, 0.75, 1, 0.3]));
  }
  for (let trial = 0; trial < 300; trial++) {
    const ids = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(nodes)))];
    const kinds = KINDS.filter(() => rnd() < 0.6);
    if (kinds.length === 0) kinds.push("causal");
    const max = pick([1, 3, 20, 100, 600]);
    const want = strongestEdgesTouching(store, ids, kinds, max);
    // The first walk reads and keeps the lists, the second answers from them: both the same.
    for (let pass = 0; pass < 2; pass++) {
      const got = walkReads(store).edges(ids, kinds, max);
      assert.deepEqual(plain(got), plain(want), `${ids} ${kinds} ${max} pass ${pass}`);
    }
  }
});

Deno.test("walk cache: a hop's order written out by hand", async () => {
  await using t = await tempRuntime();
  const store = t.rt.store;
  addEdge(store, "A", "B", "causal", 0.5);
  addEdge(store, "C", "A", "causal", 0.5);
  addEdge(store, "A", "D", "entity", 0.9);
  addEdge(store, "B", "A", "temporal", 0.5);
  addEdge(store, "B", "E", "causal", 0.2);
  addEdge(store, "F", "G", "causal", 1); // touches neither A nor B
  const want = [
    { src: "A", dst: "D", kind: "entity", weight: 0.9 },
    { src: "A", dst: "B", kind: "causal", weight: 0.5 },
    { src: "B", dst: "A", kind: "temporal", weight: 0.5 },
    { src: "C", dst: "A", kind: "causal", weight: 0.5 },
    { src: "B", dst: "E", kind: "causal", weight: 0.2 },
  ];
  const all: Kind[] = ["causal", "entity", "temporal"];
  for (let pass = 0; pass < 2; pass++) {
    assert.deepEqual(plain(walkReads(store).edges(["A", "B"], all, 10)), want);
  }
  assert.deepEqual(plain(strongestEdgesTouching(store, ["A", "B"], all, 10)), want);
  // The A→B edge touches both frontier nodes and is listed once; kinds and the budget apply.
  assert.deepEqual(
    plain(walkReads(store).edges(["B", "A"], ["causal"], 2)),
    [want[1], want[3]],
  );
});

Deno.test("walk cache: writes here, commits elsewhere and rollbacks are never served stale", async () => {
  await using t = await tempRuntime();
  const store = t.rt.store;
  addEdge(store, "A", "B", "causal", 0.5);
  const hop = () => walkReads(store).edges(["A"], ["causal"], 10).map((e) => e.dst);
  assert.deepEqual(hop(), ["B"]);
  assert.deepEqual(hop(), ["B"], "kept");
  // A write through this connection.
  addEdge(store, "A", "C", "causal", 0.9);
  assert.deepEqual(hop(), ["C", "B"]);
  // A commit by another connection to the same file.
  const other = new DatabaseSync(`${t.home}/memoryoss.db`);
  try {
    other.exec("PRAGMA busy_timeout = 5000");
    other.prepare(
      `INSERT INTO memory_edges (src, dst, kind, namespace, weight, created_at)
       VALUES ('A', 'D', 'causal', 'g', 0.7, '2026-12-01T00:00:00.000Z')`,
    ).run();
  } finally {
    other.close();
  }
  assert.deepEqual(hop(), ["C", "D", "B"]);
  // Inside a transaction the walk sees its writes, but keeps nothing: after the rollback the
  // edge is gone for the next walk too.
  assert.throws(() =>
    store.transaction(() => {
      addEdge(store, "A", "E", "causal", 1);
      assert.deepEqual(hop(), ["E", "C", "D", "B"]);
      throw new Error("roll back");
    }), /roll back/);
  assert.deepEqual(hop(), ["C", "D", "B"]);
});

Deno.test("walk cache: memories' filter fields follow their rows", async () => {
  await using t = await tempRuntime();
  const m = await storeMemory(t.rt, {
    content: "the ingest gateway moved to Kafka",
    namespace: "g",
  });
  const nodes = () => walkReads(t.rt.store).nodes([m.id, "no-such-id"]);
  assert.deepEqual(nodes().map((n) => [n.id, n.namespace, n.status]), [[m.id, "g", "active"]]);
  assert.equal(nodes().length, 1, "kept; an unknown id stays absent");
  await updateMemory(t.rt, { id: m.id, namespace: "g", status: "contested" });
  assert.deepEqual(nodes().map((n) => [n.id, n.status]), [[m.id, "contested"]]);
});

Deno.test("binaryCompare sorts as SQLite's BINARY collation (UTF-8 bytes)", () => {
  const words = [
    "b",
    "a",
    "ab",
    "",
    "é",
    "\uE000",
    "\uFFFD",
    "\u{1F600}",
    "\u{10000}",
    "Z",
    "a\u{1F600}",
  ];
  const db = new DatabaseSync(":memory:");
  try {
    const sqlite = (db.prepare(
      `SELECT v FROM (${words.map(() => "SELECT ? AS v").join(" UNION ALL ")}) ORDER BY v`,
    ).all(...words) as { v: string }[]).map((r) => r.v);
    assert.deepEqual([...words].sort(binaryCompare), sqlite);
  } finally {
    db.close();
  }
});
