/**
 * The one suite every {@link MemoryEngine} passes (SQLite, Postgres, PGlite with pgvector).
 * Expectations are written by hand: which memory a query must rank first on a small corpus made
 * for it, cosine similarities computed on paper, counts of a hand-made set. Each step opens a
 * fresh, empty engine from `open`.
 */
import assert from "node:assert/strict";
import type { MemoryEngine, StoreEncryption } from "../../lib/store/mod.ts";
import { ids, ins, rec, rejects } from "./engine_helpers.ts";
import { activityCase, queueCase, sealedSideCase } from "./engine_queue_suite.ts";
import { graphCase, keysCase, type Twin } from "./engine_side_suite.ts";
import { nearestFollowsCase, vectorBitsCase } from "./engine_vector_suite.ts";

/** Opens a fresh, empty engine (a new file, a new schema). */
export type Opener = (opts?: { encryption?: StoreEncryption }) => Promise<MemoryEngine>;
type TestContext = Deno.TestContext;

/** Run every case as a step of `t` (`twin`: a second connection to an engine's store). */
export async function engineSuite(
  t: TestContext,
  open: Opener,
  enc?: StoreEncryption,
  twin?: Twin,
) {
  const step = (name: string, fn: (e: MemoryEngine) => Promise<void>, o?: { sealed?: boolean }) =>
    t.step(name, async () => {
      const e = await open(o?.sealed ? { encryption: enc } : {});
      try {
        await fn(e);
      } finally {
        await e.close();
      }
    });
  await step("describe names the engine and its vector mode", describeCase);
  await step("namespace isolation", isolationCase);
  await step("filters and counts", filterCase);
  await step("full-text ranking on a hand-made corpus", ftsCase);
  await step("vector top-k by cosine on hand-made vectors", vectorCase);
  await step("nearest follows writes, status, archive, deletes; row filters", nearestFollowsCase);
  await step("a vector reads back bit for bit", vectorBitsCase);
  await step("a failing row rolls back the whole batch", atomicCase);
  await step("updates keep or replace the vector", updateCase);
  await step("changes since a revision", changesCase);
  await step("unicode round trip and search", unicodeCase);
  await step("a large batch in one write", largeCase);
  await step("exclusive: value, release after a throw, no second holder", exclusiveCase);
  await step("graph edges: add, list, neighbours, delete, namespace-bound", graphCase);
  await step("api keys: create, lookup by digest, scopes, revoke, rotate", keysCase);
  await step("queue: enqueue, two claimers, complete, fail, lease", (e) => queueCase(e, twin));
  await step("activity: append, list by time and scope", activityCase);
  if (enc) await step("sealed edge detail and queue payload", sealedSideCase, { sealed: true });
  if (enc) await step("sealed rows read and search as plain ones", sealedCase, { sealed: true });
}

async function describeCase(e: MemoryEngine) {
  const d = e.describe();
  assert.equal(await e.count({ namespace: "empty" }), 0, "a fresh engine is empty");
  assert.ok(["sqlite", "postgres"].includes(d.engine));
  assert.ok(d.version.length > 0 && d.schema_version > 0);
  if (d.engine === "sqlite") assert.equal(d.vectors, "blob");
  else assert.equal(d.vectors, d.pgvector ? "vector" : "real[]");
  assert.ok(!/:[^/@]*@/.test(d.location), "no password in the location");
}

async function isolationCase(e: MemoryEngine) {
  const [a1, a2] = await e.write("alpha", [
    ins(rec("alpha", "a1", "alpha secret about kestrels"), [1, 0]),
    ins(rec("alpha", "a2", "alpha second note"), [0, 1]),
  ]);
  const [b1] = await e.write("beta", [ins(rec("beta", "b1", "beta note about owls"), [1, 0])]);
  assert.equal(await e.getById("beta", "a1"), null);
  assert.equal((await e.getById("alpha", "a1"))?.record.content, "alpha secret about kestrels");
  assert.deepEqual(await ids(e, "beta", [a1, b1, a2]), ["b1"]);
  assert.equal(await e.count({ namespace: "alpha" }), 2);
  assert.deepEqual((await e.list({ namespace: "beta" })).map((m) => m.record.id), ["b1"]);
  assert.deepEqual(await e.searchText({ namespace: "beta" }, ["kestrels"], 10), []);
  const near = await e.nearest({ namespace: "beta" }, new Float32Array([1, 0]), 10);
  assert.deepEqual(near.map((h) => h.pk), [b1]);
  assert.equal(await e.delete("beta", [a1]), 0);
  assert.ok(await e.getById("alpha", "a1"));
  const moved = { op: "update" as const, pk: a1, record: rec("beta", "a1", "stolen") };
  await rejects(e.write("beta", [moved]), "NOT_FOUND");
  assert.equal((await e.getById("alpha", "a1"))?.record.content, "alpha secret about kestrels");
  await rejects(
    e.write("beta", [ins(rec("alpha", "x1", "wrong namespace"))]),
    "FORBIDDEN_NAMESPACE",
  );
  assert.deepEqual(await e.namespaces(["beta", "gamma"]), ["beta"]);
  assert.deepEqual(await e.namespaces("*"), ["alpha", "beta"]);
  const ch = await e.changesSince(["beta"], 0);
  assert.deepEqual(ch.upserts.map((u) => u.id), ["b1"]);
  await rejects(e.count({ namespace: "" }), "INVALID_INPUT");
}

async function filterCase(e: MemoryEngine) {
  const ns = "f";
  await e.write(ns, [
    ins(
      rec(ns, "f1", "one", {
        tags: ["ops", "db"],
        agent: "bot",
        session: "s1",
        created_at: "2026-02-01T00:00:00Z",
      }),
    ),
    ins(
      rec(ns, "f2", "two", {
        tags: ["ops"],
        session: "s1",
        category: "decision",
        created_at: "2026-02-02T00:00:00Z",
      }),
    ),
    ins(
      rec(ns, "f3", "three", {
        tags: ["ui"],
        agent: "bot",
        memory_type: "episodic",
        created_at: "2026-02-03T00:00:00Z",
      }),
    ),
    ins(
      rec(ns, "f4", "four", {
        status: "candidate",
        session: "s2",
        created_at: "2026-02-04T00:00:00Z",
      }),
    ),
    ins(
      rec(ns, "f5", "five", { archived: true, tags: ["ops"], created_at: "2026-02-05T00:00:00Z" }),
    ),
  ]);
  const n = (f: Record<string, unknown>) => e.count({ namespace: ns, ...f });
  assert.equal(await n({}), 4); // f5 archived
  assert.equal(await n({ archived: "include" }), 5);
  assert.equal(await n({ archived: "only" }), 1);
  assert.equal(await n({ tags: ["ops"] }), 2); // f1, f2 (f5 archived)
  assert.equal(await n({ tags: ["db", "ui"] }), 2); // f1, f3
  assert.equal(await n({ agent: "bot" }), 2);
  assert.equal(await n({ agent: "_none" }), 2); // f2, f4
  assert.equal(await n({ session: "s1" }), 2);
  assert.equal(await n({ memory_type: "episodic" }), 1);
  assert.equal(await n({ category: "decision" }), 1);
  assert.equal(await n({ statuses: ["candidate"] }), 1);
  assert.equal(await n({ statuses: ["active", "candidate"] }), 4);
  assert.equal(await n({ ids: ["f1", "f4", "nope"] }), 2);
  assert.equal(await n({ after: "2026-02-02T00:00:00Z", before: "2026-02-04T00:00:00Z" }), 2);
  const list = async (o: "newest" | "oldest", offset = 0) =>
    (await e.list({ namespace: ns }, { limit: 2, offset, order: o })).map((m) => m.record.id);
  assert.deepEqual(await list("newest"), ["f4", "f3"]);
  assert.deepEqual(await list("newest", 2), ["f2", "f1"]);
  assert.deepEqual(await list("oldest"), ["f1", "f2"]);
  const c = await e.counts(ns);
  assert.deepEqual(
    { memories: c.memories, live: c.live, archived: c.archived, statuses: c.statuses },
    { memories: 5, live: 4, archived: 1, statuses: { active: 3, candidate: 1 } },
  );
}

async function ftsCase(e: MemoryEngine) {
  const ns = "fts";
  const docs: [string, string, string[]?][] = [
    ["d1", "The deploy policy requires two approvals before production"],
    ["d2", "Deploy the deploy job nightly"],
    ["d3", "Lunch menu: soup and bread"],
    ["d4", "Production database backups run nightly"],
    ["d5", "Staging deploys run every night"],
    ["d6", "Quarterly roadmap review", ["kubernetes"]],
    ["d7", "Kubernetes upgrade notes"],
    ["d8", "Kafka"],
    ["d9", "Notes from the long meeting where many topics came up and kafka was mentioned once"],
  ];
  const pks = await e.write(
    ns,
    docs.map(([id, c, tags]) => ins(rec(ns, id, c, { tags: tags ?? [] }))),
  );
  const id = new Map(pks.map((pk, i) => [pk, docs[i][0]]));
  // Another namespace full of the term must neither appear nor take a top slot.
  await e.write("noise", [ins(rec("noise", "n1", "deploy deploy deploy deploy deploy"))]);
  const q = async (terms: string[], limit = 10) =>
    (await e.searchText({ namespace: ns }, terms, limit)).map((h) => id.get(h.pk));
  const deploy = await q(["deploy"]);
  assert.equal(deploy[0], "d2", "twice the term in a short memory ranks first");
  assert.deepEqual([...deploy].sort(), ["d1", "d2", "d5"], "stemmed: deploys matches deploy");
  assert.deepEqual(await q(["deploy"], 1), ["d2"]);
  assert.equal((await q(["deploy", "production"]))[0], "d1", "both terms beat one term");
  assert.equal((await q(["kubernetes"]))[0], "d7", "content weighs more than tags");
  assert.deepEqual((await q(["kubernetes"])).sort(), ["d6", "d7"], "tags are searched");
  assert.equal((await q(["kafka"]))[0], "d8", "the short memory about the term ranks first");
  assert.deepEqual(await q(["two approvals"]), ["d1"], "a phrase");
  assert.deepEqual(await q(["approvals two"]), [], "a phrase keeps its word order");
  assert.deepEqual(await q(["zeppelin"]), []);
  assert.deepEqual(await q(['"; DROP TABLE memories; --']), []);
  const hits = await e.searchText({ namespace: ns }, ["deploy"], 10);
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
  assert.deepEqual(
    (await e.searchText({ namespace: ns, ids: ["d1", "d5"] }, ["deploy"], 10)).map((h) =>
      id.get(h.pk)
    ).sort(),
    ["d1", "d5"],
    "the filter applies before ranking",
  );
}

async function vectorCase(e: MemoryEngine) {
  const ns = "vec";
  const pks = await e.write(ns, [
    ins(rec(ns, "v1", "x"), [1, 0, 0]),
    ins(rec(ns, "v2", "x"), [1, 1, 0]),
    ins(rec(ns, "v3", "x"), [0, 1, 0]),
    ins(rec(ns, "v4", "x"), [-1, 0, 0]),
    ins(rec(ns, "v5", "x"), [0.9, 0.1, 0]),
    ins(rec(ns, "v6", "x", { archived: true }), [1, 0, 0]),
    ins(rec(ns, "v7", "x"), [1, 0, 0], "other-embedder"),
    ins(rec(ns, "v8", "x"), [1, 0]),
    ins(rec(ns, "v9", "no vector")),
  ]);
  await e.write("elsewhere", [ins(rec("elsewhere", "w1", "x"), [1, 0, 0])]);
  const id = new Map(pks.map((pk, i) => [pk, `v${i + 1}`]));
  const q = new Float32Array([1, 0, 0]);
  const top = await e.nearest({ namespace: ns }, q, 3, { embedderId: "e1" });
  assert.deepEqual(top.map((h) => id.get(h.pk)), ["v1", "v5", "v2"]);
  // cos = 1, 0.9 / sqrt(0.82), 1 / sqrt(2)
  const want = [1, 0.9938837, 0.7071068];
  top.forEach((h, i) => assert.ok(Math.abs(h.score - want[i]) < 1e-3, `${h.score} vs ${want[i]}`));
  const all = await e.nearest({ namespace: ns }, q, 10, { embedderId: "e1" });
  assert.deepEqual(all.map((h) => id.get(h.pk)), ["v1", "v5", "v2", "v3", "v4"]);
  assert.ok(Math.abs(all[4].score + 1) < 1e-5, "opposite vector scores -1");
  const any = await e.nearest({ namespace: ns }, q, 10);
  assert.deepEqual(any.map((h) => id.get(h.pk)).sort(), ["v1", "v2", "v3", "v4", "v5", "v7"]);
  const two = await e.nearest({ namespace: ns }, new Float32Array([0, 1]), 5);
  assert.deepEqual(two.map((h) => id.get(h.pk)), ["v8"], "only vectors of the query's size");
  await rejects(e.nearest({ namespace: ns }, new Float32Array([]), 3), "INVALID_INPUT");
}

async function atomicCase(e: MemoryEngine) {
  const ns = "tx";
  await e.write(ns, [ins(rec(ns, "t0", "already here"))]);
  const rev = await e.currentRev();
  await rejects(
    e.write(ns, [
      ins(rec(ns, "t1", "ok one"), [1, 2]),
      ins(rec(ns, "t2", "ok two")),
      ins(rec(ns, "t0", "dup")),
    ]),
    "CONFLICT",
  );
  await rejects(
    e.write(ns, [ins(rec(ns, "t3", "ok three")), {
      op: "update",
      pk: 987654,
      record: rec(ns, "zz", "x"),
    }]),
    "NOT_FOUND",
  );
  await rejects(
    e.write(ns, [ins(rec(ns, "t4", "ok")), ins(rec(ns, "t5", "nan"), [1, NaN])]),
    "INVALID_INPUT",
  );
  assert.equal(await e.count({ namespace: ns }), 1);
  assert.deepEqual((await e.list({ namespace: ns })).map((m) => m.record.id), ["t0"]);
  assert.equal(await e.getById(ns, "t1"), null);
  assert.equal(await e.currentRev(), rev, "a rolled-back batch leaves no revision");
  assert.equal((await e.getById(ns, "t0"))?.record.content, "already here");
}

async function updateCase(e: MemoryEngine) {
  const ns = "up";
  const [pk] = await e.write(ns, [ins(rec(ns, "u1", "first words", { tags: ["a"] }), [0, 1])]);
  const r = (await e.getById(ns, "u1"))!.record;
  await e.write(ns, [{
    op: "update",
    pk,
    record: { ...r, content: "second words", version: 2, tags: ["b"] },
  }]);
  const m = (await e.getById(ns, "u1"))!;
  assert.equal(m.pk, pk);
  assert.equal(m.record.content, "second words");
  assert.equal(m.record.version, 2);
  assert.deepEqual(m.record.tags, ["b"]);
  assert.deepEqual(
    (await e.nearest({ namespace: ns }, new Float32Array([0, 1]), 1)).map((h) => h.pk),
    [pk],
  );
  assert.deepEqual(
    await e.searchText({ namespace: ns }, ["first"], 5),
    [],
    "old words left the index",
  );
  assert.equal((await e.searchText({ namespace: ns }, ["second"], 5))[0]?.pk, pk);
  await e.write(ns, [{
    op: "update",
    pk,
    record: m.record,
    vector: { embedding: new Float32Array([1, 0]), embedderId: "e2" },
  }]);
  const near = await e.nearest({ namespace: ns }, new Float32Array([1, 0]), 1, {
    embedderId: "e2",
  });
  assert.equal(near[0]?.pk, pk);
  assert.ok(Math.abs(near[0].score - 1) < 1e-6);
}

async function changesCase(e: MemoryEngine) {
  const rev0 = await e.currentRev();
  const [p1, p2] = await e.write("c", [
    ins(rec("c", "c1", "x"), [0.5, -0.25, 3]),
    ins(rec("c", "c2", "y")),
  ]);
  await e.write("d", [ins(rec("d", "d1", "z"), [1, 1, 1])]);
  const ch = await e.changesSince("*", rev0);
  assert.equal(ch.rev, rev0 + 3);
  const ups = [...ch.upserts].sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(ups.map((u) => [u.id, u.namespace]), [["c1", "c"], ["c2", "c"], ["d1", "d"]]);
  assert.deepEqual(Array.from(ups[0].embedding!), [0.5, -0.25, 3]);
  assert.equal(ups[0].embedder_id, "e1");
  assert.equal(ups[1].embedding, null);
  assert.deepEqual(await e.changesSince("*", ch.rev), { rev: ch.rev, upserts: [], deletes: [] });
  assert.equal(await e.delete("c", [p2, 424242]), 1);
  const r = (await e.getById("c", "c1"))!.record;
  await e.write("c", [{ op: "update", pk: p1, record: { ...r, status: "stale" } }]);
  const ch2 = await e.changesSince(["c"], ch.rev);
  assert.equal(ch2.rev, ch.rev + 2);
  assert.deepEqual(ch2.deletes, [{ pk: p2, id: "c2", namespace: "c" }]);
  assert.deepEqual(ch2.upserts.map((u) => [u.id, u.status]), [["c1", "stale"]]);
  assert.deepEqual((await e.changesSince(["d"], ch.rev)).upserts, []);
}

const WORLD = "Zürich café ☕ — 東京タワー 🚀 עברית e\u0301 \u{1F469}\u200D\u{1F4BB} naïve";

async function unicodeCase(e: MemoryEngine) {
  const ns = "ünï-名前";
  const meta = { note: "ünïcødé 🎉", nested: { "键": ["√", "∞"] } };
  const [pk] = await e.write(ns, [
    ins(rec(ns, "uni-1", WORLD, { tags: ["größe", "日本"], metadata: meta })),
  ]);
  const m = (await e.getById(ns, "uni-1"))!;
  assert.equal(m.record.content, WORLD);
  assert.deepEqual(m.record.tags, ["größe", "日本"]);
  assert.deepEqual(m.record.metadata, meta);
  assert.equal(m.record.namespace, ns);
  assert.deepEqual((await e.searchText({ namespace: ns }, ["zürich"], 5)).map((h) => h.pk), [pk]);
  assert.deepEqual((await e.searchText({ namespace: ns }, ["café"], 5)).map((h) => h.pk), [pk]);
  assert.equal(await e.count({ namespace: ns, tags: ["日本"] }), 1);
  assert.deepEqual(await e.namespaces("*"), [ns]);
}

async function largeCase(e: MemoryEngine) {
  const ns = "big";
  const n = 2500;
  const rows = Array.from({ length: n }, (_, i) => {
    const v = Array.from({ length: 8 }, (_, j) => ((i * 7 + j * 13) % 17) - 8);
    v[i % 8] += 100; // each row points mostly along one axis
    return ins(rec(ns, `big-${String(i).padStart(5, "0")}`, `bulk memory number ${i}`), v);
  });
  const rev = await e.currentRev();
  const pks = await e.write(ns, rows);
  assert.equal(pks.length, n);
  assert.equal(new Set(pks).size, n);
  assert.equal(await e.count({ namespace: ns }), n);
  const sample = [0, 1234, n - 1];
  assert.deepEqual(
    await ids(e, ns, sample.map((i) => pks[i])),
    sample.map((i) => `big-${String(i).padStart(5, "0")}`),
  );
  const ch = await e.changesSince([ns], rev);
  assert.equal(ch.upserts.length, n);
  assert.equal(ch.rev, rev + n);
  assert.equal((await e.counts(ns)).vectors, n);
  const axis = new Float32Array(8);
  axis[3] = 1;
  const near = await e.nearest({ namespace: ns }, axis, 5);
  assert.equal(near.length, 5);
  for (const h of near) assert.ok(h.score > 0.98, "every hit points along axis 3");
  const every = await e.nearest({ namespace: ns }, axis, n + 10);
  assert.equal(new Set(every.map((h) => h.pk)).size, n, "every row, past the first fill batch");
}

async function sealedCase(e: MemoryEngine) {
  const ns = "sealed";
  const [pk] = await e.write(ns, [
    ins(rec(ns, "s1", "the vault combination is 1234", { metadata: { k: "v" } }), [1, 0]),
  ]);
  const m = (await e.getById(ns, "s1"))!;
  assert.equal(m.record.content, "the vault combination is 1234");
  assert.deepEqual(m.record.metadata, { k: "v" });
  assert.deepEqual((await e.searchText({ namespace: ns }, ["combination"], 5)).map((h) => h.pk), [
    pk,
  ]);
}

async function exclusiveCase(e: MemoryEngine) {
  assert.deepEqual(await e.exclusive("job", () => Promise.resolve(42)), { ran: true, value: 42 });
  await assert.rejects(e.exclusive("job", () => Promise.reject(new Error("boom"))), /boom/);
  // Free again after the throw; while held, the same name is refused, another one is not.
  const nested = await e.exclusive("job", async () => ({
    same: await e.exclusive("job", () => Promise.resolve(1)),
    other: await e.exclusive("other", () => Promise.resolve(2)),
  }));
  assert.deepEqual(nested, {
    ran: true,
    value: { same: { ran: false }, other: { ran: true, value: 2 } },
  });
}
