/**
 * Common-term pruning on a large store (lib/recall/term_stats.ts): a word found in most
 * memories is dropped from the bm25 query, and the memory holding the query's rare word still
 * ranks first.
 */
import assert from "node:assert/strict";
import { newRecord, Store, uuidv7 } from "../../lib/store/mod.ts";
import { TermStats } from "../../lib/recall/mod.ts";
import { ftsOr } from "../../lib/recall/text.ts";

Deno.test("term stats: a very common term is dropped and the rare term's memory ranks first", async () => {
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/m.db`);
  try {
    let rare = 0;
    store.transaction(() => {
      for (let i = 0; i < 2500; i++) {
        // "deploy" is in every memory; a short one repeats it (bm25 would favour it).
        const content = i % 7 === 0 ? "deploy deploy deploy" : `deploy note number ${i} for ops`;
        store.insert(
          newRecord({
            id: uuidv7(),
            content,
            namespace: "ns",
            created_at: "2026-01-01T00:00:00.000Z",
          }),
        );
      }
      rare = store.insert(newRecord({
        id: uuidv7(),
        content: "the zeppelin hangar deploy checklist, a long memory with many other words in it",
        namespace: "ns",
        created_at: "2026-01-01T00:00:00.000Z",
      }));
    });
    const stats = new TermStats(store);
    const terms = stats.selectTerms(["deploy", "zeppelin"], { max: 24, keep: 1 });
    assert.deepEqual(terms, ["zeppelin"], "deploy (in every memory) is dropped");
    const hits = store.fts(ftsOr(terms)!, { namespace: "ns" }, 10);
    assert.equal(hits[0].pk, rare);
    // Without pruning the memory still ranks first: the rare word carries the query.
    const all = store.fts(ftsOr(["deploy", "zeppelin"])!, { namespace: "ns" }, 10);
    assert.equal(all[0].pk, rare);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
