import assert from "node:assert/strict";
import { newRecord } from "../../lib/store/mod.ts";
import { decay, inspectMemory, planLifecycle, storeMemory } from "../../lib/memory/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const NOW = new Date("2026-11-01T00:00:00Z");
const OLD = "2026-06-01T00:00:00.000Z"; // 153 days before NOW
const rec = (
  id: string,
  fields: Parameters<typeof newRecord>[0] extends infer T ? Partial<T> : never,
) => newRecord({ id, content: id, namespace: "n", created_at: OLD, updated_at: OLD, ...fields });

Deno.test("lifecycle plan: table of transitions", () => {
  const records = [
    rec("fresh", {
      created_at: "2026-10-30T00:00:00.000Z",
      updated_at: "2026-10-30T00:00:00.000Z",
    }),
    rec("superseded", {
      superseded_by: "x",
      created_at: "2026-10-30T00:00:00.000Z",
      updated_at: "2026-10-30T00:00:00.000Z",
    }),
    rec("ignored", { injection_count: 5 }),
    rec("useful", { injection_count: 5, reuse_count: 2 }),
    rec("rejected", { reject_count: 1, confidence: 0.3, reuse_count: 1 }),
    rec("old-plain", { evidence_count: 3, confirm_count: 1 }),
    rec("candidate", { status: "candidate", injection_count: 1 }),
    rec("was-stale", { status: "stale" }),
    rec("contested", { status: "contested" }),
    rec("archived", { status: "stale", archived: true }),
  ];
  const plan = planLifecycle(records, NOW, 90);
  const got = Object.fromEntries(plan.map((t) => [t.id, t.to]));
  assert.deepEqual(got, {
    superseded: "stale",
    ignored: "stale",
    rejected: "stale",
    candidate: "stale",
    "was-stale": "archived",
    contested: "archived",
  });
  // Turning stale and being archived never happen in one pass.
  assert.equal(plan.filter((t) => t.id === "ignored").length, 1);
  // gc only archives.
  assert.deepEqual(planLifecycle(records, NOW, 90, "gc").map((t) => t.id), [
    "was-stale",
    "contested",
  ]);
});

Deno.test("decay: dry run changes nothing; a run archives instead of deleting", async () => {
  let clock = new Date(OLD);
  await using t = await tempRuntime("", { now: () => clock });
  const a = await storeMemory(t.rt, {
    content: "Old stale note",
    status: "stale",
    created_at: OLD,
  });
  clock = NOW;
  const b = await storeMemory(t.rt, { content: "A fresh fact" });
  const dry = decay(t.rt, { dry_run: true });
  assert.equal(dry.archived, 1);
  assert.equal(inspectMemory(t.rt, a.id).archived, false);
  const run = decay(t.rt, {});
  assert.deepEqual(run.transitions.map((x) => [x.id, x.to]), [[a.id, "archived"]]);
  const after = inspectMemory(t.rt, a.id);
  assert.equal(after.archived, true, "kept, only archived");
  assert.equal(inspectMemory(t.rt, b.id).archived, false);
  assert.throws(() => decay(t.rt, { after_days: -1 }), /after_days/);
});
