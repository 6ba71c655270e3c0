/**
 * Repeated turns (lib/recall/redundancy.ts): a line said again in later sessions ("the
 * neighbour has a spare key now…") takes one slot, not three. Small hand-made conversation;
 * the expected results are written out by hand from the inputs.
 */
import assert from "node:assert/strict";
import { importText, recall } from "../../lib/memory/mod.ts";
import { REDUNDANCY_WEIGHTS, sameWords } from "../../lib/recall/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { cli, okJson, withHome } from "../cli/_helpers.ts";

type Turn = [speaker: string, content: string];

/** One import line per turn, as the conversational eval imports them. */
function jsonl(sessions: [date: string, turns: Turn[]][]): string {
  return sessions.flatMap(([date, turns], s) =>
    turns.map(([speaker, content]) =>
      JSON.stringify({
        namespace: "chat",
        content,
        created_at: `${date}T19:00:00.000Z`,
        metadata: { conv_id: "c1", session: `session_${s + 1}`, speaker },
      })
    )
  ).join("\n");
}

const SPARE = "The neighbour has a spare key now, lesson learned";
const CANOE = "I've been making a wooden canoe in the garage, evenings only";

/** Maya repeats the spare-key line in four sessions; she mentions the canoe once. */
const CHAT: [string, Turn[]][] = [
  ["2024-01-06", [["Jonas", "Locked out again?"], ["Maya", SPARE]]],
  ["2024-01-13", [["Jonas", "How was the week?"], ["Maya", `So ${SPARE.toLowerCase()} haha`]]],
  ["2024-01-20", [["Jonas", "Anything new?"], ["Maya", CANOE], ["Jonas", "A canoe! Amazing"]]],
  ["2024-02-03", [["Jonas", "Weekend plans?"], ["Maya", `Anyway, ${SPARE.toLowerCase()}`]]],
  ["2024-02-10", [["Jonas", "Pub quiz on Sunday?"], ["Maya", `Honestly ${SPARE.toLowerCase()}`]]],
];

const NOW = () => new Date("2024-06-01T12:00:00Z");
const QUESTION = "What has Maya been making in her spare time?";

Deno.test("repeats: word sets that say the same", () => {
  const set = (s: string) => new Set(s.split(" "));
  // Every word of the shorter one in the longer: a repeat (openers and "haha" aside).
  assert.ok(
    sameWords(
      set("neighbour spare key lesson learned"),
      set("so neighbour spare key lesson learned haha"),
      0.8,
    ),
  );
  // Two of four: not the same line.
  assert.ok(
    !sameWords(set("neighbour spare key lesson"), set("neighbour spare canoe garage"), 0.8),
  );
  // Same topic, something new ("still"): with the default overlap (all words), no repeat.
  const a = set("pottery class tonight bowl came lopsided");
  assert.ok(!sameWords(a, set("pottery class bowl lopsided still"), REDUNDANCY_WEIGHTS.overlap));
  assert.ok(sameWords(a, set("so pottery class tonight bowl came lopsided haha"), 1));
  // Too short to call a repeat: short replies say something new each time.
  assert.ok(!sameWords(set("olive judge"), set("olive judge"), 0.8, 3));
});

Deno.test("repeats: one copy of a repeated line, and room for the answer", async () => {
  await using t = await tempRuntime("", { now: NOW });
  const { ids } = await importText(t.rt, jsonl(CHAT));
  const res = await recall(t.rt, { query: QUESTION, namespace: "chat", limit: 10 });
  const contents = res.memories.map((m) => m.content);
  const spare = (c: string) => /spare key now/.test(c);
  // The canoe turn (the answer, said by Maya) first; in the first four, one copy of the
  // spare-key line (without the step, three of them: ranks 2–4), and Jonas's reply to the
  // canoe news, which the copies pushed down to seventh.
  const canoe = contents.indexOf(CANOE);
  assert.equal(canoe, 0, contents.join(" | "));
  assert.equal(contents.slice(0, 4).filter(spare).length, 1, contents.join(" | "));
  assert.ok(contents.slice(0, 4).includes("A canoe! Amazing"), contents.join(" | "));
  assert.equal(res.memories[canoe].id, ids[5]);
  // The copies below the first are marked with the copy they repeat.
  const first = res.memories.find((m) => spare(m.content))!;
  const copies = res.memories.filter((m) => spare(m.content) && m.id !== first.id);
  assert.equal(copies.length, 3);
  for (const c of copies) {
    assert.ok(c.provenance.includes(`repeat:${first.id}`), c.provenance.join());
  }
  // Content is returned as stored.
  assert.equal(copies.some((c) => c.content === `So ${SPARE.toLowerCase()} haha`), true);
});

Deno.test("repeats: recall --json through main.ts shows the repeat in provenance", async () => {
  await withHome(async (home) => {
    const file = `${home}/chat.jsonl`;
    await Deno.writeTextFile(file, jsonl(CHAT) + "\n");
    okJson(await cli(home, "import", "--file", file, "--json"));
    const out = okJson<{ memories: { content: string; provenance: string[] }[] }>(
      await cli(home, "recall", "-n", "chat", "--limit", "10", "--json", QUESTION),
    );
    const marked = out.memories.filter((m) => m.provenance.some((p) => p.startsWith("repeat:")));
    assert.equal(marked.length, 3, JSON.stringify(out.memories.map((m) => m.provenance)));
    assert.ok(marked.every((m) => /spare key now/.test(m.content)));
  });
});
