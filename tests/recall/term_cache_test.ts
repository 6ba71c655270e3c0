/**
 * Work recall skips (issue 18/21): bm25 ranked from per-term values kept for one store revision
 * (lib/recall/term_stats.ts), and the episode channels skipped in a namespace without turns of
 * dialogue (lib/recall/engine.ts). Both must return what the full computation returns: the
 * oracles are hand-derived ranks of small corpora, FTS5's own bm25 and a recall that runs
 * every channel.
 */
import assert from "node:assert/strict";
import { newRecord, Store, uuidv7 } from "../../lib/store/mod.ts";
import { recallHybrid, TermStats } from "../../lib/recall/mod.ts";
import { importText, recall } from "../../lib/memory/mod.ts";
import { ftsOr } from "../../lib/recall/text.ts";
import { tempRuntime } from "../_support/runtime.ts";

const at = "2026-01-01T00:00:00.000Z";

Deno.test("term cache: bm25 from per-term values ranks as FTS5 does, and a write is seen at once", async () => {
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/m.db`);
  try {
    const put = (content: string, namespace = "ns") =>
      store.insert(newRecord({ id: uuidv7(), content, namespace, created_at: at }));
    // Hand-derived ranks for "alpha OR beta": both words beat one; "alpha only here" and "beta
    // only there" tie (same IDF, same length) and tie by row key; the other namespace and the
    // memory with neither word are out.
    const both = put("alpha beta gamma");
    const alpha = put("alpha only here");
    const beta = put("beta only there");
    put("nothing relevant at all");
    put("alpha beta", "other");
    const stats = new TermStats(store);
    // Count FTS5's own OR ranking: once per-term values are kept, it is not run again.
    let orQueries = 0;
    const prepare = store.prepare.bind(store);
    store.prepare = (sql: string) => {
      if (/ORDER BY s, rowid LIMIT/.test(sql)) orQueries++;
      return prepare(sql);
    };
    const fts = (f = { namespace: "ns" }) => store.fts(ftsOr(["alpha", "beta"])!, f, 10);
    for (let i = 0; i < 3; i++) {
      const hits = stats.search(["alpha", "beta"], { namespace: "ns" }, 10);
      assert.deepEqual(hits.map((h) => h.pk), [both, alpha, beta], `search ${i + 1}`);
      assert.deepEqual(hits, fts(), `search ${i + 1}: FTS5's hits and scores`);
    }
    orQueries = 0;
    stats.search(["alpha", "beta"], { namespace: "ns" }, 10);
    assert.equal(orQueries, 0, "the third search at one revision ranks from kept values");
    // A write (any process: the revision is in the database) is seen by the next search. The
    // new memory repeats both words in a short text: bm25 ranks it first.
    const twice = put("alpha beta alpha beta");
    for (let i = 0; i < 3; i++) {
      const hits = stats.search(["alpha", "beta"], { namespace: "ns" }, 10);
      assert.deepEqual(hits.map((h) => h.pk), [twice, both, alpha, beta], `after write ${i + 1}`);
      assert.deepEqual(hits, fts(), `after write ${i + 1}: FTS5's hits and scores`);
    }
    // Which rows pass a filter is kept per filter: the other namespace gets its own.
    assert.deepEqual(
      stats.search(["alpha", "beta"], { namespace: "other" }, 10),
      fts({ namespace: "other" }),
    );
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("term cache: phrases (the exact channel) rank as FTS5 does", async () => {
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/m.db`);
  try {
    const put = (content: string) =>
      store.insert(newRecord({ id: uuidv7(), content, namespace: "ns", created_at: at }));
    const exact = put("Env var ALPHA_TIMEOUT_MS controls it.");
    put("alpha and timeout, in ms, but apart");
    const stats = new TermStats(store);
    for (let i = 0; i < 3; i++) {
      const hits = stats.searchPhrases(['"alpha timeout ms"'], { namespace: "ns" }, 10);
      assert.deepEqual(hits.map((h) => h.pk), [exact], "only the memory with the phrase");
      assert.deepEqual(hits, store.fts('"alpha timeout ms"', { namespace: "ns" }, 10));
    }
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Memories of one session (an episode) with no speaker: notes, not turns of dialogue. */
const NOTES = [
  "The billing service now depends on Redis for rate limits.",
  "The billing service was migrated to Postgres last spring.",
  "The search indexer caches results from OpenSearch.",
  "The email worker logs every error to Kafka.",
  "The mobile app reads its config from the CDN edge.",
  "The nightly export job shares a database with the warehouse.",
].map((content, i) =>
  JSON.stringify({
    content,
    session: "s1",
    created_at: `2026-01-0${i + 1}T10:00:00.000Z`,
  })
).join("\n");

Deno.test("recall: a namespace without turns skips the episode channels and ranks as with them", async () => {
  await using t = await tempRuntime();
  await importText(t.rt, NOTES);
  const query = "what does the billing service depend on?";
  const full = async () =>
    // No term statistics: every channel runs (the episode ones find no turn to count).
    await recallHybrid(
      { store: t.rt.store, index: t.rt.index, embedder: t.rt.embedder, now: t.rt.now },
      {
        query,
        filter: { namespace: "default", statuses: ["active", "contested"] },
        limit: 10,
        weights: t.rt.config.recall.weights,
        min_channel_score: t.rt.config.recall.min_channel_score,
        diversity_factor: t.rt.config.recall.diversity_factor,
      },
    );
  t.rt.syncIndex();
  const reference = (await full()).hits.map((h) => [h.record.content, h.score]);
  // Hand-derived: the note that says billing, service and depends first, then the other
  // billing-service note.
  assert.match(String(reference[0][0]), /depends on Redis/);
  assert.match(String(reference[1][0]), /migrated to Postgres/);
  for (let i = 0; i < 3; i++) {
    // From the second recall at one revision on, the term statistics know there is no turn.
    const res = await recall(t.rt, { query, limit: 10, graph: false });
    assert.deepEqual(
      res.memories.map((m) => [m.content, m.score]),
      reference.map(([c, s]) => [c, Math.round((s as number) * 10000) / 10000]),
      `recall ${i + 1}`,
    );
  }
  assert.equal(t.rt.stats.hasTurns("default"), false);
  // A turn of dialogue arrives. The recall right after the write does not look for turns (it
  // runs the episode channels, as for a namespace with turns); the next one looks, once.
  await importText(
    t.rt,
    JSON.stringify({
      content: "we moved billing off Redis yesterday",
      metadata: { speaker: "Dana", session: "s2", conv_id: "c1" },
    }),
  );
  let scans = 0;
  const prepare = t.rt.store.prepare.bind(t.rt.store);
  t.rt.store.prepare = (sql: string) => {
    if (sql.includes("memory_context NOT INDEXED")) scans++;
    return prepare(sql);
  };
  const ask = () => recall(t.rt, { query: "billing off redis", limit: 3, explain: true });
  const first = await ask();
  assert.equal(scans, 0, "no look for turns right after a write");
  await ask();
  await ask();
  assert.equal(scans, 1, "looked once, then kept for the revision");
  assert.equal(t.rt.stats.hasTurns("default"), true);
  assert.match(first.memories[0].content, /moved billing off Redis/);
  assert.ok(first.memories[0].provenance.includes("context"), "window bm25 counted for the turn");
});
