/** Tier planning: stage lists per platform and tier, and every skip reason. Table-driven. */
import assert from "node:assert/strict";
import {
  type BackendFacts,
  planStages,
  type Platform,
  stageMeta,
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

Deno.test("tiers: stage order per platform and tier (admin)", () => {
  const cases: [Platform, Tier, string[]][] = [
    ["windows", "safe", ["process_trim", "self_trim"]],
    ["windows", "standard", [
      "process_trim",
      "file_cache_trim",
      "combine_pages",
      "standby_priority0_purge",
      "registry_flush",
      "self_trim",
    ]],
    ["windows", "aggressive", [
      "process_trim",
      "global_ws_empty",
      "file_cache_trim",
      "combine_pages",
      "modified_flush",
      "standby_purge",
      "registry_flush",
      "self_trim",
    ]],
    ["linux", "safe", ["process_trim", "cgroup_reclaim", "self_trim"]],
    ["linux", "standard", ["process_trim", "cgroup_reclaim", "system_reclaim", "self_trim"]],
    ["linux", "aggressive", [
      "process_trim",
      "cgroup_reclaim",
      "system_reclaim",
      "compaction",
      "drop_caches",
      "self_trim",
    ]],
    ["darwin", "aggressive", ["process_trim"]],
  ];
  for (const [platform, tier, names] of cases) {
    const plan = planStages(platform, tier, facts(), plain);
    assert.deepEqual(plan.stages.map((s) => s.name), names, `${platform}/${tier}`);
    const mustRun = platform !== "darwin";
    assert.ok(plan.stages.every((s) => s.run === mustRun), `${platform}/${tier} all run`);
    assert.equal(plan.downgraded, false);
  }
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

Deno.test("tiers: notes for downgrade, missing swap and macOS; stage metadata", () => {
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
  assert.equal(stageMeta("windows", "standby_purge").privilege, "SeProfileSingleProcessPrivilege");
  assert.equal(stageMeta("windows", "file_cache_trim").privilege, "SeIncreaseQuotaPrivilege");
  assert.equal(stageMeta("windows", "registry_flush").privilege, undefined);
  assert.equal(stageMeta("windows", "process_trim").requiresAdmin, false);
  assert.throws(() => stageMeta("linux", "standby_purge"), /does not exist/);
});
