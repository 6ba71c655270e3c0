/**
 * mmctl's local verbs and the janitor's terminal filter, through main.ts: `lane tick-log`,
 * `lane logs [-n] [--follow]`, `lane janitor --require-no-tty`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { onlyOn, skipIf } from "../_support/skip.ts";
import {
  copyFixture,
  FAKE_AGENT,
  runLane,
  script,
  spawnLane,
  tempDir,
  waitFor,
} from "./_support.ts";

Deno.test("lane tick-log: the transcript of the tick named by id or prefix; exit 4 otherwise", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  const state = join(dir.path, "state");
  await Deno.mkdir(root);
  await copyFixture(root);
  const agent = await script(dir.path, "agent.sh", FAKE_AGENT);
  const env = { MEMORYOSS_HOME: dir.path };
  const tend = (agentArg: string) =>
    runLane([
      ...["tend", "--once", "--no-metrics", "--min-idle", "0", "--agent", agentArg],
      ...["--memory-root", root, "--state-dir", state],
    ], env);
  assert.equal((await tend(agent)).code, 0);
  assert.equal((await tend("none")).code, 0);
  const [ran, skipped] = (await Deno.readTextFile(join(state, "history.jsonl"))).trim().split("\n")
    .map((l) => JSON.parse(l));

  // What FAKE_AGENT prints, prefixed per stream (the two streams may interleave).
  const want = [
    `[stdout] root=${root} dry=1 tick=${ran.tick_id}`,
    "[stdout] prompt: You are tending a Claude Code memory folder (markdown files plus the MEMORY.md index).",
    "[stderr] to stderr",
    "[stdout] audit json present",
  ].sort();
  const full = await runLane(["tick-log", ran.tick_id, "--state-dir", state], env);
  assert.equal(full.code, 0, full.stderr);
  assert.deepEqual(full.stdout.trimEnd().split("\n").sort(), want);

  const byPrefix = await runLane([
    "tick-log",
    ran.tick_id.slice(0, 12),
    "--state-dir",
    state,
    "--json",
  ], env);
  const j = JSON.parse(byPrefix.stdout);
  assert.equal(j.record.tick_id, ran.tick_id);
  assert.deepEqual([...j.transcript].sort(), want);

  const none = await runLane(["tick-log", skipped.tick_id, "--state-dir", state], env);
  assert.equal(none.code, 4);
  assert.equal(
    none.stderr,
    `memoryoss: error: tick ${skipped.tick_id} has no transcript: the agent did not run ` +
      `(4 issue(s) left for a person: no agent configured)\n`,
  );
  const unknown = await runLane(["tick-log", "ffffffffffff", "--state-dir", state], env);
  assert.equal(unknown.code, 4);
  assert.match(unknown.stderr, /^memoryoss: error: no tick 'ffffffffffff' in .*history\.jsonl\n$/);
});

Deno.test("lane logs: the last -n lines (default 50) of LOG_FILE; --follow prints appended lines", async () => {
  await using dir = await tempDir();
  const log = join(dir.path, "custom.log");
  const lines = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`);
  await Deno.writeTextFile(log, lines.join("\n") + "\n");
  const env = { MEMORYOSS_HOME: dir.path, LOG_FILE: log };

  const dflt = await runLane(["logs"], env);
  assert.equal(dflt.stdout, lines.slice(10).join("\n") + "\n");
  assert.equal((await runLane(["logs", "-n", "3"], env)).stdout, "line 58\nline 59\nline 60\n");
  assert.deepEqual(JSON.parse((await runLane(["logs", "-n", "2", "--json"], env)).stdout), [
    "line 59",
    "line 60",
  ]);
  assert.equal((await runLane(["logs", "-n", "0"], env)).code, 3);
  // The ctl spelling (mmctl logs) reads the same file.
  assert.equal((await runLane(["ctl", "logs", "-n", "1"], env)).stdout, "line 60\n");

  const follow = spawnLane(["logs", "-n", "1", "--follow"], env);
  try {
    await waitFor(() => follow.outLines.includes("line 60"));
    await Deno.writeTextFile(log, "line 61\nline 6", { append: true });
    await waitFor(() => follow.outLines.includes("line 61"));
    await Deno.writeTextFile(log, "2\n", { append: true }); // a line written in two parts
    await waitFor(() => follow.outLines.includes("line 62"));
  } finally {
    assert.equal((await follow.stop()).code, 0, follow.lines.join("\n"));
  }
  assert.deepEqual(follow.outLines, ["line 60", "line 61", "line 62"]);
});

/** The pid whose command line is exactly `argv` (NUL-separated in /proc). */
async function pidOf(argv: string[]): Promise<number> {
  const want = argv.join("\0") + "\0";
  let found = 0;
  await waitFor(() => {
    for (const e of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(e.name)) continue;
      try {
        if (Deno.readTextFileSync(`/proc/${e.name}/cmdline`) === want) found = Number(e.name);
      } catch { /* exited */ }
    }
    return found > 0;
  });
  return found;
}

/** Why this machine cannot give a child a pseudo-terminal, or null when it can. */
const noPty = await new Deno.Command("script", {
  args: ["-qfec", "tty", "/dev/null"],
  stdin: "null",
}).output().then(
  (o) => {
    const out = new TextDecoder().decode(o.stdout).trim();
    if (o.success && /^\/dev\/pts\//m.test(out)) return null;
    const err = new TextDecoder().decode(o.stderr).trim().split("\n")[0];
    return `no pseudo-terminal here ('script' said: ${err || out || "exit " + o.code})`;
  },
  () => "needs util-linux 'script' for a pty",
);

Deno.test(
  skipIf(
    onlyOn("linux") ?? noPty,
    "lane janitor --require-no-tty: a claude on a terminal is spared unless --allow-tty",
  ),
  async () => {
    await using dir = await tempDir();
    // `script` runs the fake claude on a new pseudo-terminal; the other has no terminal.
    const onTty = new Deno.Command("script", {
      args: ["-qfec", "exec -a claude sleep 6101", "/dev/null"],
      // script runs the command with $SHELL (/bin/sh when unset); dash has no `exec -a`.
      env: { SHELL: "/bin/bash" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const noTty = new Deno.Command("bash", {
      args: ["-c", "exec -a claude sleep 6102"],
      stdin: "null",
    }).spawn();
    let tty = 0;
    try {
      tty = await pidOf(["claude", "6101"]);
      const plain = await pidOf(["claude", "6102"]);
      const only = ["--pid", String(tty), "--pid", String(plain)];
      const list = async (...flags: string[]) => {
        const r = await runLane(
          [
            "janitor",
            "list",
            "--json",
            "--min-age-hours",
            "0",
            "--max-cpu-pct",
            "100",
            ...only,
            ...flags,
          ],
          { MEMORYOSS_HOME: dir.path },
        );
        assert.equal(r.code, 0, r.stderr);
        return (JSON.parse(r.stdout) as { pid: number }[]).map((p) => p.pid).sort();
      };
      assert.deepEqual(await list(), [plain], "on by default");
      assert.deepEqual(await list("--require-no-tty"), [plain]);
      assert.deepEqual(await list("--allow-tty"), [tty, plain].sort());
      const both = await runLane(["janitor", "list", "--require-no-tty", "--allow-tty"], {
        MEMORYOSS_HOME: dir.path,
      });
      assert.equal(both.code, 3);
      assert.match(both.stderr, /--require-no-tty and --allow-tty contradict/);
    } finally {
      try {
        if (tty) Deno.kill(tty, "SIGKILL"); // script's child, not ours
      } catch { /* gone */ }
      for (const c of [onTty, noTty]) {
        try {
          c.kill("SIGKILL");
        } catch { /* gone */ }
        await c.status;
      }
    }
  },
);

Deno.test("lane doctor: checks fail visibly (exit 1) and the agent is looked up, never run", async () => {
  await using dir = await tempDir();
  const marker = join(dir.path, "agent-ran");
  const agent = await script(dir.path, "claude", `#!/bin/sh\ntouch "${marker}"\n`);
  const missing = join(dir.path, "no memory here");
  const env = { MEMORYOSS_HOME: dir.path, CLAUDE_BIN: agent, AUTHMUX_BIN: "authmux-absent" };
  const r = await runLane(["doctor", "--memory-root", missing], env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, new RegExp(`^ {2}FAIL memory root ${missing}: does not exist$`, "m"));
  assert.match(r.stdout, new RegExp(`^ {2}ok {3}agent ${agent}: ${agent}$`, "m"));
  assert.match(r.stdout, /^ {2}CLAUDE_BIN {10}.*claude \(env\)$/m);
  assert.match(r.stdout, /^daemon: not running$/m);
  assert.match(r.stdout, /^accounts: authmux not available \(authmux-absent: not on PATH\)/m);
  assert.equal(await Deno.lstat(marker).then(() => true, () => false), false, "no LLM call");

  const json = JSON.parse(
    (await runLane(["doctor", "--json", "--memory-root", missing], env)).stdout,
  );
  assert.deepEqual(json.memory.map((m: { root: string; exists: boolean }) => [m.root, m.exists]), [
    [missing, false],
  ]);
});
