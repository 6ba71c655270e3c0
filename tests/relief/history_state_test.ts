/** history.jsonl (append, rotate, read back, torn lines) and state.json (atomic, defaults). */
import assert from "node:assert/strict";
import {
  appendHistory,
  emptyState,
  HISTORY_FILE,
  HISTORY_ROTATED,
  type HistoryEntry,
  historyLine,
  loadState,
  readHistory,
  saveState,
  STATE_CORRUPT,
  STATE_FILE,
  withSettings,
} from "../../lib/relief/mod.ts";

const entry = (i: number): HistoryEntry => ({
  when: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  mode: "memory_relief",
  trigger: "manual",
  platform: "linux",
  tier_requested: "safe",
  tier_effective: "safe",
  dry_run: false,
  exit_status: "ok",
  exit_code: 0,
  freed_mb: i,
  elapsed_ms: 5,
  before: { used_pct: 80, available_gb: 3 },
  after: { used_pct: 79, available_gb: 3.2 },
  stages: [{ name: "process_trim", status: "ok", reason: null, freed_mb: i }],
  trimmed: 1,
});

Deno.test("history: append, read the last n, rotate by size", async () => {
  const dir = `${await Deno.makeTempDir()}/relief`;
  try {
    assert.deepEqual(await readHistory(dir, 5), [], "no file yet");
    for (let i = 0; i < 5; i++) await appendHistory(dir, entry(i));
    assert.deepEqual((await readHistory(dir, 3)).map((e) => e.freed_mb), [2, 3, 4]);
    assert.equal((await Deno.stat(`${dir}/${HISTORY_FILE}`)).mode! & 0o777, 0o600);
    // A tiny limit forces a rotation on the next append; reading spans both files.
    await appendHistory(dir, entry(5), 10);
    assert.ok((await Deno.stat(`${dir}/${HISTORY_ROTATED}`)).size > 0);
    assert.equal((await Deno.readTextFile(`${dir}/${HISTORY_FILE}`)).trim().split("\n").length, 1);
    assert.deepEqual((await readHistory(dir, 4)).map((e) => e.freed_mb), [2, 3, 4, 5]);
    // A torn last line (a crash mid-write) does not hide the others.
    await Deno.writeTextFile(`${dir}/${HISTORY_FILE}`, '{"when":"x', { append: true });
    assert.equal((await readHistory(dir, 2)).at(-1)!.freed_mb, 5);
    assert.match(
      historyLine(entry(7)),
      /relief safe +ok \(exit 0\) {2}available 3\.00 → 3\.20 GB \(\+7 MB\) {2}1 trimmed/,
    );
  } finally {
    await Deno.remove(dir.replace(/\/relief$/, ""), { recursive: true });
  }
});

Deno.test("state: defaults, round trip, corrupt file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await loadState(dir), emptyState());
    const s = emptyState();
    s.auto = { last_clean_at: "2025-01-01T00:00:00.000Z", cooldown_ms: 60000, low_yield_streak: 2 };
    await saveState(dir, s);
    assert.deepEqual(await loadState(dir), s);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      [STATE_FILE],
      "no temp file left",
    );
    await Deno.writeTextFile(`${dir}/${STATE_FILE}`, "{not json");
    assert.deepEqual(await loadState(dir), emptyState());
    await saveState(dir, emptyState());
    assert.equal(
      await Deno.readTextFile(`${dir}/${STATE_CORRUPT}`),
      "{not json",
      "an unreadable state is kept aside, not overwritten",
    );
    await Deno.writeTextFile(`${dir}/${STATE_FILE}`, '{"version":1,"auto":{"cooldown_ms":5}}');
    assert.deepEqual((await loadState(dir)).auto, {
      last_clean_at: null,
      cooldown_ms: 5,
      low_yield_streak: 0,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history: lines written before the Memoria vocabulary read back in today's form", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const old = {
      when: "2025-01-01T00:00:00.000Z",
      mode: "auto",
      platform: "linux",
      tier_requested: "safe",
      tier_effective: "safe",
      dry_run: false,
      exit_status: 1,
      freed_mb: 3,
      elapsed_ms: 5,
      before: { used_pct: 80, available_gb: 3 },
      after: null,
      stages: [],
      trimmed: 0,
    };
    await Deno.writeTextFile(`${dir}/${HISTORY_FILE}`, JSON.stringify(old) + "\n");
    const [e] = await readHistory(dir, 1);
    assert.deepEqual(
      [e.mode, e.trigger, e.exit_status, e.exit_code],
      ["memory_relief", "auto", "partial", 1],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("state: Memoria's foreground toggle and the whitelist persist", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fresh = await loadState(dir);
    assert.equal(fresh.exclude_foreground_enabled, true, "spare the foreground by default");
    assert.deepEqual(fresh.whitelist, []);
    await saveState(dir, withSettings(fresh, { excludeForeground: false, whitelist: ["a.exe"] }));
    const raw = JSON.parse(await Deno.readTextFile(`${dir}/${STATE_FILE}`));
    assert.equal(raw.exclude_foreground_enabled, false, "Memoria's key name on disk");
    assert.deepEqual(raw.whitelist, ["a.exe"]);
    const kept = withSettings(await loadState(dir), { whitelist: undefined });
    assert.deepEqual([kept.exclude_foreground_enabled, kept.whitelist], [false, ["a.exe"]]);
    // A state written before the toggle existed, with an integer exit status, still loads.
    await Deno.writeTextFile(
      `${dir}/${STATE_FILE}`,
      JSON.stringify({
        version: 1,
        last_run: { when: "x", mode: "relief", tier: "safe", exit_status: 0, freed_mb: 1 },
      }),
    );
    const s = await loadState(dir);
    assert.equal(s.exclude_foreground_enabled, true);
    assert.deepEqual(
      [s.last_run!.mode, s.last_run!.trigger, s.last_run!.exit_status, s.last_run!.exit_code],
      ["memory_relief", "manual", "ok", 0],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
