/**
 * Importance with time decay, access boosts and immunity (pinned, high importance, often
 * used; slower half-lives for decisions and preferences), driven by a fake clock (rt.now).
 */
import assert from "node:assert/strict";
import { newRecord } from "../../lib/store/mod.ts";
import { DEFAULT_LIFECYCLE, importanceOf } from "../../lib/memory/importance.ts";
import { decay, inspectMemory, planLifecycle, storeMemory } from "../../lib/memory/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const T0 = "2026-01-01T00:00:00.000Z";
const at = (days: number) => new Date(Date.parse(T0) + days * 86_400_000);
const rec = (id: string, fields: Record<string, unknown> = {}) =>
  newRecord({ id, content: id, namespace: "n", created_at: T0, updated_at: T0, ...fields });

Deno.test("importance: halves every half-life; decisions and preferences fade slower", () => {
  const plain = rec("plain");
  assert.equal(importanceOf(plain, at(0)).importance, 0.5);
  assert.equal(importanceOf(plain, at(30)).importance, 0.25);
  assert.equal(importanceOf(plain, at(60)).importance, 0.125);
  const decision = rec("d", { category: "decision" });
  assert.equal(importanceOf(decision, at(90)).importance, 0.25);
  assert.equal(importanceOf(rec("p", { category: "preference" }), at(90)).half_life_days, 90);
  const custom = { ...DEFAULT_LIFECYCLE, decision_half_life_days: 10 };
  assert.equal(importanceOf(decision, at(10), custom).importance, 0.25, "configurable");
  const i = importanceOf(plain, at(30));
  assert.match(
    i.why,
    /base 0\.5 \(importance 3\) × access 1 \(0 uses\) × decay 0\.5 \(idle 30 d, half-life 30 d\) = 0\.25/,
  );
});

Deno.test("importance: uses boost it, rejections cut it, stated importance sets the base", () => {
  const used = rec("u", { reuse_count: 2, injection_count: 1 });
  const i = importanceOf(used, at(0));
  assert.equal(i.uses, 3);
  assert.equal(i.access_boost, Math.round((1 + 0.5 * Math.log(4)) * 10000) / 10000);
  assert.ok(i.importance > 0.5);
  assert.equal(importanceOf(rec("r", { reject_count: 1 }), at(0)).importance, 0.25);
  assert.equal(importanceOf(rec("five", { metadata: { importance: 5 } }), at(0)).base, 1);
  assert.equal(importanceOf(rec("one", { metadata: { importance: 1 } }), at(0)).base, 0.15);
});

Deno.test("importance: immunity — pinned never decays; high importance; often used", () => {
  const pinnedTag = importanceOf(rec("p", { tags: ["pinned"] }), at(3650));
  assert.equal(pinnedTag.immune, "pinned");
  assert.equal(pinnedTag.decay_factor, 1);
  assert.equal(pinnedTag.importance, 0.5);
  assert.equal(importanceOf(rec("m", { metadata: { pinned: true } }), at(10)).immune, "pinned");
  assert.equal(
    importanceOf(rec("h", { metadata: { importance: 4 } }), at(10)).immune,
    "high importance",
  );
  assert.equal(importanceOf(rec("o", { evidence_count: 4 }), at(10)).immune, "often used");
  assert.equal(
    importanceOf(rec("inj", { injection_count: 9 }), at(10)).immune,
    null,
    "injections alone do not protect",
  );
});

Deno.test("lifecycle plan: low importance turns stale; immune and pinned memories never do", () => {
  const records = [
    rec("plain"),
    rec("decision", { category: "decision" }),
    rec("pinned", { tags: ["pinned"] }),
    rec("important", { metadata: { importance: 4 } }),
    rec("merged", { evidence_count: 4 }),
    rec("pinned-stale", { tags: ["pinned"], status: "stale" }),
  ];
  // Day 80: plain is at 0.5·0.5^(80/30) ≈ 0.079 < 0.1; a decision is at ≈ 0.27.
  const plan = planLifecycle(records, at(80), 90);
  assert.deepEqual(plan.map((t) => t.id), ["plain"]);
  assert.match(plan[0].reason, /^importance 0\.0787 < 0\.1: base 0\.5/);
  assert.equal(plan[0].importance, 0.0787);
  // Much later the decision fades too; the immune, pinned ones still do not.
  const later = planLifecycle(records, at(400), 90);
  assert.deepEqual(later.map((t) => t.id).sort(), ["decision", "plain"]);
  // gc never archives a pinned memory.
  assert.deepEqual(planLifecycle(records, at(400), 90, "gc"), []);
});

Deno.test("decay --dry-run explains importance per memory; GC archives, never deletes (fake clock)", async () => {
  let clock = at(0);
  await using t = await tempRuntime("", { now: () => clock });
  const plain = await storeMemory(t.rt, { content: "The team lunch is on Fridays" });
  const decision = await storeMemory(t.rt, {
    content: "We decided to ship weekly releases",
    category: "decision",
  });
  const pinned = await storeMemory(t.rt, { content: "Never force-push main", tags: ["pinned"] });
  clock = at(80);
  const dry = decay(t.rt, { dry_run: true });
  assert.deepEqual(dry.transitions.map((x) => x.id), [plain.id]);
  const byId = new Map(dry.importance!.map((m) => [m.id, m]));
  assert.equal(byId.size, 3);
  assert.equal(byId.get(pinned.id)!.immune, "pinned");
  assert.match(byId.get(decision.id)!.why, /half-life 90 d, decision/);
  assert.ok(byId.get(plain.id)!.importance < 0.1);
  assert.equal(inspectMemory(t.rt, plain.id).status, "active", "dry run changes nothing");

  const run = decay(t.rt, {});
  assert.equal(run.importance, undefined);
  assert.equal(inspectMemory(t.rt, plain.id).status, "stale");
  clock = at(200);
  const gc = decay(t.rt, { steps: "gc" });
  assert.deepEqual(gc.transitions.map((x) => [x.id, x.to]), [[plain.id, "archived"]]);
  const archived = inspectMemory(t.rt, plain.id);
  assert.equal(archived.archived, true, "archived, still in the store");
  assert.equal(inspectMemory(t.rt, pinned.id).archived, false);
  assert.equal(inspectMemory(t.rt, pinned.id).status, "active");
});
