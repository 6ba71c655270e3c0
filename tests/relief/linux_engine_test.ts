/**
 * The Linux relief engine against a fake /proc, /sys and libc: capability gating, the swap
 * note, foreground (terminal groups and our ancestors), cgroup reclaim targets, the root-only
 * aggressive stages and every failure path's status and exit code.
 */
import assert from "node:assert/strict";
import {
  linuxBackend,
  reclaimTarget,
  type ReliefOptions,
  type ReliefReport,
  ReportSchema,
  runRelief,
} from "../../lib/relief/mod.ts";
import { FakeLinux, type FakeLinuxOptions, linuxDesktop } from "./_fake_linux.ts";
import { fakeClock } from "./_fakes.ts";
import { ERRNO } from "../../ffi/linux/mod.ts";

const USER_RECLAIM = "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/memory.reclaim";
const ROOT_RECLAIM = "/sys/fs/cgroup/memory.reclaim";

async function run(
  o: Partial<FakeLinuxOptions>,
  opts: Partial<ReliefOptions> = {},
): Promise<{ r: ReliefReport; fake: FakeLinux }> {
  const fake = new FakeLinux({
    selfPid: 2000,
    euid: 1000,
    swapMb: 4096,
    procs: linuxDesktop(),
    files: [USER_RECLAIM, ROOT_RECLAIM, "/proc/sys/vm/compact_memory", "/proc/sys/vm/drop_caches"],
    ...o,
  });
  const backend = linuxBackend({
    fs: fake.fs,
    libc: () => fake.api,
    selfPid: 2000,
    clock: fakeClock(),
    reclaimBytes: 256 * 1048576,
  });
  const r = await runRelief(
    backend,
    { tier: "safe", selfPid: 2000, ...opts },
    fakeClock(),
  );
  ReportSchema.parse(r);
  return { r, fake };
}

const stage = (r: ReliefReport, name: string) => r.report.stages.find((s) => s.name === name)!;
const reasons = (r: ReliefReport) =>
  Object.fromEntries(r.report.process_trims.map((t) => [t.pid, t.reason ?? t.status]));

Deno.test("linux: a normal user gets cgroup reclaim and self page-out, no remote page-out", async () => {
  const { r, fake } = await run({});
  assert.deepEqual(r.report.stages.map((s) => [s.name, s.status, s.reason]), [
    ["process_trim", "skipped", "requires_admin"],
    ["cgroup_reclaim", "ok", null],
    ["self_trim", "ok", null],
  ]);
  assert.deepEqual(fake.writes, [[USER_RECLAIM, String(256 * 1048576)]]);
  assert.equal(r.exit_status, "ok", "a skipped stage in the safe tier is benign");
  assert.equal(r.is_admin, false);
  assert.equal(r.process_guard_run, false);
  assert.equal(r.report.foreground_excluded, null);
  assert.deepEqual(fake.advised, [2000], "only our own process");
});

Deno.test("linux: CAP_SYS_NICE (or root) pages out background processes, sparing the foreground", async () => {
  const { r, fake } = await run({ capSysNice: true }, { whitelist: ["slack"] });
  assert.equal(stage(r, "process_trim").status, "ok");
  const why = reasons(r);
  assert.equal(why[1700], "ok"); // firefox: background, big
  assert.equal(why[1600], "ok"); // node: a background job of the shell
  assert.equal(why[1500], "foreground_tree"); // vim: the terminal's foreground group
  assert.equal(why[1950], "foreground_tree"); // claude: our ancestor, waiting on us
  assert.equal(why[1800], "whitelisted");
  assert.equal(why[1], "critical");
  assert.equal(why[300], "critical");
  assert.equal(why[1900], undefined, "below --min-ws-mb: counted, not listed");
  assert.equal(why[2], undefined, "kernel threads are not processes to trim");
  assert.deepEqual(fake.advised, [1600, 1700, 2000]);
  const ff = r.report.process_trims.find((t) => t.pid === 1700)!;
  assert.deepEqual([ff.ws_before_mb, ff.ws_after_mb, ff.private_mb], [900, 90, 791]);
  // Linux has no foreground window, so no image is named; the tree rule still spared PIDs.
  assert.equal(r.report.foreground_excluded, null);
  assert.equal(r.report.exclude_foreground, true);
  assert.ok(r.report.foreground_pids.includes(1950) && r.report.foreground_pids.includes(1500));
  assert.ok(stage(r, "process_trim").delta!.available_mb > 1000);
  assert.equal(stage(r, "process_trim").note?.includes("trimmed 2 processes"), true);
});

Deno.test("linux: without swap the page-out stages are skipped with a note", async () => {
  const { r, fake } = await run({ euid: 0, swapMb: 0 });
  assert.deepEqual([stage(r, "process_trim").status, stage(r, "process_trim").reason], [
    "skipped",
    "no_swap",
  ]);
  assert.equal(stage(r, "self_trim").reason, "no_swap");
  assert.ok(r.report.notes.some((n) => n.startsWith("no swap or zram")));
  assert.deepEqual(fake.advised, []);
  assert.equal(r.exit_status, "ok");
});

Deno.test("linux: aggressive as root reclaims system-wide, compacts, syncs and drops caches", async () => {
  const { r, fake } = await run({ euid: 0 }, { tier: "aggressive" });
  assert.deepEqual(r.report.stages.map((s) => s.name), [
    "process_trim",
    "cgroup_reclaim",
    "system_reclaim",
    "compaction",
    "drop_caches",
    "self_trim",
  ]);
  assert.ok(r.report.stages.every((s) => s.status === "ok"), JSON.stringify(r.report.stages));
  assert.deepEqual(fake.writes.map(([p]) => p), [
    USER_RECLAIM,
    ROOT_RECLAIM,
    "/proc/sys/vm/compact_memory",
    "/proc/sys/vm/drop_caches",
  ]);
  assert.equal(fake.syncs, 1, "sync before drop_caches");
  assert.equal(stage(r, "drop_caches").freed_mb, 500);
  assert.match(stage(r, "compaction").note!, /frees nothing/);
  assert.equal(r.exit_status, "ok");
});

Deno.test("linux: standard as root reclaims system-wide and compacts, no cache drop (memoria §4)", async () => {
  const { r, fake } = await run({ euid: 0 }, { tier: "standard" });
  assert.deepEqual(r.report.stages.map((s) => s.name), [
    "process_trim",
    "cgroup_reclaim",
    "system_reclaim",
    "compaction",
    "self_trim",
  ]);
  assert.ok(r.report.stages.every((s) => s.status === "ok"), JSON.stringify(r.report.stages));
  assert.deepEqual(fake.writes.map(([p]) => p), [
    USER_RECLAIM,
    ROOT_RECLAIM,
    "/proc/sys/vm/compact_memory",
  ]);
  assert.equal(fake.syncs, 0, "standard drops no cache, so no sync");
  assert.equal(r.exit_status, "ok");
});

Deno.test("linux: an admin tier as a normal user is downgraded (exit 1)", async () => {
  const { r, fake } = await run({}, { tier: "aggressive" });
  assert.equal(r.exit_status, "partial");
  assert.equal(r.tier_effective, "safe");
  for (const n of ["system_reclaim", "compaction", "drop_caches"]) {
    assert.equal(stage(r, n).reason, "requires_admin");
  }
  assert.deepEqual(fake.writes.map(([p]) => p), [USER_RECLAIM]);
});

Deno.test("linux: cgroup reclaim outcomes (v1, root cgroup, EACCES, EAGAIN, EIO)", async () => {
  const cases: [Partial<FakeLinuxOptions>, string, string | null, number][] = [
    [{ cgroup2: null, cgroup: "4:memory:/x\n" }, "skipped", "not_supported_os", 0],
    [{ cgroup: "0::/\n" }, "skipped", "root_cgroup", 0],
    [{ writeErrors: { [USER_RECLAIM]: "EACCES" } }, "skipped", "access_denied", 0],
    [{ writeErrors: { [USER_RECLAIM]: "EAGAIN" } }, "ok", null, 0],
    [{ writeErrors: { [USER_RECLAIM]: "EIO" } }, "error", null, 1],
    [{ files: [] }, "skipped", "not_supported_os", 0],
  ];
  for (const [o, status, reason, exit] of cases) {
    const { r } = await run(o);
    const s = stage(r, "cgroup_reclaim");
    assert.deepEqual(
      [s.status, s.reason, r.exit_code],
      [status, reason, exit],
      JSON.stringify(o),
    );
  }
  assert.equal(
    reclaimTarget("/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope"),
    "/user.slice/user-1000.slice/user@1000.service",
  );
  assert.equal(reclaimTarget("/system.slice/cron.service"), "/system.slice/cron.service");
  assert.equal(reclaimTarget("/"), null);
});

Deno.test("linux: a failing root stage makes the run partial", async () => {
  const { r } = await run({ euid: 0, writeErrors: { "/proc/sys/vm/drop_caches": "EIO" } }, {
    tier: "aggressive",
  });
  assert.equal(stage(r, "drop_caches").status, "error");
  assert.equal(stage(r, "self_trim").status, "ok", "later stages still run");
  assert.equal(r.exit_status, "partial");
  const ro = await run({ euid: 0, writeErrors: { "/proc/sys/vm/drop_caches": "EROFS" } }, {
    tier: "aggressive",
  });
  assert.equal(stage(ro.r, "drop_caches").reason, "access_denied", "read-only /proc/sys");
  assert.equal(ro.r.exit_status, "ok");
});

Deno.test("linux: per-process failures: exited, EPERM, other errno", async () => {
  const { r } = await run({ euid: 0, madviseErrno: { 1700: ERRNO.EPERM, 1600: 9 } }, {
    pids: [1700, 1600, 4242],
  });
  const why = reasons(r);
  assert.equal(why[1700], "access_denied");
  assert.equal(why[1600], "errno_9");
  assert.equal(stage(r, "process_trim").status, "error");
  assert.equal(r.exit_status, "partial");
  assert.ok(r.report.notes.includes("--pid not found: 4242"));
});

Deno.test("linux: --pid asks for the foreground explicitly and runs nothing else", async () => {
  const { r, fake } = await run({ euid: 0 }, { pids: [1500] });
  assert.equal(reasons(r)[1500], "ok");
  assert.deepEqual(fake.advised, [1500]);
  assert.ok(
    r.report.stages.filter((s) => s.name !== "process_trim").every((s) =>
      s.reason === "not_requested"
    ),
  );
  assert.deepEqual(fake.writes, []);
});

Deno.test("linux: snapshot fields map from /proc/meminfo and PSI", async () => {
  const { r } = await run({}, { dryRun: true });
  const b = r.before;
  assert.equal(b.total_gb, 16);
  assert.equal(b.available_gb, 5.859);
  assert.equal(b.used_pct, 63.4);
  assert.equal(b.cache_gb, 2.832); // Cached + Buffers − Shmem
  assert.equal(b.standby_gb, 1.465); // Inactive(file)
  assert.equal(b.modified_gb, 0.031); // Dirty + Writeback
  assert.equal(b.commit_used_gb, 8.789);
  assert.equal(b.pagefile_used_gb, 0);
  assert.deepEqual(b.pressure, {
    some_avg10: 1.25,
    some_avg60: 0.5,
    some_avg300: 0.1,
    full_avg10: 0,
    full_avg60: 0,
    full_avg300: 0,
  });
  assert.equal(b.zeroed_gb, null);
  assert.equal(b.unavailable.zeroed, "not_supported_os");
  assert.equal(b.processes, 12);
});
