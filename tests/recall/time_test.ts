/**
 * The time channel: date expressions resolve to windows relative to the recall clock (expected
 * windows written by hand for a fixed Monday, 2026-06-15), and a question naming a time ranks
 * the memory of that time first.
 */
import assert from "node:assert/strict";
import { importText, recall } from "../../lib/memory/mod.ts";
import { formatWindow, timeWindows } from "../../lib/recall/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const NOW = new Date("2026-06-15T10:00:00Z"); // a Monday

Deno.test("time windows: date expressions against a fixed clock", () => {
  const cases: [string, string[]][] = [
    ["what happened last week?", ["2026-06-08..2026-06-14"]],
    ["what did we decide in March?", ["2026-03-01..2026-03-31"]],
    ["the outage 2 weeks ago", ["2026-05-29..2026-06-04"]],
    ["who called yesterday?", ["2026-06-14..2026-06-14"]],
    ["the deploy on 2026-03-03", ["2026-03-03..2026-03-03"]],
    ["any incidents in September?", ["2025-09-01..2025-09-30"]],
    ["what broke last month", ["2026-05-01..2026-05-31"]],
    ["notes from the 3rd of March 2025", ["2025-03-03..2025-03-03"]],
    ["the call on March 3rd", ["2026-03-03..2026-03-03"]],
    ["what did Ana say last Tuesday?", ["2026-06-09..2026-06-09"]],
    ["news in the past week", ["2026-06-08..2026-06-15"]],
    ["plans for next week", ["2026-06-22..2026-06-28"]],
    ["what happened in 2024", ["2024-01-01..2024-12-31"]],
    // No date: "when" questions, names and words that look like months, habits.
    ["When did Maya get back from Crete?", []],
    ["May I ask how deploys work?", []],
    ["How is June related to Oliver?", []],
    ["What does she do on Tuesday evenings?", []],
    ["the march was long", []],
  ];
  for (const [q, want] of cases) {
    assert.deepEqual(timeWindows(q, NOW).map(formatWindow), want, q);
  }
});

Deno.test("time channel: the memory inside the named window ranks first; explain shows it", async () => {
  await using t = await tempRuntime("", { now: () => NOW });
  const line = (content: string, created_at: string) =>
    JSON.stringify({ namespace: "me", content, created_at });
  const { ids } = await importText(
    t.rt,
    [
      line("Got a wisdom tooth out at the dentist, living on soup", "2026-06-10T18:00:00Z"),
      line("Got a wisdom tooth out at the dentist, living on yoghurt", "2026-03-10T18:00:00Z"),
    ].join("\n"),
  );
  assert.equal(new Set(ids).size, 2);
  const [june, march] = ids;
  for (
    const [query, first] of [
      ["What did I have done at the dentist last week?", june],
      ["What did I have done at the dentist in March?", march],
    ]
  ) {
    const res = await recall(t.rt, { query, namespace: "me", explain: true });
    assert.deepEqual(res.memories.map((m) => m.id), [first, first === june ? march : june]);
    assert.equal(res.memories[0].explain!.channels.time, 1, query);
    assert.ok((res.memories[1].explain!.channels.time ?? 1) < 0.5, query);
    assert.equal(res.explain!.time!.length, 1);
  }
  // A "when" question names no window: no time channel, nothing penalised.
  const when = await recall(t.rt, {
    query: "When did I go to the dentist?",
    namespace: "me",
    explain: true,
  });
  assert.equal(when.explain!.time, undefined);
  assert.equal(when.memories[0].explain!.channels.time, undefined);
});
