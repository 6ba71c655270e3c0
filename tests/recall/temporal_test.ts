import assert from "node:assert/strict";
import { recencyScores, temporalIntent } from "../../lib/recall/mod.ts";

Deno.test("temporal intent: latest, earliest, month, none", () => {
  const cases: [string, string][] = [
    ["where does the user live now?", "latest"],
    ["what is the current target date?", "latest"],
    ["which port do we use at the moment", "latest"],
    ["what did we use for storage before SQLite?", "earliest"],
    ["when was v0.4 originally supposed to ship?", "earliest"],
    ["what went wrong in the first week of May?", "month:5"],
    ["what happened in early March", "month:3"],
    ["any incidents during sep?", "month:9"],
    ["may I ask how deploys work", "none"],
    ["May we deploy on Fridays?", "none"],
    ["when can we deploy?", "none"],
  ];
  for (const [q, want] of cases) {
    const i = temporalIntent(q);
    assert.equal(i.kind === "month" ? `month:${i.month}` : i.kind, want, q);
  }
});

Deno.test("recency scores: relative to the newest/oldest candidate, or month membership", () => {
  const times = new Map([
    [1, "2026-01-01T00:00:00Z"],
    [2, "2026-01-08T00:00:00Z"],
    [3, "2026-05-02T00:00:00Z"],
  ]);
  const now = new Date("2026-11-01T00:00:00Z");
  const latest = recencyScores(times, { kind: "latest" }, now);
  assert.equal(latest.get(3), 1);
  assert.ok(latest.get(2)! > latest.get(1)!);
  const earliest = recencyScores(times, { kind: "earliest" }, now);
  assert.equal(earliest.get(1), 1);
  assert.equal(earliest.get(2), 0.5);
  const may = recencyScores(times, { kind: "month", month: 5 }, now);
  assert.deepEqual([...may.values()], [0, 0, 1]);
  const none = recencyScores(times, { kind: "none" }, new Date("2026-01-08T00:00:00Z"));
  assert.equal(none.get(2), 1);
  assert.equal(none.get(1), 0.5);
});
