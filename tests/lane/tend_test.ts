import assert from "node:assert/strict";
import { join } from "node:path";
import {
  newMetrics,
  recordTick,
  renderMetrics,
  sendControl,
  serveControl,
  startTend,
  tailHistory,
  type TendOptions,
} from "../../lib/lane/mod.ts";
import { cli, MAIN } from "../cli/_helpers.ts";
import { copyFixture, FAKE_AGENT, laneArgv, script, tempDir, waitFor } from "./_support.ts";

const exists = (p: string) => Deno.lstat(p).then(() => true, () => false);

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

Deno.test("renderMetrics: every metric under memoryoss_lane_ and under cmmd's cmmd_ name", () => {
  const m = newMetrics(900, true);
  const r = {
    tick_id: "a",
    started_at_unix: 100,
    finished_at_unix: 102,
    dry_run: true,
    memory_root: "/m",
    ran: true,
    reason_skipped: null,
    exit_code: 1,
    audit_total_issues: 4,
    pre_tick_sha: null,
    fixes_applied: [],
    transcript: null,
    duration_ms: 1500,
  };
  recordTick(m, r, true);
  recordTick(m, { ...r, ran: false, exit_code: null }, false);
  const text = renderMetrics(m, 110, "9.9.9");
  const values = Object.fromEntries(
    text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(" ")),
  );
  const shared = {
    tick_interval_sec: "900",
    audit_issues_last: "4",
    last_tick_unix: "102",
    tick_staleness_seconds: "8",
    ticks_total: "2",
    ticks_ran_total: "1",
    ticks_skipped_total: "1",
    tick_duration_sum_seconds: "3",
    tick_failures_total: "1",
    history_appends_total: "0",
  };
  const want: Record<string, string> = {
    'memoryoss_lane_build_info{version="9.9.9",git_sha=""}': "1",
    'cmmd_build_info{version="9.9.9",git_sha=""}': "1",
    memoryoss_lane_dry_run: "1",
  };
  for (const [k, v] of Object.entries(shared)) {
    want[`memoryoss_lane_${k}`] = v;
    want[`cmmd_${k}`] = v;
  }
  assert.deepEqual(values, want);
  assert.match(text, /^# TYPE memoryoss_lane_ticks_total counter$/m);
  assert.match(text, /^# TYPE cmmd_ticks_total counter$/m);
});

Deno.test("tend: a real loop — socket round trip, metrics over HTTP, history, dry-run persisted", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  const stateDir = join(dir.path, "state");
  await Deno.mkdir(root);
  await copyFixture(root);
  const agent = await script(dir.path, "agent.sh", FAKE_AGENT);
  const opts: TendOptions = {
    roots: [root],
    stateDir,
    intervalSec: 3600,
    minIdleSec: 0,
    maxTickSec: 30,
    agent: { kind: "command", argv: [agent] },
    metrics: { host: "127.0.0.1", port: 0 },
    dryRun: true,
    once: false,
    version: "test",
  };
  const h = await startTend(opts);
  const sock = join(stateDir, "ctl.sock");
  try {
    assert.equal(h.socketPath, sock);
    assert.equal(await sendControl(sock, "ping"), "pong\n");
    const first = JSON.parse(await sendControl(sock, "tick-wait"));
    assert.equal(first.ok, true);
    assert.deepEqual(
      [
        first.record.ran,
        first.record.exit_code,
        first.record.dry_run,
        first.record.audit_total_issues,
      ],
      [true, 3, true, 4],
    );
    assert.equal(first.record.pre_tick_sha, null);

    const metrics = await get(`${h.metricsUrl}/metrics`);
    assert.equal(metrics.status, 200);
    for (
      const line of [
        'memoryoss_lane_build_info{version="test",git_sha=""} 1',
        "memoryoss_lane_ticks_total 2",
        "memoryoss_lane_ticks_ran_total 2",
        "memoryoss_lane_tick_failures_total 2",
        "memoryoss_lane_history_appends_total 2",
        "memoryoss_lane_audit_issues_last 4",
        "memoryoss_lane_tick_interval_sec 3600",
        "memoryoss_lane_dry_run 1",
      ]
    ) assert.ok(metrics.text.includes(`\n${line}\n`), line);
    assert.match(metrics.text, /\nmemoryoss_lane_tick_staleness_seconds \d+\n/);
    const health = await get(`${h.metricsUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.match(health.text, /^ok staleness=\d+s limit=7200s\n$/);
    assert.equal((await get(`${h.metricsUrl}/nope`)).status, 404);

    const status = JSON.parse(await sendControl(sock, "status"));
    assert.deepEqual(
      [
        status.pid,
        status.dry_run,
        status.memory_root,
        status.last_tick.ran,
        status.memory.file_count,
      ],
      [Deno.pid, true, root, true, 9],
    );

    assert.equal(
      await sendControl(sock, "dry-run-off"),
      `{"ok":true,"dry_run":false,"persisted":true}\n`,
    );
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(stateDir, "state.json"))), {
      dry_run_override: false,
    });
    const live = JSON.parse(await sendControl(sock, "tick-wait")).record;
    assert.equal(live.dry_run, false);
    assert.match(live.pre_tick_sha, /^[0-9a-f]{40}$/);
    assert.equal(live.fixes_applied.length, 2);
    assert.deepEqual(JSON.parse(await sendControl(sock, "last-tick")), live);
    assert.equal(await sendControl(sock, "bogus"), `{"ok":false,"error":"unknown:bogus"}\n`);
    assert.equal(await sendControl(sock, "tick"), `{"ok":true,"action":"tick"}\n`);

    await assert.rejects(startTend({ ...opts, metrics: null }), { code: "CONFLICT" });
  } finally {
    await h.stop();
  }
  assert.equal(await exists(sock), false, "socket removed");
  assert.equal(await exists(join(stateDir, "tend.lock")), false, "lock released");
  const history = await tailHistory(join(stateDir, "history.jsonl"), 10);
  assert.ok(history.length >= 3);
  for (const r of history) {
    assert.deepEqual(Object.keys(r).slice(0, 3), [
      "tick_id",
      "started_at_unix",
      "finished_at_unix",
    ]);
    assert.equal(r.memory_root, root);
  }
  assert.ok(history[0].started_at_unix >= history.at(-1)!.started_at_unix, "newest first");
  assert.match(await Deno.readTextFile(join(stateDir, "tend.log")), /tend stopped\n$/);

  // The persisted switch wins over the start-up default on the next run.
  const again = await startTend({ ...opts, once: true, metrics: null, agent: null });
  await again.finished;
  assert.equal(again.lastTick()!.dry_run, false);
});

Deno.test("lane tend (CLI): runs until SIGTERM, then shuts down cleanly", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  const stateDir = join(dir.path, "state");
  await Deno.mkdir(root);
  await copyFixture(root);
  const sock = join(stateDir, "ctl.sock");
  const child = new Deno.Command(Deno.execPath(), {
    args: laneArgv([
      "tend",
      "--memory-root",
      root,
      "--state-dir",
      stateDir,
      "--interval",
      "3600",
      "--min-idle",
      "0",
      "--agent",
      "none",
      "--metrics-port",
      "0",
    ]),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    await waitFor(() => exists(sock), 20_000);
    // The socket's file exists a moment before it accepts (bind, then listen): ping until it
    // answers, and it must answer pong.
    let pong = "";
    await waitFor(async () => (pong = await sendControl(sock, "ping").catch(() => "")) !== "");
    assert.equal(pong, "pong\n");
    await waitFor(async () => JSON.parse(await sendControl(sock, "status")).last_tick !== null);
  } finally {
    child.kill("SIGTERM");
  }
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(stderr, /lane tend: metrics http:\/\/127\.0\.0\.1:\d+, control /);
  assert.match(stderr, /no agent configured/);
  assert.match(stderr, /tend stopped/);
  assert.equal(await exists(sock), false);
  assert.equal(await exists(join(stateDir, "tend.lock")), false);
});

Deno.test("control endpoint over loopback TCP (the Windows form) needs its token", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "ctl.json");
  const srv = await serveControl(
    path,
    (req) => Promise.resolve(req === "ping" ? "pong\n" : `?${req}\n`),
  );
  try {
    assert.equal(await sendControl(path, "ping"), "pong\n");
    assert.equal(await sendControl(path, "status"), "?status\n");
    const { port } = JSON.parse(await Deno.readTextFile(path));
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode("0000 ping"));
    assert.equal(await new Response(conn.readable).text(), `{"ok":false,"error":"unauthorized"}\n`);
  } finally {
    await srv.close();
  }
  assert.equal(await exists(path), false);
  await assert.rejects(sendControl(path, "ping"), { code: "UNAVAILABLE" });
});

Deno.test("lane tend without ffi: the refused /proc guard ends the loop with exit 5", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root);
  const before = await Deno.readTextFile(join(root, "MEMORY.md"));
  // Every category but ffi (what an outdated `-P=lane` set gives): /proc is refused.
  const flags = ["--allow-read", "--allow-write", "--allow-env", "--allow-net", "--allow-run"];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...flags, MAIN, "lane", "tend", "--once", "--no-dry-run"].concat(
      ["--memory-root", root, "--min-idle", "0", "--agent", "none", "--no-metrics"],
    ),
    env: { MEMORYOSS_HOME: dir.path },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 5, stderr);
  const last = stderr.trimEnd().split("\n").at(-1)!;
  assert.match(last, /^memoryoss: error: permission denied: memoryoss lane cannot .*\/proc/);
  assert.equal(await Deno.readTextFile(join(root, "MEMORY.md")), before, "no unguarded fix");
  assert.equal(await exists(join(dir.path, "lane", "tend.lock")), false, "the lock is released");
});

Deno.test("lane tend through main.ts (narrowed): a live lock owner is a conflict, a dead one is taken over", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  const stateDir = join(dir.path, "state");
  await Deno.mkdir(root);
  await Deno.mkdir(stateDir);
  const lock = join(stateDir, "tend.lock");
  const owner = new Deno.Command("sleep", { args: ["600"], stdin: "null" }).spawn();
  const tend = () =>
    cli(dir.path, "lane", "tend", "--once", "--memory-root", root, "--state-dir", stateDir, ...[
      "--agent",
      "none",
      "--no-metrics",
    ]);
  try {
    await Deno.writeTextFile(lock, `${owner.pid}\n`);
    const busy = await tend();
    assert.equal(busy.code, 4, busy.stderr);
    assert.equal(
      busy.stderr,
      `memoryoss: error: lane tend is already running (pid ${owner.pid}, lock ${lock})\n`,
    );
  } finally {
    owner.kill("SIGKILL");
    await owner.status;
  }
  const free = await tend(); // the owner is gone now: its lock is stale
  assert.equal(free.code, 0, free.stderr);
  assert.equal(await exists(lock), false);
});
