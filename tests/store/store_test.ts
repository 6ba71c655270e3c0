import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { currentVersion, newRecord, SCHEMA_VERSION, Store, uuidv7 } from "../../lib/store/mod.ts";
import { tempStore } from "../_support/store.ts";

function rec(content: string, namespace = "ns", extra = {}) {
  return newRecord({
    id: uuidv7(),
    content,
    namespace,
    created_at: new Date().toISOString(),
    ...extra,
  });
}

Deno.test("store: new database is migrated, WAL, and reopening keeps the version", async () => {
  await using t = await tempStore();
  assert.equal(currentVersion(t.store.db), SCHEMA_VERSION);
  const mode = t.store.db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
  assert.equal(mode.journal_mode, "wal");
  t.store.close();
  const again = Store.open(`${t.dir}/m.db`);
  assert.equal(currentVersion(again.db), SCHEMA_VERSION);
  again.close();
});

Deno.test("store: refuses a database from a newer schema instead of guessing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = new DatabaseSync(`${dir}/m.db`);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    assert.throws(() => Store.open(`${dir}/m.db`), /newer than this memoryoss/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("store: records round-trip every field, including arrays and metadata", async () => {
  await using t = await tempStore();
  const r = rec("hello world", "ns", {
    tags: ["a", "b-c"],
    agent: "claude",
    confidence: 0.25,
    derived_from: ["x"],
    review_events: [{ at: "2026-01-01T00:00:00Z", actor: "u", action: "confirm", via: "cli" }],
    metadata: { k: 1, nested: { v: [1, 2] } },
    category: "fact",
  });
  const pk = t.store.insert(r, { embedding: new Float32Array([0.6, 0.8]), embedderId: "e" });
  const got = t.store.getById(r.id)!;
  assert.equal(got.pk, pk);
  assert.deepEqual(got.record, r);
  assert.equal(t.store.getById("missing"), null);
});

Deno.test("store: bm25 is filtered by namespace before ranking", async () => {
  await using t = await tempStore();
  for (let i = 0; i < 30; i++) t.store.insert(rec(`deploy pipeline note ${i}`, "other"));
  t.store.insert(rec("deploy only after staging signoff", "mine"));
  const hits = t.store.fts('"deploy"', { namespace: "mine" }, 5);
  assert.equal(hits.length, 1);
  assert.equal(t.store.getMany([hits[0].pk])[0].record.namespace, "mine");
  // Tags are searchable too, including the parts of a hyphenated tag.
  t.store.insert(rec("unrelated text", "mine", { tags: ["release-policy"] }));
  assert.equal(t.store.fts('"policy"', { namespace: "mine" }, 5).length, 1);
  // FTS syntax errors do not throw.
  assert.deepEqual(t.store.fts("AND OR (", { namespace: "mine" }, 5), []);
});

Deno.test("store: revisions and tombstones let another connection catch up", async () => {
  await using t = await tempStore();
  const other = Store.open(`${t.dir}/m.db`);
  try {
    const start = other.currentRev();
    const a = t.store.insert(rec("one"), { embedding: new Float32Array([1, 0]), embedderId: "e" });
    const b = t.store.insert(rec("two"));
    let cs = other.changesSince(start);
    assert.deepEqual(cs.upserts.map((u) => u.pk).sort(), [a, b].sort());
    assert.deepEqual(Array.from(cs.upserts.find((u) => u.pk === a)!.embedding!), [1, 0]);
    t.store.deleteByPks([a]);
    cs = other.changesSince(cs.rev);
    assert.deepEqual(cs.deletes, [a]);
    assert.deepEqual(cs.upserts, []);
    assert.equal(other.changesSince(cs.rev).upserts.length, 0);
  } finally {
    other.close();
  }
});

Deno.test("store: filters by tags, agent, status, time and archive state", async () => {
  await using t = await tempStore();
  t.store.insert(
    rec("a", "ns", { tags: ["x"], agent: "claude", created_at: "2026-01-01T00:00:00.000Z" }),
  );
  t.store.insert(
    rec("b", "ns", { tags: ["y"], status: "candidate", created_at: "2026-02-01T00:00:00.000Z" }),
  );
  t.store.insert(rec("c", "ns", { archived: true }));
  const contents = (f: Parameters<Store["list"]>[0]) =>
    t.store.list(f, { limit: 10 }).map((m) => m.record.content).sort();
  assert.deepEqual(contents({ namespace: "ns" }), ["a", "b"]);
  assert.deepEqual(contents({ namespace: "ns", archived: "include" }), ["a", "b", "c"]);
  assert.deepEqual(contents({ namespace: "ns", archived: "only" }), ["c"]);
  assert.deepEqual(contents({ namespace: "ns", tags: ["x", "zzz"] }), ["a"]);
  assert.deepEqual(contents({ namespace: "ns", agent: "claude" }), ["a"]);
  assert.deepEqual(contents({ namespace: "ns", agent: "_none" }), ["b"]);
  assert.deepEqual(contents({ namespace: "ns", statuses: ["candidate"] }), ["b"]);
  assert.deepEqual(contents({ namespace: "ns", before: "2026-01-15T00:00:00.000Z" }), ["a"]);
  assert.deepEqual(contents({ namespace: "ns", after: "2026-01-15T00:00:00.000Z" }), ["b"]);
  assert.equal(t.store.count({ namespace: "nope" }), 0);
});

Deno.test("store: a failed transaction leaves nothing behind", async () => {
  await using t = await tempStore();
  assert.throws(() =>
    t.store.transaction(() => {
      t.store.insert(rec("kept?"));
      throw new Error("boom");
    }), /boom/);
  assert.equal(t.store.count({ namespace: "ns" }), 0);
  assert.equal(t.store.fts('"kept"', { namespace: "ns" }, 5).length, 0);
});

Deno.test("uuidv7: time-ordered, version 7, RFC 4122 variant", () => {
  const a = uuidv7(1_700_000_000_000);
  const b = uuidv7(1_700_000_000_001);
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(a < b);
});
