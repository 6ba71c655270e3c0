/**
 * cmmd's cleanup and retention verbs through main.ts with lane's narrowed permissions:
 * `lane vacuum`, `last-tick-summary`, `orphan-node`, `tmux-janitor` (a real tmux server in a
 * private TMUX_TMPDIR) and `pressure` (checked against /proc/meminfo read here; the
 * escalation itself with recorded side effects, since this machine is not under pressure).
 * Every process signalled is one this test started.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cliWith } from "../cli/_helpers.ts";
import { hasCommand, skipIf } from "../_support/skip.ts";
import { checkPressure, parseMeminfo, type PressureDeps } from "../../lib/lane/mod.ts";
import { tempDir } from "./_support.ts";

const lane = (home: string, env: Record<string, string>, ...args: string[]) =>
  cliWith(home, { env: { MEMORYOSS_HOME: home, ...env } }, "lane", ...args);

Deno.test("lane vacuum: old transcripts dropped, history trimmed, cmmd's line", async () => {
  await using dir = await tempDir();
  const state = join(dir.path, "lane");
  const tx = join(state, "transcripts");
  await Deno.mkdir(tx, { recursive: true });
  const old = new Date(Date.now() - 20 * 86_400_000);
  for (const id of ["aa1", "aa2"]) {
    await Deno.writeTextFile(join(tx, `tick-${id}.log`), "[stdout] old\n");
    await Deno.writeTextFile(join(tx, `tick-${id}.audit.json`), "{}");
    await Deno.utime(join(tx, `tick-${id}.log`), old, old);
  }
  await Deno.writeTextFile(join(tx, "tick-bb1.log"), "[stdout] new\n");
  await Deno.writeTextFile(join(tx, "notes.txt"), "not a transcript");
  const lines = [1, 2, 3, 4, 5].map((i) => JSON.stringify({ tick_id: `t${i}` }));
  await Deno.writeTextFile(join(state, "history.jsonl"), lines.join("\n") + "\n");

  const dry = await lane(dir.path, {}, "vacuum", "--keep-history", "3", "--dry-run");
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(
    dry.stdout,
    "[dry-run] vacuum: transcripts_removed=2 transcripts_kept=1 history_before=5 " +
      "history_after=3 keep_days=14 keep_history=3\n",
  );
  assert.equal((await Array.fromAsync(Deno.readDir(tx))).length, 6, "dry run deletes nothing");

  const real = await lane(dir.path, {}, "vacuum", "--keep-history", "3", "--json");
  assert.equal(real.code, 0, real.stderr);
  assert.equal(JSON.parse(real.stdout).transcripts_removed, 2);
  const left = (await Array.fromAsync(Deno.readDir(tx))).map((e) => e.name).sort();
  assert.deepEqual(left, ["notes.txt", "tick-bb1.log"]);
  assert.equal(
    await Deno.readTextFile(join(state, "history.jsonl")),
    lines.slice(2).join("\n") + "\n",
  );
});

Deno.test("lane last-tick-summary: the agent's files=… line of the newest tick", async () => {
  await using dir = await tempDir();
  const state = join(dir.path, "lane");
  await Deno.mkdir(state, { recursive: true });
  const empty = await lane(dir.path, {}, "last-tick-summary");
  assert.equal(empty.stdout, "(no ticks recorded)\n");
  const transcript = join(state, "tick-6553f1.log");
  await Deno.writeTextFile(
    transcript,
    "[stdout] working\n[stdout] files=8 issues=2 applied=1 deferred=1 — fixed the index\n" +
      "[stderr] done\n",
  );
  const rec = {
    tick_id: "6553f1",
    started_at_unix: 1_700_000_000,
    finished_at_unix: 1_700_000_042,
    dry_run: false,
    memory_root: "/m",
    ran: true,
    reason_skipped: null,
    exit_code: 0,
    audit_total_issues: 2,
    pre_tick_sha: null,
    transcript,
  };
  await Deno.writeTextFile(join(state, "history.jsonl"), JSON.stringify(rec) + "\n");
  const r = await lane(dir.path, {}, "last-tick-summary");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      "tick_id    : 6553f1",
      "started_at : 1700000000",
      "duration   : 42s",
      "ran        : true  exit=Some(0)",
      "audit_issues: 2",
      "summary    : files=8 issues=2 applied=1 deferred=1 — fixed the index",
      "",
    ].join("\n"),
  );
});

const linux = Deno.build.os === "linux" ? null : "/proc and reparenting to pid 1 are Linux's";

Deno.test(skipIf(linux, "lane orphan-node: lists and reaps this test's orphan only"), async () => {
  await using dir = await tempDir();
  // An orphan: bash starts it in the background and exits, so it is reparented to pid 1.
  const spawned = await new Deno.Command("bash", {
    args: ["-c", '(exec -a "node /opt/x/mcp-server.cjs" sleep 300) >/dev/null 2>&1 & echo $!'],
    stdout: "piped",
  }).output();
  const orphan = Number(new TextDecoder().decode(spawned.stdout).trim());
  // Not an orphan: same command line, but its parent (this test) is alive.
  const child = new Deno.Command("bash", {
    args: ["-c", 'exec -a "node /opt/x/mcp-server.cjs" sleep 300'],
  }).spawn();
  try {
    const list = await lane(
      dir.path,
      {},
      "orphan-node",
      "list",
      "--json",
      "--pid",
      String(orphan),
      "--pid",
      String(child.pid),
    );
    assert.equal(list.code, 0, list.stderr);
    const found = JSON.parse(list.stdout);
    assert.deepEqual(found.map((o: { pid: number }) => o.pid), [orphan]);
    assert.equal(found[0].ppid, 1);
    assert.equal(found[0].cmdline, "node /opt/x/mcp-server.cjs 300");
    assert.ok(found[0].rss_kb > 0);

    const dry = await lane(
      dir.path,
      {},
      "orphan-node",
      "reap",
      "--dry-run",
      "--pid",
      String(orphan),
    );
    assert.equal(dry.stdout, "[dry-run] scanned=1 reaped=0\n");
    const reap = await lane(dir.path, {}, "orphan-node", "reap", "--json", "--pid", String(orphan));
    assert.equal(reap.code, 0, reap.stderr);
    assert.deepEqual(JSON.parse(reap.stdout).reaped.map((o: { pid: number }) => o.pid), [orphan]);
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      await new Promise((r) => setTimeout(r, 100));
      alive = await Deno.stat(`/proc/${orphan}`).then(() => true, () => false);
    }
    assert.equal(alive, false, "the orphan got SIGTERM");
  } finally {
    try {
      Deno.kill(orphan, "SIGKILL");
    } catch { /* reaped */ }
    child.kill("SIGKILL");
    await child.status;
  }
});

const noTmux = !(await hasCommand("tmux", ["-V"])) && "tmux is not installed";

Deno.test(
  skipIf(noTmux, "lane tmux-janitor: unattached term-* sessions go, others stay"),
  async () => {
    await using dir = await tempDir();
    const env = { TMUX_TMPDIR: dir.path, TMUX: "" };
    const tmux = (...args: string[]) =>
      new Deno.Command("tmux", { args, env, stdout: "piped", stderr: "piped" }).output();
    for (const s of ["term-a", "term-b", "work"]) {
      assert.ok(
        (await tmux("new-session", "-d", "-s", s)).success,
      );
    }
    try {
      const dry = await lane(dir.path, env, "tmux-janitor", "cleanup", "--dry-run");
      assert.equal(dry.code, 0, dry.stderr);
      assert.equal(
        dry.stdout,
        "[dry-run] scanned=3 killed=2\n  would kill session term-a\n  would kill session term-b\n",
      );
      const r = await lane(dir.path, env, "tmux-janitor", "--json");
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        scanned: 3,
        killed: ["term-a", "term-b"],
        dry_run: false,
      });
      const ls = new TextDecoder().decode(
        (await tmux("list-sessions", "-F", "#{session_name}")).stdout,
      );
      assert.equal(ls, "work\n");
    } finally {
      await tmux("kill-server");
    }
  },
);

Deno.test("lane pressure: RAM as /proc/meminfo says, report only by default", async () => {
  await using dir = await tempDir();
  const r = await lane(dir.path, {}, "pressure", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  if (Deno.build.os === "linux") {
    const mine = parseMeminfo(await Deno.readTextFile("/proc/meminfo"));
    assert.equal(out.mem.total_kb, mine.total_kb);
    assert.ok(
      Math.abs(out.mem.used_pct - mine.used_pct) <= 3,
      `${out.mem.used_pct} vs ${mine.used_pct}`,
    );
  }
  assert.deepEqual(out.actions_taken, []);
  assert.equal(out.threshold_exceeded, false);
  const bad = await lane(dir.path, {}, "pressure", "--dry-run");
  assert.equal(bad.code, 3);
});

function recorder(current: Record<string, string>, writable: boolean) {
  const calls: string[] = [];
  const deps: PressureDeps = {
    run: (bin, args) => {
      calls.push([bin, ...args].join(" "));
      return Promise.resolve(true);
    },
    read: (path) => current[path] ?? null,
    write: (path, value) => {
      calls.push(`write ${path}=${value}`);
      return Promise.resolve(writable);
    },
  };
  return { calls, deps };
}

Deno.test("pressure --respond: cmmd's escalation at 80% and 90% (recorded side effects)", async () => {
  const cur = { "/proc/sys/vm/swappiness": "10\n", "/proc/sys/vm/page-cluster": "0\n" };
  const at = (pct: number) => ({ total_kb: 1000, available_kb: 1000 - pct * 10, used_pct: pct });

  const low = recorder(cur, true);
  const calm = await checkPressure({ respond: true, mem: at(79), deps: low.deps });
  assert.deepEqual([calm.threshold_exceeded, calm.actions_taken, low.calls], [false, [], []]);

  const dry = recorder(cur, true);
  const preview = await checkPressure({ respond: true, dryRun: true, mem: at(95), deps: dry.deps });
  assert.deepEqual(preview.actions_taken, [
    "docker container prune (dry-run)",
    "drop_caches=1 (dry-run)",
    "/proc/sys/vm/swappiness=10 (dry-run, no write)",
    "/proc/sys/vm/page-cluster=0 (dry-run, no write)",
  ]);
  assert.deepEqual(dry.calls, [], "a dry run touches nothing");

  const live = recorder(cur, true);
  const r85 = await checkPressure({ respond: true, mem: at(85), deps: live.deps });
  assert.deepEqual(r85.actions_taken, [
    "docker container prune",
    "/proc/sys/vm/swappiness=60 (was 10)",
  ]);
  assert.deepEqual(live.calls, ["docker container prune -f", "write /proc/sys/vm/swappiness=60"]);

  const sudo = recorder(cur, false);
  const r95 = await checkPressure({ respond: true, mem: at(95), deps: sudo.deps });
  assert.deepEqual(r95.actions_taken, [
    "docker container prune",
    "drop_caches=1 (sudo)",
    "/proc/sys/vm/swappiness=60 (sudo, was 10)",
  ]);
  assert.ok(sudo.calls.includes("sudo -n sh -c echo 1 > /proc/sys/vm/drop_caches"));
  assert.equal(r95.threshold_exceeded, true);
});
