/**
 * The shared input checks (lib/memory/input_checks.ts) at their limits, and the read side:
 * a sealed row whose metadata nests 10,000 levels (planted through the lib, bypassing the
 * validator) does not break list, recall, export or whole-namespace reads.
 */
import assert from "node:assert/strict";
import {
  checkJsonInput,
  decodeUtf8,
  decodeUtf8Lines,
  exportNamespace,
  forget,
  listMemories,
  namespaceRecords,
  recall,
  storeMemories,
  storeMemory,
  updateMemory,
  writeRecords,
} from "../../lib/memory/mod.ts";
import { newRecord, uuidv7 } from "../../lib/store/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

/** `n` objects nested in each other, built without recursion. */
function deep(n: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < n; i++) v = { a: v };
  return v;
}

/** The MemoryossError `fn` throws (fails the test when it throws none). */
function thrown(fn: () => unknown): MemoryossError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MemoryossError, String(e));
    return e;
  }
  assert.fail("expected an error");
}

Deno.test("checkJsonInput: depth counts objects and arrays alike; the limit is 64", () => {
  checkJsonInput(deep(64), ["metadata"]);
  const e = thrown(() => checkJsonInput(deep(65), ["metadata"]));
  assert.equal(e.code, "INVALID_INPUT");
  assert.deepEqual(e.path, ["metadata"]);
  assert.match(e.message, /^metadata: nested deeper than 64 levels \(the JSON depth limit\)/);
  // One object holding 63 nested arrays: 64 levels, fine; one more array: 65.
  let arr: unknown[] = [];
  for (let i = 1; i < 63; i++) arr = [arr];
  checkJsonInput({ x: arr }, ["m"]);
  assert.match(thrown(() => checkJsonInput({ x: [arr] }, ["m"])).message, /64 levels/);
  // A whole document may nest deeper when asked (request bodies: 100).
  checkJsonInput(deep(100), [], { maxDepth: 100 });
  assert.match(
    thrown(() => checkJsonInput(deep(101), [], { maxDepth: 100, label: "request body" })).message,
    /^request body: nested deeper than 100 levels/,
  );
});

Deno.test("checkJsonInput: lone surrogates in keys or values are refused by path; pairs are fine; size", () => {
  checkJsonInput({ smile: "\u{1F600}", "\u{1F600}": ["ok"] }, ["metadata"]);
  const v = thrown(() => checkJsonInput({ list: ["ok", "bad \ud800"] }, ["metadata"]));
  assert.deepEqual(v.path, ["metadata", "list", 1]);
  assert.match(v.message, /^metadata\.list\.1: not well-formed Unicode/);
  const k = thrown(() => checkJsonInput({ fine: 1, "\udc00": 2 }, ["metadata"]));
  assert.match(k.message, /^metadata: key #2 is not well-formed Unicode/);
  checkJsonInput({ x: "y".repeat(100) }, ["metadata"], { maxBytes: 108 }); // {"x":"yyy…"}
  assert.match(
    thrown(() => checkJsonInput({ x: "y".repeat(100) }, ["metadata"], { maxBytes: 107 })).message,
    /^metadata: 108 bytes as JSON, over the 107-byte limit/,
  );
});

Deno.test("decodeUtf8: strict, names what and the first bad line; lines decode one by one", () => {
  const enc = new TextEncoder();
  assert.equal(decodeUtf8(enc.encode("caf\u00e9 \ufffd"), "stdin"), "caf\u00e9 \ufffd");
  const bad = new Uint8Array([...enc.encode("ok\ncaf"), 0xc3, 0x28, ...enc.encode("\nok")]);
  const e = thrown(() => decodeUtf8(bad, "stdin"));
  assert.equal(e.message, "stdin is not valid UTF-8 (line 2)");
  assert.deepEqual(decodeUtf8Lines(bad), ["ok", null, "ok"]);
  assert.deepEqual(decodeUtf8Lines(enc.encode("a\r\nb\n")), ["a\r", "b", ""]);
});

Deno.test("store and update refuse bad metadata and text through the lib; forget with empty filters refuses", async () => {
  await using t = await tempRuntime();
  const a = await storeMemory(t.rt, { content: "Backups run nightly", metadata: { k: 1 } });
  const bad = [
    { content: "x", metadata: deep(65) },
    { content: "x", metadata: { "\ud800": 1 } },
    { content: "bad \udfff" },
    { content: "x", tags: ["\ud800"] },
    { content: "x", agent: "\ud800" },
  ];
  for (const input of bad) {
    await assert.rejects(storeMemory(t.rt, input), (e) => e instanceof MemoryossError);
  }
  await assert.rejects(
    updateMemory(t.rt, { id: a.id, metadata: deep(65) }),
    /metadata: nested deeper than 64 levels/,
  );
  for (const filter of [{ agent: "" }, { session: "" }, { before: "", after: "" }]) {
    assert.throws(() => forget(t.rt, filter), /refusing an unscoped forget/);
  }
  const list = listMemories(t.rt, {});
  assert.equal(list.total, 1);
  assert.deepEqual(list.memories[0].metadata, { k: 1 });
});

Deno.test("a sealed row with metadata nested 10,000 levels reads as a marker; the others are intact", async () => {
  await using t = await tempRuntime(); // encryption at rest is on by default
  await storeMemory(t.rt, { content: "Deploy only after the staging signoff", metadata: { k: 1 } });
  // Planted past the validator, as an old home could hold it.
  const [p] = await storeMemories(t.rt, [
    { content: "The staging cluster runs in eu-west", metadata: deep(10_000) },
  ]);
  const sealed = t.rt.store.db.prepare("SELECT metadata FROM memories WHERE id = ?").get(p.id) as {
    metadata: string;
  };
  assert.ok(sealed.metadata.startsWith("enc1:"), "the planted row is sealed");

  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a.join(" "));
  try {
    const list = listMemories(t.rt, {});
    const text = JSON.stringify(list, null, 2); // what the CLI prints: must not overflow
    assert.ok(text.includes('"k": 1'));
    const planted = list.memories.find((m) => m.id === p.id)!;
    assert.deepEqual(Object.keys(planted.metadata), ["memoryoss_unreadable_metadata"]);
    const found = await recall(t.rt, { query: "staging" });
    assert.equal(found.memories.length, 2);
    JSON.stringify(found, null, 2);
    const exp = exportNamespace(t.rt);
    assert.equal(exp.count, 2);
    JSON.stringify(exp, null, 2);
    assert.equal(namespaceRecords(t.rt, "default").length, 2);
    assert.ok(warnings.some((w) => w.includes(`memory ${p.id}: metadata is nested deeper`)));
  } finally {
    console.warn = warn;
  }
});

Deno.test("writeRecords (passport and history import): bad records are refused by path; unreadable metadata is never overwritten", async () => {
  await using t = await tempRuntime();
  const rec = (content: string, metadata: Record<string, unknown> = {}) =>
    newRecord({
      id: uuidv7(),
      content,
      namespace: "default",
      created_at: new Date().toISOString(),
      metadata,
    });
  await assert.rejects(
    writeRecords(t.rt, { insert: [rec("fine"), rec("deep", deep(65))] }),
    /^MemoryossError: insert\.1\.metadata: nested deeper than 64 levels/,
  );
  await assert.rejects(
    writeRecords(t.rt, { insert: [rec("lone \ud800")] }),
    /^MemoryossError: insert\.0\.content: not well-formed Unicode/,
  );
  assert.equal(listMemories(t.rt, {}).total, 0, "nothing of a refused import is written");

  const [p] = await storeMemories(t.rt, [{ content: "Old row", metadata: deep(10_000) }]);
  const warn = console.warn;
  console.warn = () => {};
  try {
    const read = namespaceRecords(t.rt, "default")[0].record;
    // A merge that copies the marker would replace the stored metadata: refused.
    const merged = { ...read, metadata: { ...read.metadata, extra: 1 }, version: read.version + 1 };
    await assert.rejects(writeRecords(t.rt, { update: [merged] }), /cannot be read; refusing/);
    // The record as read (marker and all) can be rewritten; the stored metadata stays deep.
    await writeRecords(t.rt, { update: [{ ...read, tags: ["kept"], version: read.version + 1 }] });
    const after = listMemories(t.rt, {}).memories[0];
    assert.equal(after.id, p.id);
    assert.deepEqual(after.tags, ["kept"]);
    assert.deepEqual(Object.keys(after.metadata), ["memoryoss_unreadable_metadata"]);
  } finally {
    console.warn = warn;
  }
});
