/** Tier planning against memoria: stage lists per platform and tier, and every skip reason. */
import assert from "node:assert/strict";
import {
  type BackendFacts,
  planStages,
  type Platform,
  stageMeta,
  type StageName,
  type Tier,
} from "../../lib/relief/mod.ts";

const facts = (o: Partial<BackendFacts> = {}): BackendFacts => ({
  isAdmin: true,
  canPageOut: true,
  hasSwap: true,
  windowsVersion: { major: 10, minor: 0, build: 22631 },
  notes: [],
  ...o,
});
const plain = { dryRun: false, onlyPids: false };

// Hand-written from specs/memoria.md, not from lib/relief's tables: §3.1 (Windows tiers and their
// order), §2.1/§2.3 (the call, NT class and memory-list command behind each stage), §4 (Linux
// actions and tiers) and §5 (macOS: report only). Each stage is paired with the call the spec
// names for it, so a stage wired to the wrong class or command fails here.
const K32 = "K32EmptyWorkingSet";
const nt = (cls: number, cmd?: number) =>
  `NtSetSystemInformation(${cmd === undefined ? cls : `${cls},${cmd}`})`;
const SPEC_PLANS: [Platform, Tier, [string, string][]][] = [
  // §3.1 safe: snapshot → process_trim → self_trim → snapshot.
  ["windows", "safe", [["process_trim", K32], ["self_trim", `${K32}(self)`]]],
  // §3.1 standard: safe + file cache (81) + priority-0 purge (80/5) + combine (130) + registry
  // (155); combine runs before the purges; our own process is trimmed last.
  ["windows", "standard", [
    ["process_trim", K32],
    ["file_cache_trim", nt(81)],
    ["combine_pages", nt(130)],
    ["standby_priority0_purge", nt(80, 5)],
    ["registry_flush", nt(155)],
    ["self_trim", `${K32}(self)`],
  ]],
  // §3.1 aggressive: standard + global trim (80/2) + modified flush (80/3) + standby purge
  // (80/4), ordered trims → flush → purge. The full purge (80/4) empties every priority, so
  // the priority-0 purge (80/5) is not run before it a second time.
  ["windows", "aggressive", [
    ["process_trim", K32],
    ["global_ws_empty", nt(80, 2)],
    ["file_cache_trim", nt(81)],
    ["combine_pages", nt(130)],
    ["modified_flush", nt(80, 3)],
    ["standby_purge", nt(80, 4)],
    ["registry_flush", nt(155)],
    ["self_trim", `${K32}(self)`],
  ]],
  // §4 safe: memory.reclaim in our own cgroup; page-out of others (CAP_SYS_NICE) and of
  // ourselves (no privilege) through process_madvise(MADV_PAGEOUT).
  ["linux", "safe", [
    ["process_trim", "process_madvise(MADV_PAGEOUT)"],
    ["cgroup_reclaim", "memory.reclaim (own cgroup)"],
    ["self_trim", "process_madvise(MADV_PAGEOUT, self)"],
  ]],
  // §4 standard (root): cgroup reclaim (our own cgroup, then as root the root cgroup's) +
  // compaction.
  ["linux", "standard", [
    ["process_trim", "process_madvise(MADV_PAGEOUT)"],
    ["cgroup_reclaim", "memory.reclaim (own cgroup)"],
    ["system_reclaim", "memory.reclaim (root cgroup)"],
    ["compaction", "/proc/sys/vm/compact_memory"],
    ["self_trim", "process_madvise(MADV_PAGEOUT, self)"],
  ]],
  // §4 aggressive: adds drop_caches=1 (after a sync).
  ["linux", "aggressive", [
    ["process_trim", "process_madvise(MADV_PAGEOUT)"],
    ["cgroup_reclaim", "memory.reclaim (own cgroup)"],
    ["system_reclaim", "memory.reclaim (root cgroup)"],
    ["compaction", "/proc/sys/vm/compact_memory"],
    ["drop_caches", "sync + /proc/sys/vm/drop_caches=1"],
    ["self_trim", "process_madvise(MADV_PAGEOUT, self)"],
  ]],
  // §5: without privileges macOS is report only.
  ["darwin", "aggressive", [["process_trim", "none (report only)"]]],
];

Deno.test("tiers: stages, their order and their calls per memoria §2-§5 (admin)", () => {
  for (const [platform, tier, want] of SPEC_PLANS) {
    const plan = planStages(platform, tier, facts(), plain);
    assert.deepEqual(
      plan.stages.map((s) => [s.name, s.meta.api]),
      want,
      `${platform}/${tier}`,
    );
    const mustRun = platform !== "darwin";
    assert.ok(plan.stages.every((s) => s.run === mustRun), `${platform}/${tier} all run`);
    assert.equal(plan.downgraded, false);
  }
});

Deno.test("tiers: admin, privilege and minimum Windows per stage (memoria §2.1, §2.3, §3.1)", () => {
  const PROFILE = "SeProfileSingleProcessPrivilege";
  const QUOTA = "SeIncreaseQuotaPrivilege";
  const cases: [Platform, string, boolean, string | undefined, [number, number] | undefined][] = [
    ["windows", "process_trim", false, undefined, undefined], // §2.1: no admin, 0x1100 access
    ["windows", "self_trim", false, undefined, undefined],
    ["windows", "global_ws_empty", true, PROFILE, undefined], // class 80
    ["windows", "modified_flush", true, PROFILE, undefined],
    ["windows", "standby_purge", true, PROFILE, undefined],
    ["windows", "standby_priority0_purge", true, PROFILE, undefined],
    ["windows", "file_cache_trim", true, QUOTA, undefined], // class 81
    ["windows", "combine_pages", true, PROFILE, [10, 0]], // class 130, Win10+
    ["windows", "registry_flush", true, undefined, [6, 3]], // class 155, Win8.1+, admin
    ["linux", "process_trim", false, undefined, undefined], // CAP_SYS_NICE, checked apart
    ["linux", "self_trim", false, undefined, undefined],
    ["linux", "cgroup_reclaim", false, undefined, undefined], // a writable memory.reclaim
    ["linux", "system_reclaim", true, undefined, undefined],
    ["linux", "compaction", true, undefined, undefined], // root
    ["linux", "drop_caches", true, undefined, undefined], // root
  ];
  for (const [platform, name, admin, privilege, minWindows] of cases) {
    const m = stageMeta(platform, name as StageName);
    assert.deepEqual(
      [m.requiresAdmin, m.privilege, m.minWindows],
      [admin, privilege, minWindows],
      `${platform}/${name}`,
    );
  }
  assert.throws(() => stageMeta("linux", "standby_purge"), /does not exist/);
});

Deno.test("tiers: combine runs before the purges, self_trim last, purges after the flush", () => {
  for (const tier of ["standard", "aggressive"] as Tier[]) {
    const names = planStages("windows", tier, facts(), plain).stages.map((s) => s.name);
    const at = (n: string) => names.indexOf(n as never);
    assert.ok(
      at("combine_pages") < at("standby_priority0_purge") || at("standby_priority0_purge") < 0,
    );
    assert.ok(at("combine_pages") < at("standby_purge") || at("standby_purge") < 0);
    assert.ok(at("modified_flush") < at("standby_purge") || at("standby_purge") < 0);
    assert.equal(names.at(-1), "self_trim");
  }
});

Deno.test("tiers: skip reasons and downgrades", () => {
  type Case = [
    string,
    Platform,
    Tier,
    Partial<BackendFacts>,
    typeof plain,
    Record<string, string | null>,
    boolean,
  ];
  const cases: Case[] = [
    ["non-admin standard", "windows", "standard", { isAdmin: false }, plain, {
      process_trim: null,
      file_cache_trim: "requires_admin",
      self_trim: null,
    }, true],
    ["non-admin safe", "windows", "safe", { isAdmin: false }, plain, { process_trim: null }, false],
    [
      "windows 7",
      "windows",
      "standard",
      { windowsVersion: { major: 6, minor: 1, build: 7601 } },
      plain,
      {
        combine_pages: "not_supported_os",
        registry_flush: "not_supported_os",
        file_cache_trim: null,
      },
      false,
    ],
    [
      "windows 8.1",
      "windows",
      "standard",
      { windowsVersion: { major: 6, minor: 3, build: 9600 } },
      plain,
      {
        combine_pages: "not_supported_os",
        registry_flush: null,
      },
      false,
    ],
    ["dry run", "windows", "standard", {}, { dryRun: true, onlyPids: false }, {
      process_trim: "dry_run",
      combine_pages: "dry_run",
    }, false],
    ["--pid", "linux", "aggressive", {}, { dryRun: false, onlyPids: true }, {
      process_trim: null,
      drop_caches: "not_requested",
      self_trim: "not_requested",
    }, false],
    ["linux user", "linux", "safe", { isAdmin: false, canPageOut: false }, plain, {
      process_trim: "requires_admin",
      cgroup_reclaim: null,
      self_trim: null,
    }, false],
    ["linux CAP_SYS_NICE", "linux", "safe", { isAdmin: false, canPageOut: true }, plain, {
      process_trim: null,
    }, false],
    ["linux no swap", "linux", "safe", { hasSwap: false }, plain, {
      process_trim: "no_swap",
      self_trim: "no_swap",
      cgroup_reclaim: null,
    }, false],
    ["linux user aggressive", "linux", "aggressive", { isAdmin: false, canPageOut: false }, plain, {
      drop_caches: "requires_admin",
      compaction: "requires_admin",
      system_reclaim: "requires_admin",
    }, true],
    [
      "macos",
      "darwin",
      "standard",
      { isAdmin: false },
      plain,
      { process_trim: "not_supported_os" },
      false,
    ],
  ];
  for (const [label, platform, tier, f, opts, want, downgraded] of cases) {
    const plan = planStages(platform, tier, facts(f), opts);
    for (const [name, reason] of Object.entries(want)) {
      const s = plan.stages.find((x) => x.name === name);
      assert.ok(s, `${label}: ${name} planned`);
      assert.equal(s.reason, reason, `${label}: ${name}`);
      assert.equal(s.run, reason === null, `${label}: ${name} run`);
    }
    assert.equal(plan.downgraded, downgraded, `${label}: downgraded`);
    assert.equal(plan.tierEffective, downgraded ? "safe" : tier, label);
  }
});

Deno.test("tiers: notes for downgrade, missing swap and macOS", () => {
  assert.match(
    planStages("linux", "standard", facts({ isAdmin: false }), plain).notes[0],
    /needs root/,
  );
  assert.match(
    planStages("windows", "aggressive", facts({ isAdmin: false }), plain).notes[0],
    /elevated/,
  );
  assert.ok(
    planStages("linux", "safe", facts({ hasSwap: false }), plain).notes.some((n) =>
      n.includes("swap")
    ),
  );
  assert.match(planStages("darwin", "safe", facts(), plain).notes[0], /report only/);
});
