/**
 * The speaker channel scaled by what a turn says (speaker.ts, `speakerShares`): a question
 * naming a person should find what they told about the topic, not their small talk that shares
 * one common word with it. Hand-made conversation inside a store of 1,200 notes, so document
 * counts mean something; expected rankings and shares are written out by hand from the inputs.
 */
import assert from "node:assert/strict";
import { importText, recall } from "../../lib/memory/mod.ts";
import {
  recallHybrid,
  SHARE_MIN_DOCS,
  SPEAKER_WEIGHTS,
  speakerShares,
} from "../../lib/recall/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const NOW = () => new Date("2024-06-01T12:00:00Z");

const CODE = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike " +
  "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu")
  .split(" ");

/**
 * Notes full of the everyday words small talk is made of ("take", "next", "time", "long",
 * "talk"), each with its own three code words so none is a duplicate of another.
 */
function notes(n: number): string {
  return Array.from({ length: n }, (_, i) => {
    const code = [i % 26, Math.floor(i / 26) % 26, Math.floor(i / 676)].map((x) => CODE[x]);
    return JSON.stringify({
      namespace: "notes",
      content: `${code.join(" ")}: take the next train on time, long talk`,
    });
  }).join("\n");
}

/** Maya's small talk holds "time"; what she has been doing shares no word with the question. */
const CHAT: [speaker: string, content: string][] = [
  ["Jonas", "Long week. Pub quiz on Sunday?"],
  ["Maya", "Take me next time"],
  ["Jonas", "Anything new with you?"],
  ["Maya", "Restoring an old Vespa scooter in the garage, evenings only"],
  ["Jonas", "A Vespa! Amazing"],
  ["Maya", "Long time no talk!"],
];

function chatLines(): string {
  return CHAT.map(([speaker, content], i) =>
    JSON.stringify({
      namespace: "chat",
      content,
      created_at: `2024-0${1 + (i >> 1)}-06T19:00:00.000Z`,
      metadata: { conv_id: "c1", session: `session_${1 + (i >> 1)}`, speaker },
    })
  ).join("\n");
}

const QUESTION = "What has Maya been doing in her spare time?";

Deno.test("speaker shares: a person's small talk no longer outranks what they told", async () => {
  await using t = await tempRuntime("", { now: NOW });
  assert.equal((await importText(t.rt, notes(1200))).created, 1200);
  await importText(t.rt, chatLines());
  assert.ok(t.rt.stats.docCount() >= SHARE_MIN_DOCS);
  const res = await recall(t.rt, { query: QUESTION, namespace: "chat", limit: 3, explain: true });
  const first = res.memories[0];
  assert.equal(first.content, "Restoring an old Vespa scooter in the garage, evenings only");
  // Its rare words carry the whole channel; "Take me next time" (every word in hundreds of
  // notes) keeps the least share, 0.25.
  assert.equal(first.explain?.channels.speaker, 1);
  const small = res.memories.find((m) => m.content === "Take me next time");
  assert.ok(small, res.memories.map((m) => m.content).join(" | "));
  assert.equal(small.explain?.channels.speaker, SPEAKER_WEIGHTS.floor);
  // Returned content is what was stored, byte for byte.
  assert.equal(first.content, CHAT[3][1]);
});

Deno.test("speaker shares: the share follows the words' document counts", () => {
  const docs = 1000;
  const df = new Map([["vespa", 1], ["scooter", 1], ["garage", 1], ["take", 500], ["next", 500]]);
  const stats = { docCount: () => docs, df: (t: string) => df.get(t) ?? 1000 };
  const said = new Map([[1, 1], [2, 1], [3, 0]]);
  const out = speakerShares(
    said,
    [
      { pk: 1, record: { content: "Vespa scooter in the garage" } },
      { pk: 2, record: { content: "Take me next time" } },
      { pk: 3, record: { content: "Vespa scooter" } },
    ],
    { weight: 0.6, idf: 2.5, floor: 0.25 },
    stats,
  );
  // 3 · ln(1000) = 20.7 ≥ 2.5 · ln(1001) = 17.3: the whole channel.
  assert.equal(out.get(1), 1);
  // 2 · ln(2) + ln(1) = 1.39, under a tenth of 17.3: the floor.
  assert.equal(out.get(2), 0.25);
  // Not said by the named speaker: stays 0.
  assert.equal(out.get(3), 0);
  // A small store (under SHARE_MIN_DOCS) and no statistics: every turn keeps 1.
  const small = { docCount: () => 200, df: () => 100 };
  assert.equal(
    speakerShares(new Map([[2, 1]]), [{ pk: 2, record: { content: "Take me next time" } }], {
      weight: 0.6,
      idf: 2.5,
      floor: 0.25,
    }, small).get(2),
    1,
  );
});

Deno.test("speaker shares: notes without speakers rank exactly as with the step off", async () => {
  await using t = await tempRuntime("", { now: NOW });
  await importText(t.rt, notes(1200));
  t.rt.syncIndex();
  const run = (idf: number) =>
    recallHybrid({
      store: t.rt.store,
      index: t.rt.index,
      embedder: t.rt.embedder,
      stats: t.rt.stats,
      now: NOW,
    }, {
      query: "Which note says take the next train, alpha bravo?",
      filter: { namespace: "notes", statuses: ["active", "candidate"], archived: "exclude" },
      limit: 10,
      weights: t.rt.config.recall.weights,
      min_channel_score: t.rt.config.recall.min_channel_score,
      diversity_factor: t.rt.config.recall.diversity_factor,
      speaker: { ...SPEAKER_WEIGHTS, idf },
    });
  const on = await run(SPEAKER_WEIGHTS.idf);
  const off = await run(0);
  assert.equal(on.hits.length, 10);
  assert.deepEqual(
    on.hits.map((h) => [h.record.id, h.score]),
    off.hits.map((h) => [h.record.id, h.score]),
  );
});
