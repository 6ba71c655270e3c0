/** The macOS report-only path through a fake MacApi (host_statistics64 + sysctl). */
import assert from "node:assert/strict";
import { encodeSwapUsage, encodeVmStatistics64, type MacApi } from "../../ffi/macos/mod.ts";
import {
  macBackend,
  ReportSchema,
  runRelief,
  runSnapshot,
  SnapshotReportSchema,
} from "../../lib/relief/mod.ts";
import { fakeClock } from "./_fakes.ts";

const PAGE = 16384;
function fakeMac(
  over: { hostFails?: boolean; noPressure?: boolean } = {},
): MacApi & { closed: boolean } {
  const sysctl: Record<string, Uint8Array> = {
    "hw.memsize": new Uint8Array(new BigUint64Array([16n * 2n ** 30n]).buffer),
    "hw.pagesize": new Uint8Array(new BigUint64Array([BigInt(PAGE)]).buffer),
    "vm.swapusage": encodeSwapUsage({
      total: 2 ** 31,
      avail: 2 ** 30,
      used: 2 ** 30,
      pageSize: PAGE,
      encrypted: true,
    }),
  };
  if (!over.noPressure) {
    sysctl["kern.memorystatus_vm_pressure_level"] = new Uint8Array(new Int32Array([2]).buffer);
  }
  const api = {
    closed: false,
    hostVmInfo64: (buf: Uint8Array, count: Uint8Array) => {
      if (over.hostFails) return 5; // KERN_FAILURE
      assert.equal(new DataView(count.buffer).getUint32(0, true), 38);
      buf.set(encodeVmStatistics64({
        freeCount: 65536, // 1 GiB
        activeCount: 262144,
        inactiveCount: 131072, // 2 GiB
        wireCount: 100000,
        purgeableCount: 16384,
        speculativeCount: 6554,
        compressorPageCount: 32768, // 512 MiB
        externalPageCount: 98304,
        internalPageCount: 300000,
      }));
      return 0;
    },
    sysctlByName: (name: string, out: Uint8Array, len: Uint8Array) => {
      const v = sysctl[name];
      if (!v) return -1;
      out.set(v.subarray(0, out.length));
      new DataView(len.buffer).setBigUint64(0, BigInt(v.length), true);
      return 0;
    },
    close: () => void (api.closed = true),
  };
  return api;
}

Deno.test("macos: snapshot from host_statistics64 and sysctl", async () => {
  const api = fakeMac();
  const b = macBackend({ api, clock: fakeClock() });
  const s = await runSnapshot(b, fakeClock());
  SnapshotReportSchema.parse(s);
  assert.equal(s.mode, "snapshot");
  assert.equal(s.total_gb, 16);
  assert.equal(s.available_gb, 3.25); // free + inactive + purgeable pages
  assert.equal(s.free_gb, 0.9); // free minus speculative
  assert.equal(s.standby_gb, 2);
  assert.equal(s.compressed_gb, 0.5);
  assert.equal(s.pagefile_used_gb, 1);
  assert.equal(s.pressure_level, "warn");
  assert.equal(s.unavailable.commit_used, "not_supported_os");
  b.close();
  assert.equal(api.closed, true);
});

Deno.test("macos: cleanup is report-only and exits 0 with a note", async () => {
  const r = await runRelief(
    macBackend({ api: fakeMac({ noPressure: true }), clock: fakeClock() }),
    { tier: "aggressive" },
    fakeClock(),
  );
  ReportSchema.parse(r);
  assert.equal(r.exit_status, "ok");
  assert.equal(r.exit_code, 0);
  assert.deepEqual(r.report.stages.map((s) => [s.name, s.status, s.reason]), [[
    "process_trim",
    "skipped",
    "not_supported_os",
  ]]);
  assert.ok(r.report.notes.some((n) => n.includes("report only")));
  assert.equal(r.before.pressure_level, null);
  assert.equal(r.process_guard_run, false);
});

Deno.test("macos: a failing host_statistics64 is an engine failure", async () => {
  const b = macBackend({ api: fakeMac({ hostFails: true }), clock: fakeClock() });
  await assert.rejects(
    () => runSnapshot(b, fakeClock()),
    /host_statistics64/,
  );
});
