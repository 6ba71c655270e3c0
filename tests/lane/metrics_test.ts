/**
 * cmmd's metric names on the real `/metrics` endpoint of `lane tend` run through main.ts, read
 * with an independent Prometheus text parser: existing cmmd alerts must keep working.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseProm, valueOf } from "./_prom.ts";
import { copyFixture, FAKE_AGENT, script, spawnLane, tempDir, waitFor } from "./_support.ts";

/** cmmd's names and types (spec §4.2), written out by hand. */
const CMMD_TYPES: Record<string, string> = {
  cmmd_build_info: "gauge",
  cmmd_tick_interval_sec: "gauge",
  cmmd_audit_issues_last: "gauge",
  cmmd_last_tick_unix: "gauge",
  cmmd_tick_staleness_seconds: "gauge",
  cmmd_ticks_total: "counter",
  cmmd_ticks_ran_total: "counter",
  cmmd_ticks_skipped_total: "counter",
  cmmd_tick_duration_sum_seconds: "counter",
  cmmd_tick_failures_total: "counter",
  cmmd_history_appends_total: "counter",
};

const VERSION = JSON.parse(
  await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
).version as string;

Deno.test("lane tend /metrics: cmmd's names and ours, with the tick's values", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root); // four findings (spec §3, memoryoss's audit)
  const agent = await script(dir.path, "agent.sh", FAKE_AGENT); // runs, exits 3
  const t0 = Math.floor(Date.now() / 1000);
  const args = ["tend", "--memory-root", root, "--state-dir", join(dir.path, "state")];
  const lane = spawnLane([...args, "--min-idle", "0", "--agent", agent], {
    MEMORYOSS_HOME: dir.path,
    METRICS_BIND: "127.0.0.1:0", // cmmd's variable; port 0: any free port
    TICK_INTERVAL_SEC: "3600",
  });
  let text = "";
  try {
    const [, url] = await lane.waitLine(/^lane tend: metrics (http:\/\/127\.0\.0\.1:\d+),/);
    await waitFor(async () => {
      text = await (await fetch(`${url}/metrics`)).text();
      return /^cmmd_ticks_total 1$/m.test(text);
    });
  } finally {
    const end = await lane.stop();
    assert.equal(end.code, 0, lane.lines.join("\n"));
  }
  const t1 = Math.floor(Date.now() / 1000);
  const scrape = parseProm(text);

  for (const [name, type] of Object.entries(CMMD_TYPES)) {
    assert.equal(scrape.types.get(name), type, `TYPE of ${name}`);
    const ours = name.replace(/^cmmd_/, "memoryoss_lane_");
    assert.equal(scrape.types.get(ours), type, `TYPE of ${ours}`);
    assert.ok(scrape.help.has(name), `HELP of ${name}`);
  }
  const build = scrape.samples.find((s) => s.name === "cmmd_build_info")!;
  assert.deepEqual([build.value, build.labels.version, "git_sha" in build.labels], [
    1,
    VERSION,
    true,
  ]);
  const want: Record<string, number> = {
    tick_interval_sec: 3600,
    ticks_total: 1,
    ticks_ran_total: 1,
    ticks_skipped_total: 0,
    tick_failures_total: 1, // the agent exited 3
    audit_issues_last: 4,
    history_appends_total: 1,
  };
  for (const prefix of ["cmmd_", "memoryoss_lane_"]) {
    for (const [k, v] of Object.entries(want)) assert.equal(valueOf(scrape, prefix + k), v, k);
    const last = valueOf(scrape, `${prefix}last_tick_unix`);
    assert.ok(last >= t0 && last <= t1, `last_tick_unix ${last} within [${t0}, ${t1}]`);
    const stale = valueOf(scrape, `${prefix}tick_staleness_seconds`);
    assert.ok(stale >= 0 && stale <= t1 - last + 1, `staleness ${stale}`);
    assert.ok(valueOf(scrape, `${prefix}tick_duration_sum_seconds`) > 0);
  }
  assert.equal(valueOf(scrape, "memoryoss_lane_dry_run"), 1);
  assert.equal(scrape.types.has("cmmd_dry_run"), false, "cmmd has no dry_run metric");
});
