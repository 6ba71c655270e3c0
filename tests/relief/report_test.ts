/** Units, deltas, honesty notes, exit status and rendering. Pure, table-driven. */
import assert from "node:assert/strict";
import {
  type Delta,
  emptySample,
  exitStatusFor,
  exitStatusName,
  honestyNotes,
  type MemSample,
  type ReliefReport,
  renderText,
  ReportSchema,
  sampleDelta,
  type SnapshotReport,
  SnapshotReportSchema,
  toGb,
  toMb,
  toSnapshot,
  usedPct,
} from "../../lib/relief/mod.ts";

const MB = 1048576;
const sample = (o: Partial<MemSample>): MemSample => ({
  ...emptySample(0, 16384 * MB, 4096 * MB),
  ...o,
});

Deno.test("report: units and used %", () => {
  const cases: [number | null, number | null, number | null][] = [
    [MB * 1.5, 1.5, 0.001],
    [-MB * 312, -312, -0.305],
    [0, 0, 0],
    [null, null, null],
  ];
  for (const [bytes, mb, gb] of cases) {
    assert.equal(toMb(bytes), mb);
    assert.equal(toGb(bytes), gb);
  }
  assert.equal(usedPct({ total: 100, available: 25 }), 75);
  assert.equal(usedPct({ total: 0, available: 0 }), 0);
  assert.equal(usedPct({ total: 100, available: 120 }), 0, "clamped");
});

Deno.test("report: deltas are per list and signed; null stays null", () => {
  const a = sample({
    free: 1000 * MB,
    standby: 2000 * MB,
    modified: 100 * MB,
    commit_used: 8000 * MB,
  });
  const b = sample({
    available: 4096 * MB,
    free: 1312 * MB,
    standby: 1688 * MB,
    modified: 100 * MB,
    commit_used: 8000 * MB,
  });
  assert.deepEqual(sampleDelta(a, b), {
    available_mb: 0,
    free_mb: 312,
    standby_mb: -312,
    modified_mb: 0,
    compressed_mb: null,
    commit_mb: 0,
  });
});

Deno.test("report: honesty notes", () => {
  const d = (o: Partial<Delta>): Delta => ({
    available_mb: 0,
    free_mb: 0,
    standby_mb: 0,
    modified_mb: 0,
    compressed_mb: null,
    commit_mb: 0,
    ...o,
  });
  const cases: [Partial<Delta>, RegExp[]][] = [
    [{ free_mb: 310, standby_mb: -312 }, [/^standby → free: 312 MB moved/]],
    [{ available_mb: 300 }, [/commit unchanged: memory was moved/]],
    [{ available_mb: 300, commit_mb: -250 }, []],
    [{ available_mb: -50 }, [/available fell 50 MB/]],
    [{ free_mb: null, standby_mb: null }, []],
  ];
  for (const [delta, want] of cases) {
    const notes = honestyNotes(d(delta));
    assert.equal(notes.length, want.length, JSON.stringify(delta));
    want.forEach((re, i) => assert.match(notes[i], re));
  }
});

Deno.test("report: exit status 0 / 1, named as Memoria names it", () => {
  assert.deepEqual([0, 1, 2].map((c) => exitStatusName(c as 0)), ["ok", "partial", "failure"]);
  const cases: [string[], boolean, number][] = [
    [["ok", "skipped"], false, 0],
    [["ok", "error"], false, 1],
    [["ok"], true, 1],
    [[], false, 0],
  ];
  for (const [statuses, downgraded, want] of cases) {
    assert.equal(
      exitStatusFor(statuses.map((status) => ({ status: status as "ok" })), downgraded),
      want,
    );
  }
});

Deno.test("report: snapshot JSON and human text", () => {
  const s = toSnapshot(sample({ free: 512 * MB, unavailable: { zeroed: "not_supported_os" } }));
  assert.equal(s.total_gb, 16);
  assert.equal(s.available_gb, 4);
  assert.equal(s.used_pct, 75);
  assert.equal(s.free_gb, 0.5);
  assert.equal(s.taken_at, "1970-01-01T00:00:00.000Z");
  const report: ReliefReport = {
    schema_version: "1.0",
    mode: "memory_relief",
    exit_status: "partial",
    freed_mb: 0,
    reclaimed_mb: 0,
    is_admin: false,
    privileges: {},
    tier_requested: "standard",
    tier_effective: "safe",
    platform: "linux",
    exit_code: 1,
    trigger: "manual",
    when: "2025-01-01T00:00:00.000Z",
    dry_run: false,
    before: s,
    after: s,
    settled: null,
    process_guard_run: true,
    history_persisted: false,
    report: {
      reclaimed_mb: 0,
      elapsed_ms: 12,
      is_admin: false,
      foreground_excluded: "code",
      exclude_foreground: true,
      foreground_pids: [7],
      whitelist: [],
      deltas: sampleDelta(sample({}), sample({})),
      rebound_mb: null,
      stages: [{
        name: "process_trim",
        status: "ok",
        reason: null,
        api: "x",
        ntstatus: null,
        errno: null,
        requires_admin: false,
        elapsed_ms: 3,
        delta: null,
        freed_mb: 5,
        note: "trimmed 1 process",
      }],
      process_trims: [{
        pid: 9,
        image: "node",
        ws_before_mb: 400,
        ws_after_mb: 40,
        private_mb: 380,
        status: "ok",
        reason: null,
      }],
      notes: ["hello"],
    },
  };
  ReportSchema.parse(report);
  const text = renderText(report);
  assert.match(text, /^relief standard → safe on linux \(not admin\): partial, 12 ms/);
  assert.match(text, /ok {6}process_trim {13}\+5 MB/);
  assert.match(text, /9 node +400 → 40 MB {2}ok/);
  assert.match(text, /spared {2}code \(the foreground app/);
  assert.match(text, /note: hello/);
  assert.throws(() => ReportSchema.parse({ ...report, extra: 1 }), "strict: unknown keys fail");
  assert.throws(() => ReportSchema.parse({ ...report, exit_status: 1 }), "a string, not a code");
  const snap: SnapshotReport = {
    schema_version: "1.0",
    mode: "snapshot",
    exit_status: "ok",
    ...s,
    exit_code: 0,
    when: s.taken_at,
    platform: "linux",
    is_admin: false,
    notes: [],
  };
  SnapshotReportSchema.parse(snap);
  assert.match(renderText(snap), /^memory on linux \(not admin\): used 75\.0%/);
});
