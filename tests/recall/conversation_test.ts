/**
 * Conversation recall (issue 18): speakers named in a question (speaker.ts), a second hop
 * through the names of the best hits (cooccur.ts), "before/after X" anchors and "when…?"
 * questions (anchor.ts). Small hand-made conversations; the expected memories and windows are
 * written out by hand from the inputs.
 */
import assert from "node:assert/strict";
import { importText, recall } from "../../lib/memory/mod.ts";
import { anchorOf, anchorWindow, asksWhen, formatWindow, namesIn } from "../../lib/recall/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { cli, okJson } from "../cli/_helpers.ts";

type Turn = [speaker: string, content: string];

/** One import line per turn, as the conversational eval imports them. */
function jsonl(sessions: [date: string, turns: Turn[]][], ns = "chat"): string {
  return sessions.flatMap(([date, turns], s) =>
    turns.map(([speaker, content]) =>
      JSON.stringify({
        namespace: ns,
        content,
        created_at: `${date}T19:00:00.000Z`,
        metadata: { conv_id: "c1", session: `session_${s + 1}`, speaker },
      })
    )
  ).join("\n");
}

/** Small talk that names the other person in greetings, as real chats do. */
const SMALL_TALK: Turn[] = [
  ["Jonas", "Happy Friday Maya!!"],
  ["Maya", "Happy Friday! Long week"],
  ["Jonas", "Hey Maya! How was your weekend?"],
  ["Maya", "Pretty good, mostly doing absolutely nothing. You?"],
  ["Jonas", "Maya! Quick catch-up before I crash?"],
  ["Maya", "The weather has been grim all week"],
  ["Jonas", "Honestly paella is never the wrong answer"],
  ["Maya", "Anyway I should get some sleep. Talk soon!"],
];

const NOW = () => new Date("2024-06-01T12:00:00Z");

Deno.test("conversation: anchors, 'when' questions and names are read from the words", () => {
  assert.deepEqual(anchorOf("What happened after Maya moved?"), {
    direction: "after",
    text: "after Maya moved",
  });
  assert.deepEqual(anchorOf("What diet was Jonas on before the blood test results?"), {
    direction: "before",
    text: "before the blood test results",
  });
  // "since" wants the start too; a bare "after" names nothing.
  assert.equal(anchorOf("How has her hobby developed since she started it?"), null);
  assert.equal(anchorOf("What came after?"), null);
  assert.deepEqual(
    formatWindow(
      anchorWindow({ direction: "after", text: "x" }, "2024-03-01T19:00:00Z", {
        weight: 0.3,
        horizon: 30,
        when: 0,
      })!,
    ),
    "2024-03-01..2024-03-31",
  );
  assert.ok(asksWhen("When did Maya get back from Crete?"));
  assert.ok(asksWhen("On what date was the show?"));
  assert.ok(asksWhen("What day did the offer come?"));
  assert.ok(!asksWhen("Where did Maya go on holiday?"));
  // Capitalised inside a sentence; not an opening word, weekday, month or pronoun.
  assert.deepEqual(namesIn("Update: Pickle yells. We got the flat in Utrecht on Monday"), [
    "utrecht",
  ]);
  // Opening words only when asked for, and not inflected ones.
  assert.deepEqual(namesIn("Dumpling. It just suited the face.\nBooked flights!", true), [
    "dumpling",
  ]);
  assert.deepEqual(namesIn("Okay, Circe: I cried on the bus\nBack from Crete. Amazing"), [
    "circe",
    "crete",
  ]);
});

Deno.test("conversation: a question naming a speaker finds what that person said, not greetings", async () => {
  await using t = await tempRuntime("", { now: NOW });
  const { ids } = await importText(
    t.rt,
    jsonl([
      ["2024-01-04", [
        ...SMALL_TALK.slice(0, 4),
        ["Jonas", "So did you make it to the shelter on Saturday?"],
        ["Maya", "We did, and we came home with a little Maine Coon kitten!"],
        ["Jonas", "Oh my god. Name??"],
        ["Maya", "Mochi. My nephew chose it, I was outvoted."],
      ]],
      ["2024-01-20", SMALL_TALK],
    ]),
  );
  const res = await recall(t.rt, {
    query: "What did Maya call her new kitten?",
    namespace: "chat",
    limit: 3,
    explain: true,
  });
  assert.deepEqual(res.explain?.speakers, ["maya"]);
  const top = res.memories.map((m) => m.content);
  // The kitten turn and its answer, said by Maya; no greeting that merely names her.
  assert.equal(top[0], "We did, and we came home with a little Maine Coon kitten!");
  assert.ok(!top.some((c) => /Maya!/.test(c)), top.join(" | "));
  assert.equal(res.memories[0].explain?.channels.speaker, 1);
  assert.equal(res.memories[0].id, ids[5]);
  // Matching the name as a word (plain bm25) is what puts the greetings first.
  const bm25 = await recall(t.rt, {
    query: "What did Maya call her new kitten?",
    namespace: "chat",
    limit: 3,
    mode: "bm25",
  });
  assert.match(bm25.memories[0].content, /Maya!/);
});

/** Lucia's cat: its name in one session, its mischief (by name only) in another. */
const FILLER: Turn[] = [
  ["Lucia", "Have you started Slow Horses yet? I'm three episodes in"],
  ["Dmitri", "Not yet, is it good?"],
  ["Lucia", "So good. Don't read anything about it"],
  ["Dmitri", "The neighbours are doing building work at 7am every day"],
  ["Lucia", "Ugh, I feel that"],
  ["Dmitri", "We should do a ramen night soon"],
  ["Lucia", "Anyway, gotta run, speak soon"],
];
const PETS: [string, Turn[]][] = [
  ["2024-01-04", [
    ["Dmitri", "So did you make it to the shelter on Saturday?"],
    ["Lucia", "We did, and we came home with a tabby cat!"],
    ["Dmitri", "Oh my god. Name??"],
    ["Lucia", "We're calling her Pickle, my nephew chose it"],
    ...FILLER,
  ]],
  ["2024-01-24", FILLER],
  ["2024-02-10", [
    ...FILLER.slice(0, 3),
    ["Lucia", "Update: Pickle yells for breakfast at 5am. Every. Single. Day."],
    ["Dmitri", "Ha, classic"],
    ...FILLER.slice(3),
  ]],
];

Deno.test("conversation: a question joining two facts reaches both through the name they share", async () => {
  await using t = await tempRuntime("", { now: NOW });
  await importText(t.rt, jsonl(PETS));
  const res = await recall(t.rt, {
    query: "What mischief does Lucia's cat get up to?",
    namespace: "chat",
    limit: 5,
    explain: true,
  });
  const top = res.memories.map((m) => m.content);
  assert.ok(top.includes("We did, and we came home with a tabby cat!"), top.join(" | "));
  const second = res.memories.find((m) => m.content.startsWith("Update: Pickle yells"));
  assert.ok(second, `the second fact is not in the top 5: ${top.join(" | ")}`);
  // It shares no word with the question: the name "Pickle" in the first fact's window led there.
  assert.ok(res.explain?.entities?.includes("pickle"), JSON.stringify(res.explain));
  assert.ok(second.provenance.includes("entity"), second.provenance.join());
  assert.equal(second.explain?.raw.fts, null);
  assert.equal(second.content, "Update: Pickle yells for breakfast at 5am. Every. Single. Day.");
});

/** Maya took up pottery in January, moved on 1 March, kept at it. */
const POTTERY: [string, Turn[]][] = [
  ["2024-01-10", [["Maya", "Pottery class tonight, my bowl came out lopsided"], ["Jonas", "Ha"]]],
  ["2024-01-24", [["Maya", "Pottery class again, the bowl is lopsided still"], ["Jonas", "Nice"]]],
  ["2024-03-01", [["Maya", "We moved to Utrecht this weekend, boxes everywhere"], [
    "Jonas",
    "Yay",
  ]]],
  ["2024-03-20", [["Maya", "Pottery class in the new place, a lopsided bowl"], ["Jonas", "Oh"]]],
  ["2024-05-30", [["Jonas", "Happy Friday Maya!!"], ["Maya", "Happy Friday!"]]],
];

Deno.test("conversation: 'after X' prefers what came after X, 'before X' what came before", async () => {
  await using t = await tempRuntime("", { now: NOW });
  await importText(t.rt, jsonl(POTTERY));
  const ask = (query: string) =>
    recall(t.rt, { query, namespace: "chat", limit: 3, explain: true });
  const after = await ask("How did Maya's pottery go after she moved?");
  assert.deepEqual(after.explain?.time, [{
    text: "after she moved",
    window: "2024-03-01..2024-03-15",
  }]);
  assert.equal(after.memories[0].content, "Pottery class in the new place, a lopsided bowl");
  const before = await ask("How did Maya's pottery go before she moved?");
  assert.deepEqual(before.explain?.time, [{
    text: "before she moved",
    window: "2024-02-16..2024-03-01",
  }]);
  // Both January classes came before the move; the March one comes after them.
  const order = before.memories.map((m) => m.content);
  assert.deepEqual(order.slice(0, 2).sort(), [
    "Pottery class again, the bowl is lopsided still",
    "Pottery class tonight, my bowl came out lopsided",
  ]);
  // The memory of the move itself is where the question starts, not its answer.
  assert.ok(!after.memories[0].content.startsWith("We moved"));
});

Deno.test("conversation: 'when…?' favours a turn that dates the event itself", async () => {
  await using t = await tempRuntime("", { now: NOW });
  await importText(
    t.rt,
    jsonl([
      ["2024-04-13", [
        ["Maya", "We got the flat!! Signed the lease this morning"],
        ["Jonas", "AHH finally"],
      ]],
      ["2024-04-20", [["Maya", "We got the flat keys cut, so many keys"], ["Jonas", "Ha"]]],
    ]),
  );
  const res = await recall(t.rt, {
    query: "When did Maya get the flat?",
    namespace: "chat",
    limit: 2,
    explain: true,
  });
  const dated = res.memories.find((m) => m.content.endsWith("this morning"));
  const undated = res.memories.find((m) => m.content.endsWith("so many keys"));
  assert.ok(dated && undated, res.memories.map((m) => m.content).join(" | "));
  assert.equal(dated.explain?.channels.time, 1);
  assert.equal(undated.explain?.channels.time, undefined);
});

Deno.test("conversation: notes without speakers are ranked as before (no speaker, no hop)", async () => {
  await using t = await tempRuntime("", { now: NOW });
  const lines = [
    "Maya owns the billing service",
    "Deploys to Utrecht go through the staging cluster",
    "Maya prefers Postgres over MySQL",
  ].map((content) => JSON.stringify({ namespace: "notes", content, session: "s1" })).join("\n");
  await importText(t.rt, lines);
  const res = await recall(t.rt, {
    query: "What does Maya own?",
    namespace: "notes",
    limit: 3,
    explain: true,
  });
  assert.equal(res.memories[0].content, "Maya owns the billing service");
  assert.equal(res.explain?.speakers, undefined);
  assert.equal(res.explain?.entities, undefined);
  assert.ok(res.memories.every((m) => m.explain?.channels.speaker === undefined));
});

Deno.test("conversation: `recall --explain` shows the speaker and entity channels", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-conversation-" });
  try {
    const file = `${home}/chat.jsonl`;
    await Deno.writeTextFile(file, jsonl(POTTERY) + "\n");
    okJson(await cli(home, "import", "--file", file, "--json"));
    const out = await cli(
      home,
      "recall",
      "--namespace",
      "chat",
      "--explain",
      "How did Maya's pottery go after she moved?",
    );
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^speakers: maya$/m);
    assert.match(out.stdout, /^time: after she moved → 2024-03-01\.\.2024-03-15$/m);
    assert.match(out.stdout, /time \d\.\d{3}\s+speaker 1\b/);
    await Deno.writeTextFile(file, jsonl(PETS, "pets") + "\n");
    okJson(await cli(home, "import", "--file", file, "--json"));
    const pets = await cli(home, "recall", "-n", "pets", "--explain", "What does Lucia's cat do?");
    assert.equal(pets.code, 0, pets.stderr);
    assert.match(pets.stdout, /^names searched again: pickle$/m);
    assert.match(pets.stdout, /Update: Pickle yells[^\n]*\n[^\n]*entity \d\.\d{3}/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
