/**
 * Several conversations in one namespace (issue 18, the outside benchmark's protocol): the
 * question's conversation leads (lib/recall/focus.ts), a named speaker's conversation is
 * searched even when other conversations crowd the channels (scope.ts), neighbour expansion
 * stays inside its conversation, and the same words said in two conversations stay two turns
 * (lib/memory/write.ts). Small hand-written conversations; expected turns written by hand.
 */
import assert from "node:assert/strict";
import { importText, recall } from "../../lib/memory/mod.ts";
import { recallHybrid } from "../../lib/recall/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

type Turn = [speaker: string, content: string];
type Conv = { id: string; sessions: [date: string, turns: Turn[]][] };

/** Import lines without a namespace: every conversation lands in the default one. */
function jsonl(convs: Conv[]): string {
  return convs.flatMap((c) =>
    c.sessions.flatMap(([date, turns], s) =>
      turns.map(([speaker, content], i) =>
        JSON.stringify({
          content,
          created_at: `${date}T19:${String(i).padStart(2, "0")}:00.000Z`,
          metadata: { conv_id: c.id, session: `session_${s + 1}`, speaker },
        })
      )
    )
  ).join("\n");
}

const NOW = () => new Date("2024-06-01T12:00:00Z");

async function ask(rt: Parameters<typeof recall>[0], query: string) {
  const res = await recall(rt, { query, namespace: "default", limit: 10 });
  return res.memories.map((m) => ({
    content: m.content,
    conv: m.metadata?.conv_id,
    speaker: m.metadata?.speaker,
  }));
}

Deno.test("one namespace: speakers sharing a first name, the answer comes from the right conversation", async () => {
  await using t = await tempRuntime("", { now: NOW });
  const convs: Conv[] = [
    {
      id: "c1",
      sessions: [["2024-03-02", [
        ["Jonas", "Did you go and see that litter in the end?"],
        ["Maya", "We did, and we came home with a little tabby kitten!"],
        ["Jonas", "Name??"],
        ["Maya", "Mochi. My nephew chose it, I was outvoted."],
      ]]],
    },
    {
      id: "c2",
      sessions: [["2024-03-09", [
        ["Maya", "I start at the bakery on Monday, wish me luck"],
        ["Tom", "Good luck! My kitten Biscuit sends his love"],
        ["Maya", "The bakery wants me in at five every morning, what did I sign up for"],
        ["Tom", "Biscuit the kitten is asleep on my feet right now"],
      ]]],
    },
  ];
  const res = await importText(t.rt, jsonl(convs), {});
  assert.equal(res.failed.length, 0);
  const hits = await ask(t.rt, "What did Maya call her kitten?");
  // Maya of c1 named hers ("Mochi.", no word of the question); Maya of c2 talks of her job,
  // and Tom's Biscuit is another person's kitten.
  assert.equal(hits[0].conv, "c1");
  const mochi = hits.findIndex((h) => h.content.startsWith("Mochi."));
  assert.ok(mochi >= 0 && mochi < 3, `Mochi at ${mochi}`);
  const firstOther = hits.findIndex((h) => h.conv === "c2");
  assert.ok(firstOther === -1 || firstOther > mochi, `c2 at ${firstOther}, Mochi at ${mochi}`);
});

Deno.test("one namespace: a named speaker's conversation is searched when others crowd the channels", async () => {
  await using t = await tempRuntime("", { now: NOW });
  // Seventy turns of five other conversations say "exercise" louder than Lucia ever does.
  const crowd: Conv[] = ["c2", "c3", "c4", "c5", "c6"].map((id, c) => ({
    id,
    sessions: [[
      `2024-02-0${c + 1}`,
      Array.from({ length: 14 }, (_, i): Turn => [
        i % 2 ? `Friend${c}` : `Other${c}`,
        `Exercise routine ${c}-${i}: exercise bike then exercise class, exercise every day these days`,
      ]),
    ]],
  }));
  const lucia: Conv = {
    id: "c1",
    sessions: [["2024-05-20", [
      ["Dmitri", "How are the knees holding up?"],
      ["Lucia", "For exercise these days I swim at the lido, running is over for me"],
      ["Dmitri", "Sensible. The lido is lovely in May"],
    ]]],
  };
  const res = await importText(t.rt, jsonl([...crowd, lucia]), {});
  assert.equal(res.failed.length, 0);
  const hits = await ask(t.rt, "What does Lucia do for exercise these days?");
  assert.equal(
    hits[0].content,
    "For exercise these days I swim at the lido, running is over for me",
  );
});

Deno.test("one namespace: neighbour expansion never crosses conversations", async () => {
  await using t = await tempRuntime("", { now: NOW });
  // Same session label, same date, same minute of every turn: only conv_id tells them apart.
  const convs: Conv[] = [
    {
      id: "c1",
      sessions: [["2024-04-06", [
        ["Priya", "Guess what arrived today"],
        ["Maya", "The new espresso machine finally arrived, a shiny red Gaggia"],
        ["Priya", "Coffee at yours on Sunday then"],
      ]]],
    },
    {
      id: "c2",
      sessions: [["2024-04-06", [
        ["Kofi", "The weather has been grim all week"],
        ["Ingrid", "Mostly reading on the sofa"],
        ["Kofi", "Same here, the new season of the quiz show starts soon"],
      ]]],
    },
  ];
  const res = await importText(t.rt, jsonl(convs), {});
  assert.equal(res.failed.length, 0);
  t.rt.syncIndex();
  const cfg = t.rt.config.recall;
  const out = await recallHybrid({
    store: t.rt.store,
    index: t.rt.index,
    embedder: t.rt.embedder,
    stats: t.rt.stats,
    now: NOW,
  }, {
    query: "espresso machine Gaggia",
    filter: { namespace: "default", statuses: ["active", "contested"], archived: "exclude" },
    limit: 10,
    weights: cfg.weights,
    min_channel_score: cfg.min_channel_score,
    diversity_factor: cfg.diversity_factor,
  });
  assert.equal(out.hits[0].record.content.startsWith("The new espresso machine"), true);
  const expanded = out.hits.filter((h) => h.provenance.some((p) => p.startsWith("episode:")));
  assert.ok(expanded.length > 0, "the espresso turn lends its neighbours a share");
  for (const h of expanded) assert.equal(h.record.metadata.conv_id, "c1", h.record.content);
});

Deno.test("one namespace: the same words in two conversations stay two turns of their own", async () => {
  await using t = await tempRuntime("", { now: NOW });
  const convs: Conv[] = [
    { id: "c1", sessions: [["2024-01-10", [["Maya", "Haha yes!"], ["Jonas", "Pizza night?"]]]] },
    { id: "c2", sessions: [["2024-01-11", [["Tom", "Haha yes!"], ["Ingrid", "Quiz night?"]]]] },
  ];
  const res = await importText(t.rt, jsonl(convs), {});
  assert.equal(new Set(res.ids).size, 4, "four turns, four memories");
  // Importing the same transcript again is still a no-op for its turns (same episode).
  const again = await importText(t.rt, jsonl(convs), {});
  assert.deepEqual([...again.ids].sort(), [...res.ids].sort());
});

Deno.test("one namespace: re-importing finds each conversation's own copy of a line many share", async () => {
  await using t = await tempRuntime("", { now: NOW });
  // Twelve conversations open with the same words; each keeps its own turn, and a second
  // import of all twelve adds nothing (the hash finds the copy of the right conversation).
  const convs: Conv[] = Array.from({ length: 12 }, (_, i) => ({
    id: `c${i + 1}`,
    sessions: [[`2024-02-${String(i + 1).padStart(2, "0")}`, [
      [`Speaker${i + 1}`, "Morning! Coffee first, then we talk."],
      [`Other${i + 1}`, `Sure, see you at ${i + 1} o'clock.`],
    ]]],
  }));
  const res = await importText(t.rt, jsonl(convs), {});
  assert.equal(new Set(res.ids).size, 24, "24 turns, 24 memories");
  const again = await importText(t.rt, jsonl(convs), {});
  assert.deepEqual([...again.ids].sort(), [...res.ids].sort());
});
