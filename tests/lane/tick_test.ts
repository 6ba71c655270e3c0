import assert from "node:assert/strict";
import { join } from "node:path";
import {
  agentInvocation,
  auditRoot,
  DRY_RUN_TOOLS,
  hasRepo,
  historyLine,
  openersOf,
  parseHistory,
  runTick,
  type TickDeps,
  tickId,
  type TickSettings,
} from "../../lib/lane/mod.ts";
import { cli } from "../cli/_helpers.ts";
import { copyFixture, FAKE_AGENT, script, tempDir } from "./_support.ts";

const deps = (over: Partial<TickDeps> = {}): TickDeps => ({
  now: Date.now,
  openers: () => [],
  audit: (root) => auditRoot(root),
  warn: () => {},
  ...over,
});

const settings = (dir: string, over: Partial<TickSettings> = {}): TickSettings => ({
  dryRun: true,
  minIdleSec: 0,
  agent: null,
  maxTickMs: 30_000,
  killGraceMs: 10_000,
  transcriptDir: join(dir, "transcripts"),
  ...over,
});

Deno.test("tickId and history lines keep cmmd's format and field order", () => {
  assert.equal(tickId(1_700_000_000_123), "6553f100754d4c0");
  const r = {
    duration_ms: 5,
    tick_id: "a",
    started_at_unix: 1,
    finished_at_unix: 2,
    dry_run: true,
    memory_root: "/m",
    ran: false,
    reason_skipped: "x",
    exit_code: null,
    audit_total_issues: 0,
    pre_tick_sha: null,
    fixes_applied: [],
    transcript: null,
  };
  const line = historyLine(r);
  assert.deepEqual(Object.keys(JSON.parse(line)).slice(0, 10), [
    "tick_id",
    "started_at_unix",
    "finished_at_unix",
    "dry_run",
    "memory_root",
    "ran",
    "reason_skipped",
    "exit_code",
    "audit_total_issues",
    "pre_tick_sha",
  ]);
  assert.deepEqual(parseHistory(`${line}not json\n{"x":1}\n${line}`).length, 2);
});

Deno.test("agentInvocation: read-only tools in dry run, edits live, custom commands get stdin", () => {
  const ctx = { root: "/m", dryRun: true, tickId: "t", auditPath: "/a.json" };
  const claude = { kind: "claude" as const, bin: "claude", model: null, maxTurns: 12 };
  const dry = agentInvocation(claude, "P", ctx);
  assert.deepEqual(dry.argv.slice(0, 3), ["claude", "-p", "P"]);
  assert.equal(dry.argv[dry.argv.indexOf("--allowed-tools") + 1], DRY_RUN_TOOLS);
  assert.ok(!dry.argv.includes("--permission-mode"));
  assert.ok(!dry.argv.some((a) => a.includes("dangerously")));
  const live = agentInvocation(claude, "P", { ...ctx, dryRun: false });
  assert.match(live.argv[live.argv.indexOf("--allowed-tools") + 1], /,Write,Edit$/);
  const custom = agentInvocation({ kind: "command", argv: ["./a.sh", "x"] }, "P", ctx);
  assert.deepEqual([custom.argv, custom.stdin, custom.env.MEMORYOSS_LANE_DRY_RUN], [
    ["./a.sh", "x"],
    "P",
    "1",
  ]);
});

Deno.test("runTick guards: open files, idle time, clean audit, missing root", async (t) => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root);
  await t.step("files open elsewhere", async () => {
    const { record } = await runTick(
      root,
      settings(dir.path),
      deps({ openers: () => [{ pid: 42, name: "vim" }] }),
    );
    assert.deepEqual([record.ran, record.reason_skipped, record.audit_total_issues], [
      false,
      "memory files open by: vim(42)",
      0,
    ]);
  });
  await t.step("changed too recently", async () => {
    const { record } = await runTick(root, settings(dir.path, { minIdleSec: 3600 }), deps());
    assert.match(record.reason_skipped!, /^memory dir mutated \d+s ago \(< min idle 3600s\)$/);
  });
  await t.step("audit clean", async () => {
    await using clean = await tempDir();
    await Deno.writeTextFile(join(clean.path, "MEMORY.md"), "- [A](a.md)\n");
    await Deno.writeTextFile(
      join(clean.path, "a.md"),
      "---\nname: a\ndescription: Owns ingest\n---\n",
    );
    const { record } = await runTick(clean.path, settings(dir.path), deps());
    assert.match(record.reason_skipped!, /^audit clean — files=1 mem_md_lines=1 issues=0/);
  });
  await t.step("no agent: issues left for a person, nothing written in dry run", async () => {
    const { record } = await runTick(root, settings(dir.path), deps());
    assert.deepEqual([record.ran, record.audit_total_issues, record.pre_tick_sha], [
      false,
      4,
      null,
    ]);
    assert.match(record.reason_skipped!, /no agent configured/);
    assert.equal(await hasRepo(root), false);
  });
  await t.step("missing root", async () => {
    const { record } = await runTick(join(dir.path, "nope"), settings(dir.path), deps());
    assert.equal(record.reason_skipped, "memory root does not exist");
  });
});

Deno.test("open-file guard sees a real process holding a memory file", async () => {
  await using dir = await tempDir();
  const root = await Deno.realPath(dir.path);
  await Deno.writeTextFile(join(root, "a.md"), "x");
  const child = new Deno.Command("bash", {
    args: ["-c", `exec 3<"${root}/a.md"; echo ready; exec sleep 600`],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    await reader.read(); // "ready": fd 3 is open
    reader.releaseLock();
    const found = openersOf(root, Deno.pid);
    assert.deepEqual(found.filter((o) => o.pid === child.pid), [{ pid: child.pid, name: "sleep" }]);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel();
  }
});

Deno.test("runTick with a fake agent: dry run reads only, transcript saved", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root);
  const agent = await script(dir.path, "agent.sh", FAKE_AGENT);
  const s = settings(dir.path, { agent: { kind: "command", argv: [agent] } });
  const { record } = await runTick(root, s, deps());
  assert.deepEqual([record.ran, record.exit_code, record.audit_total_issues], [true, 3, 4]);
  assert.equal(record.pre_tick_sha, null, "no snapshot in dry run");
  assert.equal(await hasRepo(root), false);
  const transcript = await Deno.readTextFile(record.transcript!);
  assert.equal(record.transcript, join(dir.path, "transcripts", `tick-${record.tick_id}.log`));
  assert.match(
    transcript,
    new RegExp(`^\\[stdout\\] root=${root} dry=1 tick=${record.tick_id}$`, "m"),
  );
  assert.match(transcript, /^\[stdout\] prompt: You are tending a Claude Code memory folder/m);
  assert.match(transcript, /^\[stderr\] to stderr$/m);
  assert.match(transcript, /^\[stdout\] audit json present$/m);
});

Deno.test("runTick live: snapshot, mechanical fixes, then the agent for the rest", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root);
  const agent = await script(dir.path, "agent.sh", FAKE_AGENT);
  const s = settings(dir.path, { dryRun: false, agent: { kind: "command", argv: [agent] } });
  const { record, report } = await runTick(root, s, deps());
  assert.match(record.pre_tick_sha!, /^[0-9a-f]{40}$/);
  assert.deepEqual(record.fixes_applied, [
    "drop dangling line 7 (dangling_entry.md)",
    "regroup MEMORY.md by type",
  ]);
  assert.equal(record.audit_total_issues, 4);
  assert.equal(report!.total_issues, 3, "the agent sees only what is left");
  assert.match(await Deno.readTextFile(record.transcript!), /dry=0/);
});

Deno.test("runTick: a hung agent is stopped by the hard timeout, children included", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root);
  const pidFile = join(dir.path, "child.pid");
  // Ignores SIGTERM, so only the SIGKILL after the grace period ends it.
  const agent = await script(
    dir.path,
    "hang.sh",
    `#!/usr/bin/env bash\ntrap '' TERM\nsleep 600 &\necho $! > "${pidFile}"\necho started\nwait\n`,
  );
  const warnings: string[] = [];
  const s = settings(dir.path, {
    agent: { kind: "command", argv: [agent] },
    maxTickMs: 500,
    killGraceMs: 300,
  });
  const t0 = Date.now();
  const { record } = await runTick(root, s, deps({ warn: (m) => warnings.push(m) }));
  assert.ok(Date.now() - t0 < 5000, "returned promptly");
  assert.deepEqual([record.ran, record.exit_code], [true, null]);
  assert.match(warnings.join("\n"), /agent timed out after 500 ms/);
  assert.match(await Deno.readTextFile(record.transcript!), /^\[stdout\] started$/m);
  const child = Number(await Deno.readTextFile(pidFile));
  await new Promise((r) => setTimeout(r, 100));
  const state = await Deno.readTextFile(`/proc/${child}/stat`).catch(() => null);
  assert.ok(state === null || / Z /.test(state), "the agent's child is gone too");
});

Deno.test("runTick: an agent that cannot start is a skip with the reason, not a run", async () => {
  await using dir = await tempDir();
  await copyFixture(dir.path);
  const s = settings(dir.path, {
    agent: { kind: "command", argv: [join(dir.path, "no-such-agent")] },
  });
  const { record } = await runTick(dir.path, s, deps());
  assert.deepEqual([record.ran, record.exit_code, record.audit_total_issues], [false, null, 4]);
  assert.match(record.reason_skipped!, /^agent cannot start .*no-such-agent/);
});

Deno.test("lane tend --once through main.ts (narrowed): a held memory file skips the tick", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root); // 4 findings, 2 of them fixable: a live tick would rewrite MEMORY.md
  const before = await Deno.readTextFile(join(root, "MEMORY.md"));
  const child = new Deno.Command("bash", {
    args: ["-c", `exec 3<"${root}/user_role.md"; echo ready; exec sleep 600`],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    await reader.read(); // "ready": fd 3 is open
    reader.releaseLock();
    const args = ["--memory-root", root, "--min-idle", "0", "--agent", "none", "--no-metrics"];
    const r = await cli(dir.path, "lane", "tend", "--once", "--no-dry-run", ...args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`skipped: memory files open by: sleep\\(${child.pid}\\)`));
    const [tick] = JSON.parse((await cli(dir.path, "lane", "history", "--json")).stdout);
    assert.equal(tick.reason_skipped, `memory files open by: sleep(${child.pid})`);
    assert.deepEqual(tick.fixes_applied, []);
    assert.equal(await Deno.readTextFile(join(root, "MEMORY.md")), before, "no fix while held");
    assert.equal(await hasRepo(root), false);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel();
  }
});
