/**
 * The Windows relief engine on Linux, through a fake WinApi that answers like Win32: stage
 * order per tier, privilege enabling (including ERROR_NOT_ALL_ASSIGNED), admin downgrade,
 * partial failure, foreground exclusion by image and by PID tree, honest deltas.
 */
import assert from "node:assert/strict";
import {
  type ReliefOptions,
  type ReliefReport,
  ReportSchema,
  runRelief,
  windowsBackend,
} from "../../lib/relief/mod.ts";
import { FakeWin, type FakeWinOptions } from "./_fake_win.ts";
import { desktop, fakeClock } from "./_fakes.ts";

async function run(
  fake: Partial<FakeWinOptions>,
  opts: Partial<ReliefOptions> = {},
): Promise<{ r: ReliefReport; api: FakeWin }> {
  const api = new FakeWin({
    elevated: false,
    procs: desktop(),
    selfPid: 2000,
    foregroundPid: 1000,
    ...fake,
  });
  const backend = windowsBackend({ api, clock: fakeClock() });
  const r = await runRelief(
    backend,
    { tier: "safe", selfPid: 2000, ...opts },
    fakeClock(),
  );
  ReportSchema.parse(r);
  return { r, api };
}

const stage = (r: ReliefReport, name: string) => r.report.stages.find((s) => s.name === name)!;
const trim = (r: ReliefReport, pid: number) => r.report.process_trims.find((t) => t.pid === pid);

Deno.test("windows: safe tier without admin trims background processes, spares the rest", async () => {
  const { r, api } = await run({}, { whitelist: ["slack.exe"] });
  assert.deepEqual(r.report.stages.map((s) => [s.name, s.status]), [
    ["process_trim", "ok"],
    ["self_trim", "ok"],
  ]);
  assert.equal(r.exit_status, "ok");
  assert.equal(r.tier_effective, "safe");
  assert.equal(r.process_guard_run, true);
  assert.equal(r.report.foreground_excluded, "chrome.exe", "Memoria names the spared image");
  assert.deepEqual(r.report.foreground_pids, [1000, 1001, 1002]);
  const reasons = Object.fromEntries(
    r.report.process_trims.map((t) => [t.pid, t.reason ?? t.status]),
  );
  assert.equal(reasons[1000], "foreground"); // the foreground window's process
  assert.equal(reasons[1001], "foreground"); // same image (Memoria's rule)
  assert.equal(reasons[1002], "foreground_tree"); // other image, child of the foreground
  assert.equal(reasons[1400], "whitelisted");
  assert.equal(reasons[600], "critical");
  assert.equal(reasons[700], "access_denied"); // cannot be opened: skipped, not an error
  assert.equal(reasons[1100], "ok");
  assert.equal(reasons[1200], "ok");
  assert.equal(trim(r, 1300), undefined, "small processes are only counted");
  assert.equal(trim(r, 2000), undefined, "our own process is self_trim's job");
  assert.deepEqual(api.calls, [
    "EmptyWorkingSet(1100)",
    "EmptyWorkingSet(1200)",
    "EmptyWorkingSet(2000)",
  ]);
  assert.equal(trim(r, 1200)!.ws_before_mb, 900);
  assert.equal(trim(r, 1200)!.ws_after_mb, 0);
  // Trimmed clean pages land on standby, which counts as available: Δavailable = clean pages.
  const pt = stage(r, "process_trim");
  assert.equal(pt.delta!.available_mb, 150 + 720);
  assert.equal(pt.delta!.free_mb, null, "page lists are admin-only: null, not 0");
  assert.equal(pt.delta!.modified_mb, null);
  assert.equal(r.before.unavailable.standby, "requires_admin");
  assert.equal(r.freed_mb, 150 + 720 + 48);
});

Deno.test("windows: an admin tier without elevation runs safe and exits 1", async () => {
  const { r, api } = await run({ elevationType: 3 }, { tier: "standard" });
  assert.equal(r.exit_status, "partial");
  assert.equal(r.tier_requested, "standard");
  assert.equal(r.tier_effective, "safe");
  for (
    const name of ["file_cache_trim", "combine_pages", "standby_priority0_purge", "registry_flush"]
  ) {
    assert.deepEqual([stage(r, name).status, stage(r, name).reason], ["skipped", "requires_admin"]);
  }
  assert.ok(!api.calls.some((c) => c.startsWith("NtSet")), "no system call without admin");
  assert.ok(r.report.notes.some((n) => n.includes("ran the 'safe' stages only")));
  assert.ok(r.report.notes.some((n) => n.includes("HighestAvailable")), "limited token hint");
  assert.deepEqual(r.privileges, {});
});

Deno.test("windows: standard tier as admin enables privileges and runs stages in order", async () => {
  const { r, api } = await run({ elevated: true }, { tier: "standard" });
  assert.equal(r.exit_status, "ok");
  assert.deepEqual(r.privileges, {
    SeIncreaseQuotaPrivilege: "enabled",
    SeProfileSingleProcessPrivilege: "enabled",
  });
  assert.deepEqual(r.report.stages.map((s) => s.name), [
    "process_trim",
    "file_cache_trim",
    "combine_pages",
    "standby_priority0_purge",
    "registry_flush",
    "self_trim",
  ]);
  assert.ok(r.report.stages.every((s) => s.status === "ok"));
  // combine: the 24-byte _EX form is refused by this kernel, the 16-byte form retried.
  assert.deepEqual(api.calls.filter((c) => c.startsWith("NtSet")), [
    "NtSet(81)",
    "NtSet(130,24)",
    "NtSet(130,16)",
    "NtSet(80:5)",
    "NtSet(155)",
  ]);
  assert.match(stage(r, "combine_pages").note!, /3000 pages combined \(12 MB\)/);
  assert.equal(stage(r, "combine_pages").freed_mb, 11.7);
  // Purging priority-0 standby moves it to free: available does not change.
  const p0 = stage(r, "standby_priority0_purge");
  assert.equal(p0.freed_mb, 0);
  assert.equal(p0.delta!.free_mb, 39.1);
  assert.equal(p0.delta!.standby_mb, -39.1);
  assert.match(p0.note!, /available unchanged by design/);
  assert.equal(p0.ntstatus, "0x00000000");
  assert.equal(r.before.standby_by_priority_gb!.length, 8);
  assert.equal(r.before.compressed_gb, 0.146); // Memory Compression's working set
});

Deno.test("windows: aggressive empties every working set and purges standby (freed ≈ 0)", async () => {
  const { r, api } = await run({ elevated: true }, { tier: "aggressive" });
  assert.equal(r.exit_status, "ok");
  assert.deepEqual(api.calls.filter((c) => c.startsWith("NtSet")), [
    "NtSet(80:2)",
    "NtSet(81)",
    "NtSet(130,24)",
    "NtSet(130,16)",
    "NtSet(80:3)",
    "NtSet(80:4)",
    "NtSet(155)",
  ]);
  assert.equal(api.proc(1000)!.wsPages, 0, "global_ws_empty ignores the foreground");
  const purge = stage(r, "standby_purge");
  assert.equal(purge.freed_mb, 0);
  assert.ok(purge.delta!.free_mb! > 1000 && purge.delta!.standby_mb! < -1000);
  assert.ok(r.report.notes.some((n) => n.startsWith("standby → free")));
  assert.equal(r.after!.standby_gb, 0);
  // Dirty pages trimmed to modified, then flushed to standby: visible per stage.
  assert.ok(stage(r, "global_ws_empty").delta!.modified_mb! > 0);
  assert.ok(stage(r, "modified_flush").delta!.modified_mb! < 0);
  assert.equal(stage(r, "modified_flush").freed_mb, stage(r, "modified_flush").delta!.standby_mb);
});

Deno.test("windows: a privilege the token does not hold is caught despite AdjustTokenPrivileges=TRUE", async () => {
  for (const lastErrorLies of [false, true]) {
    const { r, api } = await run(
      { elevated: true, held: [5], lastErrorLies },
      { tier: "standard" },
    );
    assert.equal(r.privileges.SeProfileSingleProcessPrivilege, "not_held");
    assert.equal(r.privileges.SeIncreaseQuotaPrivilege, "enabled");
    for (const name of ["combine_pages", "standby_priority0_purge"]) {
      assert.deepEqual([stage(r, name).status, stage(r, name).reason], [
        "error",
        "privilege_not_held",
      ]);
    }
    assert.equal(stage(r, "file_cache_trim").status, "ok");
    assert.equal(stage(r, "registry_flush").status, "ok");
    assert.ok(!api.calls.some((c) => c.startsWith("NtSet(80") || c.startsWith("NtSet(130")));
    assert.equal(r.exit_status, "partial");
  }
});

Deno.test("windows: a stage that fails makes the run partial (exit 1) and keeps going", async () => {
  const { r } = await run({ elevated: true, ntOverrides: { "80:5": 0xC0000022 } }, {
    tier: "standard",
  });
  const p0 = stage(r, "standby_priority0_purge");
  assert.deepEqual([p0.status, p0.reason, p0.ntstatus], ["error", "access_denied", "0xC0000022"]);
  assert.equal(stage(r, "registry_flush").status, "ok");
  assert.equal(stage(r, "self_trim").status, "ok");
  assert.equal(r.exit_status, "partial");
});

Deno.test("windows: unsupported classes and old versions are benign skips", async () => {
  const old = await run({ elevated: true, version: { major: 6, minor: 1, build: 7601 } }, {
    tier: "standard",
  });
  assert.equal(stage(old.r, "combine_pages").reason, "not_supported_os");
  assert.equal(stage(old.r, "registry_flush").reason, "not_supported_os");
  assert.equal(old.r.exit_status, "ok");
  const nocls = await run({ elevated: true, ntOverrides: { "155": 0xC0000003 } }, {
    tier: "standard",
  });
  assert.deepEqual([
    stage(nocls.r, "registry_flush").status,
    stage(nocls.r, "registry_flush").reason,
  ], [
    "skipped",
    "not_supported_os",
  ]);
  assert.equal(nocls.r.exit_status, "ok");
});

Deno.test("windows: no foreground window (session 0) is reported as null with a note", async () => {
  const { r } = await run({ foregroundPid: null });
  assert.equal(r.report.foreground_excluded, null);
  assert.equal(r.before.foreground_image, null);
  assert.match(r.before.unavailable.foreground_image, /session 0/);
  assert.ok(r.report.notes.some((n) => n.includes("session 0")));
  assert.equal(trim(r, 1000)!.status, "ok", "nothing to spare, so the browser is trimmed");
});

Deno.test("windows: --no-exclude-foreground trims the foreground too", async () => {
  const { r } = await run({}, { excludeForeground: false });
  assert.equal(r.report.foreground_excluded, null, "nothing spared: no image to name");
  assert.equal(r.report.exclude_foreground, false);
  assert.equal(trim(r, 1000)!.status, "ok");
  assert.equal(trim(r, 1002)!.status, "ok");
});

Deno.test("windows: without toolhelp, K32EnumProcesses still finds and names processes", async () => {
  const { r } = await run({ toolhelpFails: true });
  assert.equal(trim(r, 1001)!.reason, "foreground", "image rule still works");
  assert.equal(trim(r, 1002)!.status, "ok", "no parent PIDs: the tree rule cannot apply");
  assert.equal(trim(r, 1200)!.image, "game.exe");
});

Deno.test("windows: dry run changes nothing and lists what would be trimmed", async () => {
  const { r, api } = await run({ elevated: true }, { tier: "aggressive", dryRun: true });
  assert.deepEqual(api.calls, []);
  assert.ok(r.report.stages.every((s) => s.status === "skipped" && s.reason === "dry_run"));
  assert.equal(trim(r, 1200)!.reason, "dry_run");
  assert.equal(r.exit_status, "ok");
  assert.equal(r.process_guard_run, true);
});

Deno.test("windows: a process that exits before its trim is skipped as exited", async () => {
  const api = new FakeWin({
    elevated: false,
    procs: desktop(),
    selfPid: 2000,
    foregroundPid: 1000,
  });
  const backend = windowsBackend({ api, clock: fakeClock() });
  const list = backend.listProcesses;
  backend.listProcesses = async () => {
    const procs = await list();
    api.procs.splice(api.procs.findIndex((p) => p.pid === 1200), 1);
    return procs;
  };
  const r = await runRelief(backend, { tier: "safe", selfPid: 2000 }, fakeClock());
  assert.deepEqual([trim(r, 1200)!.status, trim(r, 1200)!.reason], ["skipped", "exited"]);
  assert.equal(r.exit_status, "ok");
});
