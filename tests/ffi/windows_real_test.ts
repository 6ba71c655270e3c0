/**
 * Real Win32 through Deno.dlopen: runs on the windows-latest CI job only (Deno does not start
 * under Debian's Wine, see specs/deno-platform.md §6). Checks that every symbol resolves,
 * that the structs come back sane, and that a child holding 512 MB is really trimmed.
 */
import assert from "node:assert/strict";
import {
  decodeMemoryStatusEx,
  decodeOsVersionInfo,
  decodePerformanceInformation,
  encodeMemoryStatusEx,
  encodeOsVersionInfo,
  encodePerformanceInformation,
  ntSuccess,
  openWinApi,
  PERFORMANCE_INFORMATION_SIZE,
} from "../../ffi/windows/mod.ts";
import {
  openBackend,
  ReportSchema,
  runRelief,
  runSnapshot,
  SnapshotReportSchema,
  tokenElevation,
} from "../../lib/relief/mod.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";

const notWindows = onlyOn("windows", "Windows only: real Win32 calls");

Deno.test(skipIf(notWindows, "ffi/windows (real): libraries load and structs are sane"), () => {
  const api = openWinApi();
  try {
    const ms = encodeMemoryStatusEx();
    assert.equal(api.globalMemoryStatusEx(ms), 1);
    const m = decodeMemoryStatusEx(ms);
    assert.ok(m.totalPhys > 2 ** 30 && m.availPhys <= m.totalPhys, JSON.stringify(m));
    assert.ok(m.memoryLoad >= 0 && m.memoryLoad <= 100);
    const perf = encodePerformanceInformation();
    assert.equal(api.getPerformanceInfo(perf, PERFORMANCE_INFORMATION_SIZE), 1);
    const p = decodePerformanceInformation(perf);
    assert.equal(p.pageSize, 4096);
    assert.ok(Math.abs(p.physicalTotal * p.pageSize - m.totalPhys) / m.totalPhys < 0.05);
    assert.ok(p.processCount > 10 && p.threadCount > p.processCount);
    const ver = encodeOsVersionInfo();
    assert.ok(ntSuccess(api.rtlGetVersion(ver)));
    assert.ok(decodeOsVersionInfo(ver).major >= 10);
    assert.equal(api.getCurrentProcessId(), Deno.pid);
    assert.equal(api.wineVersion(), null, "not Wine");
    const elev = tokenElevation(api);
    console.log(
      `elevated=${elev.elevated} type=${elev.type} build=${decodeOsVersionInfo(ver).build}`,
    );
  } finally {
    api.close();
  }
});

Deno.test(
  skipIf(notWindows, "relief (real windows): snapshot and safe tier keep the contract"),
  async () => {
    const backend = openBackend();
    try {
      const snap = await runSnapshot(backend);
      SnapshotReportSchema.parse(snap);
      assert.ok(snap.commit_used_gb! > 0 && snap.handles! > 0);
      const safe = await runRelief(backend, { tier: "safe", dryRun: true });
      ReportSchema.parse(safe);
      assert.equal(safe.exit_status, "ok");
      assert.ok(safe.report.process_trims.length > 0, "the guard saw processes");
    } finally {
      backend.close();
    }
  },
);

Deno.test(
  skipIf(notWindows, "relief (real windows): a 512 MB child's working set is emptied"),
  async () => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "const a = new Uint8Array(512 << 20); for (let i = 0; i < a.length; i += 4096) a[i] = 1;" +
        "console.log('ready'); setInterval(() => a[0]++, 60000);",
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const backend = openBackend();
    try {
      const reader = child.stdout.getReader();
      let text = "";
      while (!text.includes("ready")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("child exited");
        text += new TextDecoder().decode(value);
      }
      reader.releaseLock();
      const r = await runRelief(backend, { tier: "safe", pids: [child.pid] });
      ReportSchema.parse(r);
      const t = r.report.process_trims.find((x) => x.pid === child.pid)!;
      console.log(
        `child working set ${t.ws_before_mb} MB → ${t.ws_after_mb} MB; Δavailable ${r.freed_mb} MB`,
      );
      assert.equal(t.status, "ok", JSON.stringify(t));
      assert.ok(t.ws_before_mb! > 480 && t.ws_after_mb! < t.ws_before_mb! / 2);
      assert.ok(r.freed_mb > -64, "trimmed pages go to standby/modified, not lost");
    } finally {
      backend.close();
      child.kill();
      await child.status;
      await child.stdout.cancel().catch(() => {});
    }
  },
);

Deno.test(skipIf(notWindows, "relief (real windows): admin tiers per elevation"), async () => {
  const api = openWinApi();
  const elevated = tokenElevation(api).elevated;
  api.close();
  const backend = openBackend();
  try {
    const r = await runRelief(backend, { tier: "standard" });
    ReportSchema.parse(r);
    console.log(
      JSON.stringify({
        privileges: r.privileges,
        stages: r.report.stages.map((s) => [s.name, s.status, s.reason, s.ntstatus]),
      }),
    );
    if (!elevated) {
      assert.equal(r.exit_status, "partial", "downgraded");
      assert.ok(
        r.report.stages.filter((s) => s.requires_admin).every((s) => s.reason === "requires_admin"),
      );
    } else {
      assert.equal(r.privileges.SeProfileSingleProcessPrivilege, "enabled");
      assert.equal(r.privileges.SeIncreaseQuotaPrivilege, "enabled");
      for (const s of r.report.stages) {
        assert.ok(s.status === "ok" || s.reason === "not_supported_os", JSON.stringify(s));
      }
      assert.equal(r.exit_status, "ok");
    }
  } finally {
    backend.close();
  }
});
