/**
 * The real Linux snapshot agrees with /proc/meminfo read independently here (not through the
 * engine's parser), within the drift of two reads a moment apart.
 */
import assert from "node:assert/strict";
import {
  linuxSample,
  openBackend,
  realFs,
  runSnapshot,
  SnapshotReportSchema,
  toSnapshot,
} from "../../lib/relief/mod.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";

const notLinux = onlyOn("linux");

/** meminfo by hand: "Key:   123 kB" → bytes. */
function meminfo(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of Deno.readTextFileSync("/proc/meminfo").split("\n")) {
    const [key, rest] = line.split(":");
    if (rest) out.set(key.trim(), parseInt(rest.trim(), 10) * (rest.includes("kB") ? 1024 : 1));
  }
  return out;
}

const DRIFT = 64 * 1048576; // what other processes may allocate between the two reads

Deno.test(skipIf(notLinux, "snapshot (real): numbers agree with /proc/meminfo"), async () => {
  const s = await linuxSample(realFs, Date.now());
  const m = meminfo();
  const near = (got: number | null, want: number, what: string) =>
    assert.ok(got !== null && Math.abs(got - want) <= DRIFT, `${what}: ${got} vs ${want}`);
  assert.equal(s.total, m.get("MemTotal"));
  near(s.available, m.get("MemAvailable")!, "available");
  near(s.free, m.get("MemFree")!, "free");
  near(s.cache, m.get("Cached")! + m.get("Buffers")! - m.get("Shmem")!, "cache");
  near(s.standby, m.get("Inactive(file)")!, "standby");
  near(s.modified, m.get("Dirty")! + m.get("Writeback")!, "modified");
  near(s.commit_used, m.get("Committed_AS")!, "commit");
  assert.equal(s.commit_limit, m.get("CommitLimit"));
  near(s.pagefile_used, m.get("SwapTotal")! - m.get("SwapFree")!, "swap used");
  const snap = toSnapshot(s);
  assert.ok(Math.abs(snap.total_gb - m.get("MemTotal")! / 2 ** 30) < 0.001);
  const used = 100 * (1 - m.get("MemAvailable")! / m.get("MemTotal")!);
  assert.ok(Math.abs(snap.used_pct - used) < 0.5, `used ${snap.used_pct} vs ${used}`);
  const psi = await Deno.readTextFile("/proc/pressure/memory").catch(() => null);
  if (psi) {
    const avg10 = Number(/some avg10=([\d.]+)/.exec(psi)![1]);
    assert.ok(s.pressure && Math.abs(s.pressure.some_avg10 - avg10) < 5);
  } else assert.equal(s.pressure, null);
});

Deno.test(
  skipIf(notLinux, "snapshot (real): --snap report validates and touches nothing"),
  async () => {
    const backend = openBackend();
    try {
      const r = await runSnapshot(backend);
      SnapshotReportSchema.parse(r);
      assert.equal(r.mode, "snapshot");
      assert.equal(r.exit_status, "ok");
      assert.ok(r.total_gb > 0 && r.available_gb <= r.total_gb);
      assert.equal(r.is_admin, Deno.uid() === 0);
    } finally {
      backend.close();
    }
  },
);
