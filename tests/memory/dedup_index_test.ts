/**
 * Bulk writes rank dedup candidates from postings in memory (lib/memory/dedup_index.ts) and
 * must decide as the FTS5 query per memory did. Expected orders and outcomes are written by
 * hand: bm25 ranks rows holding the words the same number of times by length (shorter first),
 * equal rows by key; a batch's own earlier memories are candidates for its later ones; a
 * write by another connection between batches is seen.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config/mod.ts";
import {
  importText,
  inspectMemory,
  openRuntime,
  type Runtime,
  updateMemory,
} from "../../lib/memory/mod.ts";
import { dedupIndexOf } from "../../lib/memory/dedup_index.ts";
import { newRecord, uuidv7 } from "../../lib/store/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const NOW = "2026-12-07T10:00:00.000Z";

function row(rt: Runtime, content: string, namespace = "t", archived = false) {
  const r = newRecord({ id: uuidv7(), content, namespace, created_at: NOW, archived });
  return { pk: rt.store.insert(r), r };
}

/** Lines no other line resembles (letters only, no shared words). */
function filler(i: number): string {
  const syl = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "du", "fe", "go", "ha", "ji"];
  const w = (n: number) => {
    let out = "";
    for (let k = 0, x = n + 1; k < 4; k++, x = Math.floor(x / syl.length)) out += syl[x % 14];
    return out;
  };
  return `Filler ${w(3 * i)} ${w(3 * i + 1)} ${w(3 * i + 2)}.`;
}

const jsonl = (items: Record<string, unknown>[]) => items.map((x) => JSON.stringify(x)).join("\n");

Deno.test("dedup index: ranks as bm25 does, follows the batch's own writes, counts documents", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  const ix = dedupIndexOf(rt.store);
  const [long, short1, short2, three] = rt.store.transaction(() => {
    row(rt, "zeta omega", "other"); // another namespace: never a candidate
    const long = row(rt, "zeta omega filler words make this row much longer than others").pk;
    const short1 = row(rt, "zeta omega").pk;
    const short2 = row(rt, "omega zeta").pk; // the same tokens: ties with short1, by key
    row(rt, "zeta omega", "t", true); // archived: never a candidate
    return [long, short1, short2, row(rt, "zeta alone here").pk];
  });
  // As a write batch uses it: from the start of its transaction.
  rt.store.transaction(() => {
    ix.begin([], ["zeta", "omega", "zeta-omega"]);
    assert.deepEqual(ix.top(["zeta", "omega"], "t", 3), [short1, short2, long]);
    assert.deepEqual(ix.top(["zeta"], "t", 10), [short1, short2, three, long]);
    assert.deepEqual(ix.top(["omega"], "t", 1), [short1]);
    // Two tokens in one word: a phrase this index does not rank; FTS5 answers.
    assert.equal(ix.top(["zeta-omega"], "t", 3), null);
    // Rows holding "zeta", any namespace, archived or not.
    assert.equal(ix.count("zeta"), 6);

    // A row the batch inserts is a candidate for the batch's next lookups.
    const added = row(rt, "zeta omega");
    ix.wrote(added.pk, added.r, false);
    assert.deepEqual(ix.top(["zeta", "omega"], "t", 4), [short1, short2, added.pk, long]);
    assert.equal(ix.count("zeta"), 7);

    // A row the batch archives is not.
    const r2 = rt.store.getMany([short2])[0].record;
    ix.beforeWrite(short2, r2.content);
    const archived = { ...r2, archived: true };
    rt.store.update(short2, archived);
    ix.wrote(short2, archived, true);
    assert.deepEqual(ix.top(["zeta", "omega"], "t", 3), [short1, added.pk, long]);
    ix.end();
    // FTS5 itself ranks the same way.
    const fts = rt.store.fts('"zeta" AND "omega"', { namespace: "t" }, 3).map((h) => h.pk);
    assert.deepEqual(fts, [short1, added.pk, long]);
  });
  ix.committed();
  // The next batch, nobody else having written: every count from one pass over the index.
  const epoch = ix.epoch;
  rt.store.transaction(() => {
    ix.begin([], ["zeta", "omega", "unheard"]);
    // Kept: the revision and FTS5's row and token totals are what this batch left.
    assert.equal(ix.epoch, epoch);
    assert.equal(ix.count("zeta"), 7);
    assert.equal(ix.count("unheard"), 0);
    const more = row(rt, "zeta unheard");
    ix.wrote(more.pk, more.r, false);
    assert.equal(ix.count("zeta"), 8);
    assert.equal(ix.count("unheard"), 1);
    ix.end();
  });
  assert.equal(ix.counts.declined, 1);
});

Deno.test("dedup index: tags count half, as in every bm25 ranking of the index", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  const ix = dedupIndexOf(rt.store);
  const put = (content: string, tags: string[]) =>
    rt.store.insert(newRecord({ id: uuidv7(), content, namespace: "w", created_at: NOW, tags }));
  rt.store.transaction(() => {
    // Worked by hand (k1 1.2, b 0.75; both words in every row, so both idf are the floor;
    // avgdl 16/4): a row's value is the sum over the two words of f·2.2 / (f + 1.2·(0.25 +
    // 0.75·D/4)), D counting every token, tags too.
    put("kappa lambda", []); // f 1 and 1, D 2: 1.257 + 1.257 = 2.514
    // The tags text "kappa kappa" adds 2 × 0.5 to kappa: f 2 and 1, D 4: 1.375 + 1 = 2.375
    // (weighted 1.0 it would be f 3: 2.571, before the row above).
    put("kappa lambda", ["kappa"]);
    // Tags text "lambda-x lambda x": lambda f 2, kappa f 1, D 7: 0.765 + 1.135 = 1.900
    put("kappa lambda sigma", ["lambda-x"]);
    put("lambda kappa kappa", []); // f 2 and 1, D 3: 1.479 + 1.114 = 2.593
  });
  rt.store.transaction(() => {
    ix.begin([], ["kappa", "lambda"]);
    const fts = rt.store.fts('"kappa" AND "lambda"', { namespace: "w" }, 4).map((h) => h.pk);
    assert.deepEqual(fts, [4, 1, 2, 3]);
    assert.deepEqual(ix.top(["kappa", "lambda"], "w", 4), fts);
    ix.end();
  });
});

Deno.test("import in one batch: later lines find earlier lines of the same batch", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  const lines = Array.from({ length: 40 }, (_, i) => ({ content: filler(i) }));
  lines[2] = { content: "Deploy only after staging sign-off." };
  lines[5] = { content: "Auto deploy is enabled for staging." };
  lines[9] = { content: "The API server listens on port 8080 by default." };
  lines[20] = { content: "deploy ONLY after staging sign-off" }; // merged into line 2
  lines[27] = { content: "Auto deploy is disabled for staging." }; // contradicts line 5
  lines[33] = { content: "The API server listens on port 8000 by default." }; // contradicts 9
  const res = await importText(rt, jsonl(lines), { namespace: "n" });
  assert.equal(res.created, 39);
  assert.equal(res.merged, 1);
  assert.equal(res.ids[20], res.ids[2]);
  const a = await inspectMemory(rt, res.ids[2], "n");
  assert.equal(a.evidence_count, 2);
  for (const [newer, older] of [[27, 5], [33, 9]]) {
    const m = await inspectMemory(rt, res.ids[newer], "n");
    assert.equal(m.status, "contested");
    assert.deepEqual(m.contradicts_with, [res.ids[older]]);
    const o = await inspectMemory(rt, res.ids[older], "n");
    assert.equal(o.status, "contested");
    assert.deepEqual(o.contradicts_with, [res.ids[newer]]);
  }
  const ix = dedupIndexOf(rt.store);
  assert.ok(ix.counts.answered > 0, "the batch was ranked by the index");
  assert.equal(ix.counts.declined, 0);
});

Deno.test("import across batches: a row another connection rewrote in between is read anew", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  const batch1 = Array.from({ length: 40 }, (_, i) => ({ content: filler(i) }));
  batch1[3] = { content: "Kafka topic payments keeps three days of data." };
  // Reads line 3 as a neighbour (same words but one): the index and the batch keep it.
  batch1[30] = { content: "Kafka topic payments keeps three days of logs." };
  const first = await importText(rt, jsonl(batch1), { namespace: "n" });
  assert.equal(first.created, 40);

  // Another connection (as another process would) rewrites line 3 between the batches.
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? t.home : undefined) });
  const other = await openRuntime(loaded);
  try {
    await updateMemory(other, {
      id: first.ids[3],
      namespace: "n",
      content: "Kafka topic refunds keeps nine days of data.",
    });
  } finally {
    other.close();
  }

  const batch2 = Array.from({ length: 40 }, (_, i) => ({ content: filler(100 + i) }));
  // Line 3's old words, up to case and punctuation: no longer anyone's text.
  batch2[0] = { content: "kafka topic payments keeps three days of data" };
  // Line 3's new words: a duplicate of the rewritten memory.
  batch2[1] = { content: "Kafka topic refunds keeps nine days of data!" };
  const second = await importText(rt, jsonl(batch2), { namespace: "n" });
  assert.equal(second.created, 39);
  assert.equal(second.merged, 1);
  assert.ok(!first.ids.includes(second.ids[0]), "the old words are a new memory");
  assert.equal(second.ids[1], first.ids[3], "the new words merge into the rewritten memory");
  const m = await inspectMemory(rt, first.ids[3], "n");
  assert.equal(m.content, "Kafka topic refunds keeps nine days of data.");
  assert.equal(m.evidence_count, 2);
});

Deno.test("dedup index: a new state leaves long postings to FTS5 until it lasts a batch", async () => {
  await using t = await tempRuntime();
  const rt = t.rt;
  const ix = dedupIndexOf(rt.store);
  const pks = rt.store.transaction(() =>
    Array.from(
      { length: 600 },
      (_, i) => row(rt, ["common word", "common word more", "common word and more"][i % 3]).pk,
    )
  );
  // The shortest rows (two words), by key: rows 0, 3, 6.
  const first = [pks[0], pks[3], pks[6]];
  rt.store.transaction(() => {
    ix.begin([], ["common"]);
    assert.equal(ix.top(["common"], "t", 3), null); // 600 rows: FTS5 ranks this batch
    ix.end();
  });
  ix.committed();
  rt.store.transaction(() => {
    ix.begin([], ["common"]);
    assert.deepEqual(ix.top(["common"], "t", 3), first);
    ix.end();
  });
  assert.deepEqual(ix.counts, { answered: 1, declined: 1 });
});
