import assert from "node:assert/strict";
import {
  conflicts,
  forget,
  importText,
  inspectMemory,
  listMemories,
  recall,
  storeMemory,
  updateMemory,
} from "../../lib/memory/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const code = (c: string) => (e: unknown) => e instanceof MemoryossError && e.code === c;

Deno.test("store: exact duplicates merge evidence and bump the version", async () => {
  await using t = await tempRuntime();
  const a = await storeMemory(t.rt, { content: "Deploy only after staging signoff.", tags: ["a"] });
  const b = await storeMemory(t.rt, { content: "Deploy only after staging signoff.", tags: ["b"] });
  assert.equal(a.outcome, "created");
  assert.equal(b.outcome, "merged");
  assert.equal(b.id, a.id);
  assert.equal(b.version, 2);
  const rec = inspectMemory(t.rt, a.id);
  assert.equal(rec.evidence_count, 2);
  assert.deepEqual(rec.tags, ["a", "b"]);
  assert.equal(listMemories(t.rt, {}).total, 1);
});

Deno.test("store: near-duplicates (cosine ≥ threshold) merge; different facts do not", async () => {
  await using t = await tempRuntime("[recall]\nsemantic_dedup_threshold = 0.9\n");
  const a = await storeMemory(t.rt, {
    content: "The staging database runs Postgres 16 on the db-staging-2 host.",
  });
  const b = await storeMemory(t.rt, {
    content: "The staging database now runs Postgres 16 on the db-staging-2 host.",
  });
  assert.equal(b.outcome, "merged");
  assert.equal(b.duplicate_of, a.id);
  assert.ok(b.similarity! >= 0.9 && b.similarity! < 1);
  const c = await storeMemory(t.rt, { content: "Priya owns the billing-api service." });
  assert.equal(c.outcome, "created");
  // A changed value is a new fact even when the wording is nearly identical.
  const d = await storeMemory(t.rt, { content: "The API server listens on port 8080 by default." });
  const e = await storeMemory(t.rt, { content: "The API server listens on port 8000 by default." });
  assert.equal(d.outcome, "created");
  assert.equal(e.outcome, "created");
});

Deno.test("store: the same content in another namespace is a separate memory", async () => {
  await using t = await tempRuntime();
  const a = await storeMemory(t.rt, { content: "shared fact", namespace: "a" });
  const b = await storeMemory(t.rt, { content: "shared fact", namespace: "b" });
  assert.equal(b.outcome, "created");
  assert.notEqual(a.id, b.id);
});

Deno.test("store: contradictions mark both sides contested", async () => {
  await using t = await tempRuntime();
  const a = await storeMemory(t.rt, { content: "Auto deploy is enabled for the staging cluster" });
  const b = await storeMemory(t.rt, { content: "Auto deploy is disabled for the staging cluster" });
  assert.deepEqual(b.contradicts_with, [a.id]);
  assert.equal(inspectMemory(t.rt, a.id).status, "contested");
  assert.equal(inspectMemory(t.rt, b.id).status, "contested");
  assert.deepEqual(inspectMemory(t.rt, a.id).contradicts_with, [b.id]);
  // Both sides stay visible in default recall, marked contested, so neither fact vanishes.
  const def = await recall(t.rt, { query: "auto deploy staging" });
  assert.deepEqual(def.memories.map((m) => m.status), ["contested", "contested"]);
  const active = await recall(t.rt, { query: "auto deploy staging", status: ["active"] });
  assert.equal(active.memories.length, 0);
});

Deno.test("contradiction signatures: table", () => {
  const cases: [string, string, boolean][] = [
    ["Auto deploy is enabled for staging", "Auto deploy is disabled for staging", true],
    ["We never force push to main branch", "We force push to main branch", true],
    // The same core words with opposite polarity conflict, however short the statement.
    ["We deploy on Fridays", "We do not deploy on Fridays", true],
    ["Tabs are required for Go files here", "Tabs are required for Go files here", false],
    ["Auto deploy is enabled for staging", "Billing runs nightly reports on Postgres", false],
  ];
  for (const [a, b, want] of cases) assert.equal(conflicts(a, b), want, `${a} / ${b}`);
});

Deno.test("store: bad input is rejected with a path and stores nothing", async () => {
  await using t = await tempRuntime("[limits]\nmax_content_bytes = 100\n");
  const bad: [unknown, string, RegExp][] = [
    [{ content: "   " }, "INVALID_INPUT", /content: content must not be empty/],
    [{ content: "x".repeat(101) }, "PAYLOAD_TOO_LARGE", /101 bytes; the limit is 100/],
    [{ content: "x", tags: ["ok", ""] }, "INVALID_INPUT", /tags\.1:/],
    [{ content: "x", namespace: "a/b" }, "INVALID_INPUT", /namespace: namespace may contain/],
    [{ content: "x", created_at: "yesterday" }, "INVALID_INPUT", /created_at: expected an RFC3339/],
    [{ content: "x", memory_type: "dream" }, "INVALID_INPUT", /memory_type:/],
    [{ content: "x", colour: "red" }, "INVALID_INPUT", /unknown field 'colour'/],
    [{ content: 5 }, "INVALID_INPUT", /content:/],
  ];
  for (const [input, c, re] of bad) {
    await assert.rejects(() => storeMemory(t.rt, input), (e: unknown) => {
      assert.ok(code(c)(e), `${JSON.stringify(input)} → ${e}`);
      assert.match((e as Error).message, re);
      return true;
    });
  }
  assert.equal(listMemories(t.rt, { include_archived: true }).total, 0);
});

Deno.test("store: backdated created_at is kept and ids stay time-ordered", async () => {
  await using t = await tempRuntime();
  const old = await storeMemory(t.rt, { content: "old fact", created_at: "2025-01-02T03:04:05Z" });
  const rec = inspectMemory(t.rt, old.id);
  assert.equal(rec.created_at, "2025-01-02T03:04:05.000Z");
  const fresh = await storeMemory(t.rt, { content: "new fact" });
  assert.ok(old.id < fresh.id);
});

Deno.test("update: content change re-embeds and is found by the new words", async () => {
  await using t = await tempRuntime();
  const a = await storeMemory(t.rt, { content: "The cache uses Redis." });
  const r = await updateMemory(t.rt, { id: a.id, content: "The cache uses Memcached now." });
  assert.equal(r.version, 2);
  const hits = await recall(t.rt, { query: "memcached" });
  assert.equal(hits.memories[0]?.id, a.id);
  await assert.rejects(() => updateMemory(t.rt, { id: a.id }), code("INVALID_INPUT"));
  await assert.rejects(() => updateMemory(t.rt, { id: "nope", tags: ["x"] }), code("NOT_FOUND"));
  await assert.rejects(
    () => updateMemory(t.rt, { id: a.id, namespace: "other", tags: ["x"] }),
    code("NOT_FOUND"),
    "another namespace cannot see it",
  );
});

Deno.test("forget: never unscoped; dry-run deletes nothing; scopes delete exactly", async () => {
  await using t = await tempRuntime();
  const ids: string[] = [];
  for (const [c, tags] of [["one", ["x"]], ["two", ["y"]], ["three", ["x"]]] as const) {
    ids.push((await storeMemory(t.rt, { content: c, tags: [...tags], namespace: "n" })).id);
  }
  await storeMemory(t.rt, { content: "other ns", namespace: "m" });
  assert.throws(() => forget(t.rt, { namespace: "n" }), code("INVALID_INPUT"));
  assert.throws(() => forget(t.rt, { namespace: "n", ids: [] }), code("INVALID_INPUT"));
  const dry = forget(t.rt, { namespace: "n", tags: ["x"], dry_run: true });
  assert.ok(dry.dry_run && dry.would_delete.count === 2);
  assert.equal(listMemories(t.rt, { namespace: "n" }).total, 3);
  const byTag = forget(t.rt, { namespace: "n", tags: ["x"] });
  assert.ok(!byTag.dry_run && byTag.deleted === 2);
  assert.deepEqual(listMemories(t.rt, { namespace: "n" }).memories.map((m) => m.id), [ids[1]]);
  // Ids from another namespace are not deleted through this one.
  assert.throws(() => forget(t.rt, { namespace: "m", ids: [ids[1]] }), code("NOT_FOUND"));
  const wipe = forget(t.rt, { namespace: "n", all: true });
  assert.ok(!wipe.dry_run && wipe.deleted === 1);
  assert.equal(listMemories(t.rt, { namespace: "m" }).total, 1);
});

Deno.test("import: bad lines reported by number, good ones kept; strict imports nothing", async () => {
  await using t = await tempRuntime();
  const text = [
    JSON.stringify({ content: "alpha fact", tags: ["a"] }),
    "{not json",
    JSON.stringify({ content: "" }),
    "",
    JSON.stringify({ content: "beta fact", created_at: "2024-05-01T00:00:00Z" }),
    JSON.stringify({ content: 7 }),
    JSON.stringify(["array"]),
  ].join("\n");
  await assert.rejects(() => importText(t.rt, text, { strict: true }), /line 2: not valid JSON/);
  assert.equal(listMemories(t.rt, {}).total, 0);
  const res = await importText(t.rt, text, { namespace: "imp" });
  assert.equal(res.created, 2);
  assert.deepEqual(res.failed.map((f) => f.line), [2, 3, 6, 7]);
  assert.equal(listMemories(t.rt, { namespace: "imp" }).total, 2);
});
