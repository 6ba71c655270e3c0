/**
 * bm25 search ranks the index alone and filters after (lib/store/fts.ts): the answers must be
 * exactly those of ranking inside the filter, including when the namespace asked for is small
 * and another namespace fills the whole head of the unfiltered ranking.
 */
import assert from "node:assert/strict";
import { newRecord, type Store, uuidv7 } from "../../lib/store/mod.ts";
import { tempStore } from "../_support/store.ts";

function put(store: Store, content: string, namespace: string, extra = {}): number {
  return store.insert(newRecord({
    id: uuidv7(),
    content,
    namespace,
    created_at: "2026-01-01T00:00:00.000Z",
    ...extra,
  }));
}

Deno.test("fts search: a small namespace still gets its hits when a big one ranks above it", async () => {
  await using t = await tempStore();
  // 300 short, dense "kiwi" memories elsewhere outrank anything in the small namespace.
  for (let i = 0; i < 300; i++) put(t.store, `kiwi kiwi kiwi ${i}`, "big");
  const mine = [
    put(t.store, "a long note that mentions kiwi once among many other words here", "small"),
    put(t.store, "kiwi kiwi orchard notes with a few more words", "small"),
  ];
  put(t.store, "nothing relevant in this one", "small");
  const hits = t.store.fts('"kiwi"', { namespace: "small" }, 5);
  assert.deepEqual(hits.map((h) => h.pk).sort(), [...mine].sort());
  // The denser one ranks first, as bm25 within the namespace says.
  assert.equal(hits[0].pk, mine[1]);
  assert.ok(hits[0].score > hits[1].score);
});

Deno.test("fts search: the filter (status, archive) applies before the limit", async () => {
  await using t = await tempStore();
  const active = put(t.store, "quasar quasar report", "ns");
  const gone = put(t.store, "quasar quasar quasar", "ns", { status: "superseded" });
  const archived = put(t.store, "quasar quasar quasar quasar", "ns", { archived: true });
  for (let i = 0; i < 40; i++) put(t.store, `quasar filler ${i} with extra words to be long`, "ns");
  const top1 = t.store.fts('"quasar"', { namespace: "ns", statuses: ["active"] }, 1);
  assert.deepEqual(top1.map((h) => h.pk), [active]);
  const any = t.store.fts('"quasar"', { namespace: "ns", archived: "include" }, 3);
  assert.deepEqual(any.map((h) => h.pk), [archived, gone, active]);
  assert.deepEqual(t.store.fts('"quasar"', { namespace: "other" }, 3), []);
});
