/**
 * Read-ahead of common words' bm25 values (lib/recall/term_stats.ts `prewarm`, run by serve's
 * warm start through lib/server/warm.ts `warmTerms`): the first search naming a read-ahead
 * word asks FTS5 nothing, and returns FTS5's own hits and scores (the oracle: `store.fts`,
 * FTS5's `bm25` ranking of the same OR, and hand-derived ranks).
 */
import assert from "node:assert/strict";
import { newRecord, Store, uuidv7 } from "../../lib/store/mod.ts";
import { commonWords, TermStats } from "../../lib/recall/mod.ts";
import { ftsOr } from "../../lib/recall/text.ts";
import { warmTerms } from "../../lib/server/warm.ts";
import { tempRuntime } from "../_support/runtime.ts";

const at = "2026-01-01T00:00:00.000Z";

/**
 * 40 memories: "deploy" in 6 (twice in the shortest), "production" in 5, "zeppelin" in one,
 * filler in 33.
 */
function fill(store: Store): { contents: string[]; twice: number; zeppelin: number } {
  const contents: string[] = [];
  const put = (content: string) => {
    contents.push(content);
    return store.insert(newRecord({ id: uuidv7(), content, namespace: "ns", created_at: at }));
  };
  let twice = 0;
  let zeppelin = 0;
  store.transaction(() => {
    for (const w of ["alpha", "bravo", "charlie", "delta", "echo"]) {
      put(`deploy ${w} to production`);
    }
    twice = put("deploy deploy");
    zeppelin = put("zeppelin hangar checklist");
    for (let i = 0; i < 33; i++) put(`filler memory ${i} about lunch`);
  });
  return { contents, twice, zeppelin };
}

/** Count the statements that call FTS5's bm25 (a per-word read or an OR ranking). */
function countBm25(store: Store): { n: number } {
  const count = { n: 0 };
  const prepare = store.prepare.bind(store);
  store.prepare = (sql: string) => {
    if (/bm25\(/.test(sql)) count.n++;
    return prepare(sql);
  };
  return count;
}

Deno.test("term prewarm: the first search after it asks FTS5 nothing and ranks as FTS5 does", async () => {
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/m.db`);
  try {
    const { contents, twice, zeppelin } = fill(store);
    const stats = new TermStats(store);
    // "deploy" is in 6 of 40 rows and "production" in 5 (under the 20 % recall keeps);
    // "zeppelin" in one, under minDocs; the filler words ("filler", "memory", "lunch") in 33:
    // too common to be queried.
    assert.equal(await stats.prewarm(contents, { minDocs: 3 }), 11, "deploy's and production's");
    const bm25 = countBm25(store);
    const fts = (terms: string[]) => store.fts(ftsOr(terms)!, { namespace: "ns" }, 10);
    const hits = stats.search(["deploy"], { namespace: "ns" }, 10);
    assert.equal(bm25.n, 0, "the first search ranks from the values read ahead");
    assert.equal(hits[0].pk, twice, "the short memory saying deploy twice ranks first");
    assert.equal(hits.length, 6);
    assert.deepEqual(hits, fts(["deploy"]), "FTS5's hits and scores");
    // A word not read ahead: read at this revision (steady since the read-ahead), ranked exactly.
    const both = stats.search(["zeppelin", "deploy"], { namespace: "ns" }, 10);
    assert.equal(both[0].pk, zeppelin, "the rare word's memory first");
    assert.deepEqual(both, fts(["zeppelin", "deploy"]));
    // A write: the values read ahead belong to the old revision; FTS5 ranks again, exactly.
    store.insert(
      newRecord({ id: uuidv7(), content: "deploy deploy deploy", namespace: "ns", created_at: at }),
    );
    bm25.n = 0;
    const after = stats.search(["deploy"], { namespace: "ns" }, 10);
    assert.ok(bm25.n > 0, "after a write FTS5 is asked");
    assert.equal(after.length, 7);
    assert.deepEqual(after, fts(["deploy"]));
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("term prewarm: bounded by its row budget, the common-word share, and an abort", async () => {
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/m.db`);
  try {
    const { contents } = fill(store);
    // Words in at least 3 of the 40 texts, the most frequent first (filler words: 33 each).
    assert.deepEqual(commonWords(contents, 3), [
      "filler",
      "lunch",
      "memory",
      "deploy",
      "production",
    ]);
    assert.equal(await new TermStats(store).prewarm(contents, { minDocs: 3, budget: 4 }), 0);
    const aborted = AbortSignal.abort();
    assert.equal(
      await new TermStats(store).prewarm(contents, { minDocs: 3, signal: aborted }),
      0,
    );
    // minDocs above every count in a reasonable corpus: nothing read.
    assert.equal(await new TermStats(store).prewarm(contents), 0);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve warm start: warmTerms reads the common word of the largest namespace", async () => {
  await using t = await tempRuntime();
  const store = t.rt.store;
  // 1,200 memories hold "invoice" (1,200 of 6,000 = 20 %, the most recall still queries);
  // "note" and "lunch" are in 80 %, every number in one.
  store.transaction(() => {
    for (let i = 0; i < 6000; i++) {
      const content = i % 5 === 0 ? `invoice ${i}` : `note ${i} on lunch`;
      store.insert(newRecord({ id: uuidv7(), content, namespace: "default", created_at: at }));
    }
  });
  assert.equal(await warmTerms(t.rt), 1200);
  const bm25 = countBm25(store);
  const hits = t.rt.stats.search(["invoice"], { namespace: "default" }, 10);
  assert.equal(bm25.n, 0, "the first search ranks from the values read ahead");
  assert.deepEqual(hits, store.fts(ftsOr(["invoice"])!, { namespace: "default" }, 10));
});
