/**
 * Word bridges (bridge.ts): a question and the turn that answers it often share no word ("What
 * vehicle…?" / "…a little red car"). The query's words are expanded with their nearest words in
 * the builtin word table and searched with bm25, for turns of dialogue only. Hand-made homes;
 * the expected first memory is written out by hand from the inputs.
 */
import assert from "node:assert/strict";
import { importText, recall } from "../../lib/memory/mod.ts";
import { BRIDGE_WEIGHTS, bridgeWords, recallHybrid } from "../../lib/recall/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const NOW = () => new Date("2024-06-01T12:00:00Z");

Deno.test("bridge words: a query word's nearest table words, held by the store", async () => {
  const all = await bridgeWords(["vehicle"], BRIDGE_WEIGHTS, () => true);
  const words = all.map((b) => b.word);
  assert.ok(words.includes("car"), words.join(", "));
  for (const b of all) {
    assert.equal(b.from, "vehicle");
    assert.ok(b.cosine >= BRIDGE_WEIGHTS.floor);
  }
  // Only words the store holds; the query's own words never.
  const held = await bridgeWords(["vehicle", "car"], BRIDGE_WEIGHTS, (w) => w === "car");
  assert.deepEqual(held.map((b) => b.word), []);
  assert.deepEqual(
    await bridgeWords(["vehicle"], { ...BRIDGE_WEIGHTS, neighbours: 0 }, () => true),
    [],
  );
});

/** Sam's answer shares no word with the question; two other turns of Sam's share one each. */
const CHAT: [speaker: string, content: string][] = [
  ["Ana", "Did you pick a colour for the kitchen?"],
  ["Sam", "Which one did I pick, the sage green"],
  ["Ana", "Any news since we spoke?"],
  ["Sam", "Finally bought a little red car, a second-hand hatchback"],
  ["Ana", "Congrats! Road trip soon"],
  ["Sam", "The tram to work is always late, so many passengers"],
  ["Ana", "Ha, poor you"],
  ["Sam", "Booked the dentist for Friday"],
];

function chatLines(namespace: string): string {
  return CHAT.map(([speaker, content], i) =>
    JSON.stringify({
      namespace,
      content,
      created_at: `2024-0${1 + (i >> 2)}-06T19:00:0${i % 4}.000Z`,
      metadata: { conv_id: "c1", session: `session_${1 + (i >> 2)}`, speaker },
    })
  ).join("\n");
}

const QUESTION = "Which automobile did Sam get?";

/** recallHybrid as `recall` runs it in hybrid mode, with these bridge weights. */
async function ranked(
  rt: Awaited<ReturnType<typeof tempRuntime>>["rt"],
  query: string,
  namespace: string,
  bridge: Partial<typeof BRIDGE_WEIGHTS>,
) {
  const cfg = rt.config.recall;
  rt.syncIndex();
  const out = await recallHybrid({
    store: rt.store,
    index: rt.index,
    embedder: rt.embedder,
    stats: rt.stats,
    now: NOW,
  }, {
    query,
    filter: { namespace, statuses: ["active", "contested"], archived: "exclude" },
    limit: 10,
    weights: cfg.weights,
    min_channel_score: cfg.min_channel_score,
    diversity_factor: cfg.diversity_factor,
    bridge: { ...BRIDGE_WEIGHTS, ...bridge },
  });
  return out.hits.map((h) => ({
    id: h.record.id,
    content: h.record.content,
    score: h.score,
    bridge: h.channels.bridge,
    provenance: h.provenance,
  }));
}

/** Bridges off, and on with a weight in fusion. */
const OFF = { neighbours: 0 };
const WEIGHED = { weight: 0.3 };

Deno.test("bridges: the turn that says it with other words gains the bridge channel", async () => {
  await using t = await tempRuntime("", { now: NOW });
  await importText(t.rt, chatLines("chat"));
  const off = await ranked(t.rt, QUESTION, "chat", OFF);
  const on = await ranked(t.rt, QUESTION, "chat", WEIGHED);
  const car = CHAT[3][1];
  const tram = CHAT[5][1];
  // "automobile" is bridged to "car": the only turn holding a bridge word gets the whole
  // channel (its bm25 is the best, relative 1), so its score rises by exactly the weight.
  assert.equal(on[0].content, car);
  assert.equal(on[0].bridge, 1);
  assert.ok(on[0].provenance.includes("bridge"));
  const before = off.find((h) => h.content === car)!;
  assert.ok(Math.abs(on[0].score - before.score - WEIGHED.weight) < 1e-9);
  assert.equal(before.bridge, undefined);
  assert.ok(!before.provenance.includes("bridge"));
  // A turn holding no bridge word keeps its score and gets no channel value above 0.
  const tramOn = on.find((h) => h.content === tram)!;
  const tramOff = off.find((h) => h.content === tram)!;
  assert.equal(tramOn.score, tramOff.score);
  assert.ok(!tramOn.provenance.includes("bridge"));
  // Returned content is what was stored, byte for byte.
  assert.equal(on[0].content, car);
  // By default the channel is shown but weighs nothing: what a bridge finds is a candidate.
  const res = await recall(t.rt, { query: QUESTION, namespace: "chat", limit: 3, explain: true });
  assert.equal(res.memories[0].content, car);
  assert.equal(res.memories[0].explain?.channels.bridge, 1);
  assert.equal(res.memories[0].score, Math.round(before.score * 10000) / 10000);
  assert.ok(res.memories[0].provenance.includes("bridge"));
});

/** Notes without speakers, some in a session (a coding session's notes). */
function noteLines(): string {
  const texts = [
    "The car park barrier code is 4471",
    "Vehicle inspection for the van is due in March",
    "Deploy the billing service after the schema change",
    "The automobile club newsletter moved to Thursdays",
    "Truck rental: ask for the long wheelbase model",
    "Team lunch on Friday at the noodle place",
  ];
  return texts.map((content, i) =>
    JSON.stringify({
      namespace: "notes",
      content,
      created_at: `2024-02-0${1 + i}T10:00:00.000Z`,
      ...(i % 2 ? { session: "s1" } : {}),
    })
  ).join("\n");
}

Deno.test("bridges: memories without speakers rank exactly as before", async () => {
  await using t = await tempRuntime("", { now: NOW });
  await importText(t.rt, noteLines());
  await importText(t.rt, chatLines("chat"));
  for (const q of [QUESTION, "Which automobile needs an inspection?", "car", "lunch plans"]) {
    const off = await ranked(t.rt, q, "notes", OFF);
    for (const w of [{}, WEIGHED]) {
      const on = await ranked(t.rt, q, "notes", w);
      assert.deepEqual(on, off, q);
    }
    const on = await ranked(t.rt, q, "notes", WEIGHED);
    assert.ok(on.every((h) => h.bridge === undefined && !h.provenance.includes("bridge")), q);
  }
});

/** Counts the capped document counts the bridges run (lib/store `ftsMatchCountUpTo`). */
function countCappedCounts(rt: Awaited<ReturnType<typeof tempRuntime>>["rt"]): () => number {
  let n = 0;
  const prepare = rt.store.prepare.bind(rt.store);
  rt.store.prepare = (sql: string) => {
    if (sql.includes("MATCH ? LIMIT ?)")) n++;
    return prepare(sql);
  };
  return () => n;
}

Deno.test("bridges: a first recall in a namespace without turns looks for none", async () => {
  // A one-shot command (the CLI's recall) on notes: the store is asked once whether the
  // namespace holds turns, and no bridge word is looked up or counted.
  await using notes = await tempRuntime("", { now: NOW });
  await importText(notes.rt, noteLines());
  const counted = countCappedCounts(notes.rt);
  const q = "Which automobile needs an inspection?";
  const res = await recall(notes.rt, { query: q, namespace: "notes", limit: 3 });
  assert.equal(res.memories[0].content, "Vehicle inspection for the van is due in March");
  assert.equal(counted(), 0);
  // The same first recall where turns exist does look the bridges up (the spy can see them).
  await using chat = await tempRuntime("", { now: NOW });
  await importText(chat.rt, chatLines("default"));
  const countedChat = countCappedCounts(chat.rt);
  const hit = await recall(chat.rt, { query: QUESTION, limit: 3 });
  assert.equal(hit.memories[0].content, CHAT[3][1]);
  assert.ok(countedChat() > 0);
});
