import assert from "node:assert/strict";
import { join } from "node:path";
import {
  currentSelf,
  JANITOR_ALLOWLIST,
  janitorApply,
  janitorCandidates,
  type JanitorFilter,
  type JanitorSelf,
  MAX_KILLS_PER_RUN,
  parseStat,
  type ProcessInfo,
  processName,
  readProcesses,
  rejection,
} from "../../lib/lane/mod.ts";
import { cli, MAIN, okJson } from "../cli/_helpers.ts";
import { tempDir, waitFor } from "./_support.ts";

const SELF: JanitorSelf = { pid: 500, uid: 1000, ancestors: new Set([400]) };
const FILTER: JanitorFilter = { minAgeSec: 6 * 3600, maxCpuPct: 0.5, requireNoTty: true, max: 5 };
const proc = (over: Partial<ProcessInfo> = {}): ProcessInfo => ({
  pid: 900,
  ppid: 1,
  name: "claude",
  cmd: "claude",
  age_sec: 7 * 3600,
  cpu_pct: 0,
  rss_kb: 1000,
  uid: 1000,
  tty_nr: 0,
  state: "S",
  start_ticks: 1,
  ...over,
});

Deno.test("janitor invariants and filters, one rule per row", () => {
  const cases: [string, Partial<ProcessInfo>, Partial<JanitorFilter>, string | null][] = [
    ["an idle, old, detached claude is a candidate", {}, {}, null],
    ["every allowlisted name, any case", { name: "Kiro-Cli-Chat" }, {}, null],
    ["other names never", { name: "sleep" }, {}, "name sleep is not allowlisted"],
    ["pid 1", { pid: 1 }, {}, "pid 1 or lower"],
    ["itself", { pid: 500 }, {}, "this process"],
    ["its children", { ppid: 500 }, {}, "a child of this process"],
    ["its ancestors", { pid: 400 }, {}, "an ancestor of this process"],
    ["another uid", { uid: 0 }, {}, "another (or unknown) uid"],
    ["an unknown uid", { uid: null }, {}, "another (or unknown) uid"],
    ["a zombie", { state: "Z" }, {}, "a zombie"],
    ["a terminal", { tty_nr: 34816 }, {}, "attached to a terminal"],
    ["an unreadable tty counts as a terminal", { tty_nr: null }, {}, "attached to a terminal"],
    ["a terminal is fine when allowed", { tty_nr: 34816 }, { requireNoTty: false }, null],
    ["too young", { age_sec: 60 }, {}, "younger than 21600s"],
    ["busy", { cpu_pct: 3 }, {}, "busy (3% CPU)"],
    ["narrowed to other pids", {}, { onlyPids: [1234] }, "not among the requested pids"],
  ];
  for (const [name, p, f, want] of cases) {
    assert.equal(rejection(proc(p), { ...FILTER, ...f }, SELF), want, name);
  }
  assert.equal(JANITOR_ALLOWLIST.length, 6);
  assert.ok(Object.isFrozen(JANITOR_ALLOWLIST), "the allowlist cannot be widened at run time");
});

Deno.test("janitorCandidates: oldest first, capped by max and by the hard limit of 20", () => {
  const procs = Array.from({ length: 30 }, (_, i) => proc({ pid: 1000 + i, age_sec: 30_000 + i }));
  assert.deepEqual(janitorCandidates(procs, FILTER, SELF).map((p) => p.pid), [
    1029,
    1028,
    1027,
    1026,
    1025,
  ]);
  assert.equal(janitorCandidates(procs, { ...FILTER, max: 500 }, SELF).length, MAX_KILLS_PER_RUN);
});

Deno.test("processName and parseStat", () => {
  assert.equal(processName(["claude", "--resume"], "node"), "claude");
  assert.equal(processName(["/usr/bin/node", "/opt/codex/bin/codex.js"], "node"), "codex");
  assert.equal(processName([], "kworker/0:1"), "kworker/0:1");
  const s = parseStat("42 (a (b) c) S 7 42 42 0 -1 0 0 0 0 0 5 3 0 0 20 0 1 0 900 0 7")!;
  assert.deepEqual([s.pid, s.comm, s.ppid, s.ttyNr, s.cpuTicks, s.startTicks, s.rssPages], [
    42,
    "a (b) c",
    7,
    0,
    8,
    900,
    7,
  ]);
});

/** Start `sleep 600` detached from us (own session, parent gone) under the name `name`. */
async function orphan(dir: string, name: string, ignoreTerm = false): Promise<number> {
  const pidFile = join(dir, `${name}.pid`);
  const trap = ignoreTerm ? `trap "" TERM; ` : "";
  const inner = `${trap}echo $$ > ${pidFile}; exec -a ${name} sleep 600`;
  await new Deno.Command("bash", {
    args: ["-c", `setsid bash -c '${inner}' </dev/null >/dev/null 2>&1 &`],
  }).output();
  let pid = 0;
  await waitFor(async () => {
    pid = Number((await Deno.readTextFile(pidFile).catch(() => "")).trim());
    return pid > 0 &&
      (await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => "")).startsWith(`${name}\0`);
  });
  return pid;
}

/** Gone, or a zombie nobody has reaped yet. */
function goneSafe(pid: number): boolean {
  try {
    return parseStat(Deno.readTextFileSync(`/proc/${pid}/stat`))?.state === "Z";
  } catch {
    return true;
  }
}

Deno.test("janitor against real processes: allowlisted orphans stop, everything else survives", async () => {
  await using dir = await tempDir();
  const child = new Deno.Command("bash", {
    args: ["-c", "exec -a claude sleep 600"],
    stdin: "null",
  }).spawn();
  const pids: number[] = [];
  try {
    const claude = await orphan(dir.path, "claude");
    const codex = await orphan(dir.path, "codex", true); // ignores SIGTERM: needs the SIGKILL
    const other = await orphan(dir.path, "notclaude");
    pids.push(claude, codex, other);
    await waitFor(() => Deno.readTextFileSync(`/proc/${child.pid}/cmdline`).startsWith("claude\0"));
    // Narrowed to the test's own processes so a real agent on this machine is never touched.
    const filter: JanitorFilter = {
      minAgeSec: 0,
      maxCpuPct: 50,
      requireNoTty: true,
      max: 20,
      onlyPids: [...pids, child.pid],
    };
    const self = currentSelf();
    const procs = await readProcesses(200);
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    assert.equal(byPid.get(claude)?.name, "claude");
    assert.equal(rejection(byPid.get(other)!, filter, self), "name notclaude is not allowlisted");
    assert.equal(rejection(byPid.get(child.pid)!, filter, self), "a child of this process");
    const found = janitorCandidates(procs, filter, self);
    assert.deepEqual(found.map((p) => p.pid).sort(), [claude, codex].sort());
    assert.deepEqual(janitorCandidates(procs, { ...filter, minAgeSec: 3600 }, self), []);

    const dry = await janitorApply(found, { dryRun: true });
    assert.equal(dry.dry_run, true);
    assert.ok(dry.attempted.every((a) => !a.sigterm_ok && !a.sigkill_ok));
    assert.ok(!goneSafe(claude) && !goneSafe(codex), "dry run signals nothing");

    const real = await janitorApply(found, { dryRun: false, graceMs: 1500, pollMs: 100 });
    const by = new Map(real.attempted.map((a) => [a.pid, a]));
    assert.deepEqual(by.get(claude), {
      pid: claude,
      name: "claude",
      age_sec: byPid.get(claude)!.age_sec,
      sigterm_ok: true,
      still_alive_after_grace: false,
      sigkill_ok: false,
    });
    assert.deepEqual(
      [
        by.get(codex)!.sigterm_ok,
        by.get(codex)!.still_alive_after_grace,
        by.get(codex)!.sigkill_ok,
      ],
      [true, true, true],
    );
    await waitFor(() => goneSafe(claude) && goneSafe(codex), 5000);
    assert.ok(!goneSafe(other), "the non-allowlisted process survives");
    assert.ok(!goneSafe(child.pid), "our own child survives");
  } finally {
    for (const pid of pids) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* already gone */ }
    }
    child.kill("SIGKILL");
    await child.status;
  }
});

/** A child `sleep 600` whose argv[0] is `claude`, with its pid once /proc shows that name. */
async function fakeClaude(): Promise<Deno.ChildProcess> {
  const child = new Deno.Command("bash", {
    args: ["-c", "exec -a claude sleep 600"],
    stdin: "null",
  }).spawn();
  await waitFor(() => Deno.readTextFileSync(`/proc/${child.pid}/cmdline`) === "claude\x00600\x00");
  return child;
}

const NOW = ["--min-age-hours", "0", "--max-cpu-pct", "100", "--allow-tty"];

Deno.test("lane janitor through main.ts (narrowed): list finds a real claude, apply stops it", async () => {
  await using dir = await tempDir();
  const child = await fakeClaude();
  try {
    // Narrowed to our process so a real agent on this machine is never touched.
    const only = ["--pid", String(child.pid)];
    const list = await cli(dir.path, "lane", "janitor", "list", "--json", ...NOW, ...only);
    const rows = okJson<{ pid: number; name: string; cmd: string }[]>(list);
    assert.deepEqual(rows.map((r) => [r.pid, r.name, r.cmd]), [[
      child.pid,
      "claude",
      "claude 600",
    ]]);

    const apply = await cli(
      dir.path,
      "lane",
      "janitor",
      "apply",
      "--no-dry-run",
      "--json",
      ...NOW,
      ...only,
    );
    const report = okJson<{ attempted: { pid: number; sigterm_ok: boolean }[] }>(apply);
    assert.deepEqual(report.attempted.map((a) => [a.pid, a.sigterm_ok]), [[child.pid, true]]);
    assert.equal((await child.status).signal, "SIGTERM");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* stopped by the janitor */ }
    await child.status;
  }
});

Deno.test("lane janitor without ffi: one 'permission denied' line and exit 5, not an empty list", async () => {
  // What `deno run` with every category but ffi gives: Deno refuses /proc to such a process.
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net",
      "--allow-run",
      MAIN,
      "lane",
      "janitor",
      "list",
      "--json",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 5, stderr);
  assert.equal(new TextDecoder().decode(out.stdout), "", "no list at all, not an empty one");
  assert.equal(stderr.trim().split("\n").length, 1, stderr);
  const err = JSON.parse(stderr).error;
  assert.equal(err.code, "FORBIDDEN");
  assert.match(err.message, /^permission denied: memoryoss lane cannot .*\/proc.* all access/);
});
