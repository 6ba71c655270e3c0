/** relief auto: triggers, cooldown, back-off, persistence and stopping, on an injected clock. */
import assert from "node:assert/strict";
import {
  autoDecision,
  type AutoOptions,
  emptyState,
  nextCooldown,
  type ReliefReport,
  type ReliefState,
  runAuto,
  windowsBackend,
} from "../../lib/relief/mod.ts";
import { FakeWin } from "./_fake_win.ts";
import { desktop, fakeClock } from "./_fakes.ts";

const MB = 1048576;
const opts = { thresholdPct: 90, minAvailableMb: 0, intervalMs: null as number | null };

Deno.test("auto: decisions", () => {
  const s = (usedPct: number) => ({ total: 1000 * MB, available: (1000 - usedPct * 10) * MB });
  const cases: [string, Parameters<typeof autoDecision>[0], string][] = [
    ["below threshold", {
      sample: s(50),
      now: 1e6,
      lastCleanAt: null,
      periodFrom: 0,
      cooldownMs: 30000,
      opts,
    }, "below_threshold"],
    ["at threshold", {
      sample: s(90),
      now: 1e6,
      lastCleanAt: null,
      periodFrom: 0,
      cooldownMs: 30000,
      opts,
    }, "threshold"],
    ["in cooldown", {
      sample: s(95),
      now: 1e6,
      lastCleanAt: 1e6 - 10000,
      periodFrom: 0,
      cooldownMs: 30000,
      opts,
    }, "cooldown"],
    ["cooldown over", {
      sample: s(95),
      now: 1e6,
      lastCleanAt: 1e6 - 30000,
      periodFrom: 0,
      cooldownMs: 30000,
      opts,
    }, "threshold"],
    ["threshold off", {
      sample: s(99),
      now: 1e6,
      lastCleanAt: null,
      periodFrom: 0,
      cooldownMs: 0,
      opts: { ...opts, thresholdPct: 0 },
    }, "below_threshold"],
    ["available floor", {
      sample: s(50),
      now: 1e6,
      lastCleanAt: null,
      periodFrom: 0,
      cooldownMs: 0,
      opts: { ...opts, minAvailableMb: 600 },
    }, "available"],
    ["interval due", {
      sample: s(10),
      now: 1e6,
      lastCleanAt: null,
      periodFrom: 1e6 - 60000,
      cooldownMs: 0,
      opts: { ...opts, intervalMs: 60000 },
    }, "interval"],
    ["interval not due", {
      sample: s(10),
      now: 1e6,
      lastCleanAt: 1e6 - 1000,
      periodFrom: 0,
      cooldownMs: 0,
      opts: { ...opts, intervalMs: 60000 },
    }, "below_threshold"],
  ];
  for (const [label, input, want] of cases) {
    const d = autoDecision(input);
    assert.equal(d.run ? d.trigger : d.wait, want, label);
  }
});

Deno.test("auto: low-yield cleans double the cooldown up to the ceiling", () => {
  const o = { cooldownMs: 30000, maxCooldownMs: 120000, lowYieldMb: 64 };
  assert.equal(nextCooldown(30000, 10, o), 60000);
  assert.equal(nextCooldown(60000, 10, o), 120000);
  assert.equal(nextCooldown(120000, 10, o), 120000);
  assert.equal(nextCooldown(120000, 500, o), 30000, "a good clean resets it");
});

function setup(usedPct: number) {
  // 4 GiB machine; the fake's lists make it ~used by the given load.
  const free = Math.round(((100 - usedPct) / 100) * 1048576) - 105_000;
  const api = new FakeWin({
    elevated: false,
    procs: desktop(),
    selfPid: 2000,
    foregroundPid: 1000,
    freePages: Math.max(0, free),
  });
  const clock = fakeClock(Date.UTC(2025, 0, 1), 0);
  let state: ReliefState = emptyState();
  const reports: ReliefReport[] = [];
  const deps = {
    backend: windowsBackend({ api, clock }),
    clock,
    loadState: () => Promise.resolve(structuredClone(state)),
    saveState: (s: ReliefState) => {
      state = s;
      return Promise.resolve();
    },
    onReport: (r: ReliefReport) => {
      reports.push(r);
      return Promise.resolve();
    },
  };
  return { api, clock, deps, reports, state: () => state };
}

const base = (o: Partial<AutoOptions>): AutoOptions => ({
  thresholdPct: 90,
  minAvailableMb: 0,
  intervalMs: null,
  pollMs: 5000,
  cooldownMs: 30000,
  maxCooldownMs: 30 * 60000,
  lowYieldMb: 64,
  relief: { tier: "safe", selfPid: 2000 },
  ...o,
});

Deno.test("auto: cleans once, then waits out the (backed-off) cooldown", async () => {
  const t = setup(97);
  const summary = await runAuto(base({ maxIterations: 20 }), t.deps);
  // First poll cleans (yield is big: the fake's processes hold GBs). Later polls stay above the
  // threshold only if the clean did not bring usage down; either way no poll inside the
  // cooldown cleans again.
  assert.ok(summary.runs >= 1);
  const times = t.reports.map((r) => Date.parse(r.when));
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 30000);
  assert.equal(t.reports[0].mode, "memory_relief");
  assert.equal(t.reports[0].trigger, "auto");
  assert.equal(summary.polls, 20);
  assert.deepEqual(t.clock.slept.slice(0, 3), [5000, 5000, 5000]);
  assert.ok(t.state().auto.last_clean_at);
});

Deno.test("auto: nothing to reclaim → cooldown doubles and is persisted", async () => {
  const t = setup(97);
  for (const p of t.api.procs) p.wsPages = 0; // nothing to trim: every clean is low-yield
  const summary = await runAuto(base({ maxIterations: 60, pollMs: 10000 }), t.deps);
  const gaps = t.reports.map((r) => Date.parse(r.when)).map((x, i, a) => (i ? x - a[i - 1] : 0))
    .slice(1);
  assert.deepEqual(gaps.slice(0, 3), [60000, 120000, 240000], "back-off between cleans");
  assert.equal(t.state().auto.low_yield_streak, summary.runs);
  assert.ok(t.state().auto.cooldown_ms > 30000);
  // A restarted auto honours the stored cooldown: no clean right away.
  const again = setup(97);
  const stored = t.state();
  stored.auto.last_clean_at = new Date(again.clock.t).toISOString();
  again.deps.loadState = () => Promise.resolve(structuredClone(stored));
  const s2 = await runAuto(base({ maxIterations: 2, pollMs: 1000 }), again.deps);
  assert.equal(s2.runs, 0);
});

Deno.test("auto: below the threshold nothing runs; aggressive is refused; abort stops", async () => {
  const t = setup(50);
  assert.equal((await runAuto(base({ maxIterations: 5 }), t.deps)).runs, 0);
  await assert.rejects(
    () => runAuto(base({ relief: { tier: "aggressive" } }), t.deps),
    /never automatic/,
  );
  const ctl = new AbortController();
  ctl.abort();
  assert.equal((await runAuto(base({ signal: ctl.signal }), t.deps)).polls, 0);
});
