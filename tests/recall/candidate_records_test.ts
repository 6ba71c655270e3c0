/**
 * What recall reads of its candidates (issue 21): sealed records open their text only when
 * read, yet look like plain records to every reader (the fields in the documented order, JSON,
 * spread, assignment); and the conversation focus knows without opening metadata which
 * memories are in no conversation, while turns of conversations are still told apart. Expected
 * values are written by hand.
 */
import assert from "node:assert/strict";
import { recall, storeMemory } from "../../lib/memory/mod.ts";
import { withoutConversation } from "../../lib/store/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

/** A memory record's fields, in the order every surface prints them. */
const FIELDS = [
  "id",
  "content",
  "tags",
  "agent",
  "session",
  "namespace",
  "memory_type",
  "status",
  "version",
  "created_at",
  "updated_at",
  "source_key",
  "content_hash",
  "archived",
  "confidence",
  "evidence_count",
  "last_verified_at",
  "superseded_by",
  "derived_from",
  "contradicts_with",
  "injection_count",
  "reuse_count",
  "confirm_count",
  "reject_count",
  "supersede_count",
  "last_injected_at",
  "last_reused_at",
  "last_outcome_at",
  "review_events",
  "category",
  "metadata",
];

Deno.test("a sealed candidate record reads like a plain one", async () => {
  await using t = await tempRuntime();
  const stored = await storeMemory(t.rt, {
    content: "The ingest gateway moved to Kafka",
    namespace: "r",
    tags: ["infra", "kafka"],
    session: "s1",
    metadata: { ticket: "ENG-1", depth: { a: 1 } },
  });
  const raw = t.rt.store.db.prepare("SELECT content, metadata FROM memories WHERE id = ?")
    .get(stored.id) as { content: string; metadata: string };
  assert.match(raw.content, /^enc1:/, "the home seals rows (the lazy path is the one tested)");
  const [{ record }] = t.rt.store.getMany([t.rt.store.getById(stored.id)!.pk]);
  assert.deepEqual(Object.keys(record), FIELDS);
  const json = JSON.parse(JSON.stringify(record));
  assert.deepEqual(Object.keys(json), FIELDS);
  assert.equal(json.content, "The ingest gateway moved to Kafka");
  assert.deepEqual(json.metadata, { ticket: "ENG-1", depth: { a: 1 } });
  assert.deepEqual(json.tags, ["infra", "kafka"]);
  assert.equal(json.session, "s1");
  assert.equal(json.archived, false);
  assert.deepEqual([json.derived_from, json.review_events, json.injection_count], [[], [], 0]);
  const copy = { ...record };
  assert.equal(Object.getOwnPropertyDescriptor(copy, "content")?.value, json.content);
  record.content = "rewritten";
  record.metadata = { x: 1 };
  assert.deepEqual([record.content, record.metadata], ["rewritten", { x: 1 }]);
});

Deno.test("the focus knows the memories of no conversation without their metadata", async () => {
  await using t = await tempRuntime();
  const put = async (content: string, session: string | null, metadata: object) =>
    t.rt.store.getById(
      (await storeMemory(t.rt, { content, namespace: "c", session, metadata })).id,
    )!;
  const plainSession = await put("deploys go out on Tuesdays", "s1", {});
  const sessionWithSpeaker = await put("I deploy on Tuesdays", "s1", { speaker: "Ana" });
  const inConv = await put("we deploy on Fridays now", "s1", { conv_id: "c1" });
  const inConvOtherKey = await put("Friday deploys again", "s2", { conversation_id: "c2" });
  const noSession = await put("deploy freeze in December", null, {});
  const sessionInMetadata = await put("deploy checklist", null, { session: "s3" });
  const all = [
    plainSession,
    sessionWithSpeaker,
    inConv,
    inConvOtherKey,
    noSession,
    sessionInMetadata,
  ];
  const known = withoutConversation(
    t.rt.store,
    all.map((m) => ({ pk: m.pk, session: m.record.session })),
  );
  // Known: a session column whose episode has no conversation. Unknown (metadata decides):
  // conversations, and memories whose session is not in the plain column.
  assert.deepEqual([...known].sort(), [plainSession.pk, sessionWithSpeaker.pk].sort());
});

Deno.test("turns with a plain session column: the question's conversation still leads", async () => {
  await using t = await tempRuntime();
  const turns: [conv: string, speaker: string, content: string][] = [
    ["c1", "Maya", "We adopted a tabby kitten called Mochi"],
    ["c1", "Jonas", "Mochi is a great name for a kitten"],
    ["c2", "Tom", "My kitten Biscuit sleeps on my feet"],
    ["c2", "Maya", "Biscuit the kitten is adorable"],
  ];
  for (const [i, [conv, speaker, content]] of turns.entries()) {
    await storeMemory(t.rt, {
      content,
      namespace: "d",
      session: "session_1",
      created_at: `2024-03-0${i + 1}T10:00:00.000Z`,
      metadata: { conv_id: conv, speaker },
    });
  }
  await storeMemory(t.rt, {
    content: "Kitten food is on the shopping list",
    namespace: "d",
    session: "notes",
  });
  const res = await recall(t.rt, {
    query: "What is the name of Jonas's kitten Mochi?",
    namespace: "d",
  });
  const byContent = new Map(res.memories.map((m) => [m.content, m.provenance]));
  // The first hits are conversation c1's: c2's turns are marked as another conversation's,
  // the note of no conversation is not.
  assert.ok(byContent.get("Biscuit the kitten is adorable")?.includes("other_conversation"));
  assert.ok(byContent.get("My kitten Biscuit sleeps on my feet")?.includes("other_conversation"));
  assert.ok(!byContent.get("Mochi is a great name for a kitten")?.includes("other_conversation"));
  assert.ok(
    !byContent.get("Kitten food is on the shopping list")?.includes("other_conversation"),
  );
});
