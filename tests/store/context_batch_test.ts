/**
 * Episode windows when one import batch (one write transaction) brings a session's turns out
 * of order and interleaved with another session's: each memory's neighbours are those of
 * the session ordered by created_at, whatever order the lines came in (the write path joins
 * a batch's memories from what the transaction knows of the episode, lib/store/context_tail.ts).
 * Expected windows are written out by hand from the inputs.
 */
import assert from "node:assert/strict";
import { importText } from "../../lib/memory/mod.ts";
import { contextText } from "../../lib/store/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const line = (content: string, minute: string, session = "session_1") =>
  JSON.stringify({
    namespace: "chat",
    content,
    created_at: `2024-03-02T19:${minute}:00Z`,
    metadata: { conv_id: "c1", session, speaker: content.startsWith("Ann") ? "Ann" : "Bo" },
  });

Deno.test("episodes: a batch's out-of-order turns get the windows of their created_at order", async () => {
  await using t = await tempRuntime();
  const store = t.rt.store;
  const first = await importText(
    t.rt,
    [
      line("Ann three: the ferry leaves at noon", "03"),
      line("Ann one: are we still going to the island", "01"),
      line("Bo five: bring the blue umbrella", "05"),
      line("Bo elsewhere: the printer jammed again", "02", "session_9"),
      line("Bo two: yes if the weather holds", "02"),
      line("Ann four: then we must run", "04"),
    ].join("\n"),
  );
  const [t3, t1, t5, other, t2, t4] = first.ids;
  const text = (id: string) => contextText(store, store.getById(id)!.pk);
  assert.equal(
    text(t1),
    "Ann: Ann one: are we still going to the island\nBo: Bo two: yes if the weather holds",
  );
  assert.equal(
    text(t2),
    "Ann: Ann one: are we still going to the island\nBo: Bo two: yes if the weather holds\n" +
      "Ann: Ann three: the ferry leaves at noon",
  );
  assert.equal(
    text(t4),
    "Ann: Ann three: the ferry leaves at noon\nAnn: Ann four: then we must run\n" +
      "Bo: Bo five: bring the blue umbrella",
  );
  assert.equal(text(t5), "Ann: Ann four: then we must run\nBo: Bo five: bring the blue umbrella");
  assert.equal(text(other), "Bo: Bo elsewhere: the printer jammed again");

  // A second batch: before the first, after the last, and between two turns.
  const second = await importText(
    t.rt,
    [
      line("Bo six: found it in the car", "06"),
      line("Ann zero: morning! big day", "00"),
      line("Bo three and a half: I booked the tickets", "03"),
    ].join("\n"),
  );
  const [t6, t0, t35] = second.ids;
  assert.equal(
    text(t0),
    "Ann: Ann zero: morning! big day\nAnn: Ann one: are we still going to the island",
  );
  assert.equal(
    text(t1),
    "Ann: Ann zero: morning! big day\nAnn: Ann one: are we still going to the island\n" +
      "Bo: Bo two: yes if the weather holds",
  );
  assert.equal(
    text(t3),
    "Bo: Bo two: yes if the weather holds\nAnn: Ann three: the ferry leaves at noon\n" +
      "Bo: Bo three and a half: I booked the tickets",
  );
  assert.equal(
    text(t35),
    "Ann: Ann three: the ferry leaves at noon\nBo: Bo three and a half: I booked the tickets\n" +
      "Ann: Ann four: then we must run",
  );
  assert.equal(
    text(t4),
    "Bo: Bo three and a half: I booked the tickets\nAnn: Ann four: then we must run\n" +
      "Bo: Bo five: bring the blue umbrella",
  );
  assert.equal(
    text(t5),
    "Ann: Ann four: then we must run\nBo: Bo five: bring the blue umbrella\nBo: Bo six: found it in the car",
  );
  assert.equal(text(t6), "Bo: Bo five: bring the blue umbrella\nBo: Bo six: found it in the car");
});
