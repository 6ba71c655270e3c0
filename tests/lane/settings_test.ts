/**
 * cmmd's settings: names, defaults and parsing (spec §4.6), and the precedence flag > env >
 * ./.env > <state-dir>/lane.toml > default — unit-level, then through main.ts with a temp
 * `.env` as a user would set one up.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveSettings, type SettingLayers } from "../../lib/lane/mod.ts";
import { copyFixture, runLane, tempDir } from "./_support.ts";

const CTX = {
  env: (k: string) => ({ HOME: "/home/me" } as Record<string, string>)[k],
  cwd: "/home/me/app",
  stateDir: "/m/lane",
};
const layers = (over: Partial<SettingLayers> = {}): SettingLayers => ({
  flags: {},
  env: () => undefined,
  dotenv: {},
  config: {},
  ...over,
});

Deno.test("settings: cmmd's defaults when nothing is set", () => {
  const { values, sources } = resolveSettings(layers(), CTX);
  assert.deepEqual(values, {
    MEMORY_ROOT: "/home/me/.claude/projects/-home-me-app/memory",
    MEMORY_ROOTS: [],
    TICK_INTERVAL_SEC: 900,
    MIN_IDLE_SEC: 300,
    MAX_TICK_SECONDS: 600,
    DRY_RUN: true,
    GIT_TRACK_MEMORY: true,
    MODEL: "claude-haiku-4-5-20251001",
    MAX_TURNS: 12,
    CLAUDE_BIN: "claude",
    AUTHMUX_BIN: "authmux",
    CLAUDE_ACCOUNTS_DIR: "/home/me/.claude-accounts",
    CLAUDE_CONFIG_DIR: null,
    STATE_FILE: "/m/lane/state.json",
    HISTORY_FILE: "/m/lane/history.jsonl",
    METRICS_BIND: "127.0.0.1:9601",
    WEBHOOK_URL: "",
    LOG_FILE: "/m/lane/tend.log",
    PID_FILE: null,
    LOCK_FILE: "/m/lane/tend.lock",
    STATUS_SOCK: Deno.build.os === "windows" ? "/m/lane/ctl.json" : "/m/lane/ctl.sock",
    CMMD_LOG: "info",
    CMMD_REPO: ".",
  });
  assert.ok(Object.values(sources).every((s) => s === "default"));
});

Deno.test("settings: the first layer that has a key wins — flag, env, .env, config", () => {
  const r = resolveSettings(
    layers({
      flags: { TICK_INTERVAL_SEC: "60" },
      env: (k) => ({ TICK_INTERVAL_SEC: "61", MIN_IDLE_SEC: "62" } as Record<string, string>)[k],
      dotenv: { TICK_INTERVAL_SEC: "63", MIN_IDLE_SEC: "64", MAX_TURNS: "65" },
      config: { TICK_INTERVAL_SEC: "66", MIN_IDLE_SEC: "67", MAX_TURNS: "68", MODEL: "m-config" },
    }),
    CTX,
  );
  const got = (k: "TICK_INTERVAL_SEC" | "MIN_IDLE_SEC" | "MAX_TURNS" | "MODEL" | "CMMD_LOG") => [
    r.values[k],
    r.sources[k],
  ];
  assert.deepEqual(got("TICK_INTERVAL_SEC"), [60, "flag"]);
  assert.deepEqual(got("MIN_IDLE_SEC"), [62, "env"]);
  assert.deepEqual(got("MAX_TURNS"), [65, ".env"]);
  assert.deepEqual(got("MODEL"), ["m-config", "config"]);
  assert.deepEqual(got("CMMD_LOG"), ["info", "default"]);
});

Deno.test("settings: cmmd's parsing — booleans, numbers, roots, bind and webhook", async (t) => {
  const one = (env: Record<string, string>) => resolveSettings(layers({ env: (k) => env[k] }), CTX);
  await t.step("a boolean is false only for false, 0, no, off", () => {
    for (const [raw, want] of [["false", false], ["0", false], ["no", false], ["OFF", false]]) {
      assert.equal(one({ DRY_RUN: raw as string }).values.DRY_RUN, want, raw as string);
    }
    for (const raw of ["", "true", "1", "maybe"]) {
      assert.equal(one({ DRY_RUN: raw }).values.DRY_RUN, true, `'${raw}'`);
    }
  });
  await t.step("a number that does not parse falls back, and is named", () => {
    const r = one({ TICK_INTERVAL_SEC: "soon", MAX_TURNS: "-3" });
    assert.deepEqual([r.values.TICK_INTERVAL_SEC, r.values.MAX_TURNS], [900, 12]);
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0], /^TICK_INTERVAL_SEC='soon' \(env\) is not valid/);
  });
  await t.step("MEMORY_ROOTS is a path list; the primary root is dropped from it", () => {
    const sep = Deno.build.os === "windows" ? ";" : ":";
    const r = one({ MEMORY_ROOT: "/a", MEMORY_ROOTS: ["/b", "/a", "", "/c", "/b"].join(sep) });
    assert.deepEqual([r.values.MEMORY_ROOT, r.values.MEMORY_ROOTS], ["/a", ["/b", "/c"]]);
  });
  await t.step("METRICS_BIND empty disables; WEBHOOK_URL must be plain http", () => {
    assert.equal(one({ METRICS_BIND: "" }).values.METRICS_BIND, "");
    assert.equal(one({ METRICS_BIND: "[::1]:9700" }).values.METRICS_BIND, "[::1]:9700");
    assert.equal(one({ METRICS_BIND: "nope" }).values.METRICS_BIND, "127.0.0.1:9601");
    assert.equal(one({ WEBHOOK_URL: "http://h:81/x" }).values.WEBHOOK_URL, "http://h:81/x");
    assert.equal(one({ WEBHOOK_URL: "https://h/x" }).values.WEBHOOK_URL, "");
  });
});

Deno.test("lane through main.ts: ./.env and lane.toml are read; doctor names each source", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  const other = join(dir.path, "other memory");
  await Deno.mkdir(root);
  await Deno.mkdir(other);
  await copyFixture(root);
  const state = join(dir.path, "home", "lane");
  await Deno.mkdir(state, { recursive: true });
  await Deno.writeTextFile(
    join(dir.path, ".env"),
    [
      "# as a cmmd user writes it",
      `MEMORY_ROOT=${other}`,
      "DRY_RUN=off",
      "TICK_INTERVAL_SEC=120",
      "MIN_IDLE_SEC=7",
      "MAX_TURNS=5",
      'MODEL="claude-from-dotenv"',
      "CLAUDE_BIN=/bin/sh",
      "",
    ].join("\n"),
  );
  await Deno.writeTextFile(
    join(state, "lane.toml"),
    'max_turns = 9\nMAX_TICK_SECONDS = 42\ncmmd_log = "error"\n',
  );
  const env = { MEMORYOSS_HOME: join(dir.path, "home"), HOME: dir.path, MIN_IDLE_SEC: "0" };

  const doc = await runLane(["doctor", "--json", "--memory-root", root], env, dir.path);
  assert.equal(doc.code, 0, doc.stderr + doc.stdout);
  const s = JSON.parse(doc.stdout).settings;
  const pick = (k: string) => [s[k].value, s[k].source];
  assert.deepEqual(pick("MEMORY_ROOT"), [root, "flag"]);
  assert.deepEqual(pick("MIN_IDLE_SEC"), [0, "env"]);
  assert.deepEqual(pick("TICK_INTERVAL_SEC"), [120, ".env"]);
  assert.deepEqual(pick("DRY_RUN"), [false, ".env"]);
  assert.deepEqual(pick("MODEL"), ["claude-from-dotenv", ".env"]);
  assert.deepEqual(pick("MAX_TURNS"), [5, ".env"]);
  assert.deepEqual(pick("MAX_TICK_SECONDS"), [42, "config"]);
  assert.deepEqual(pick("CMMD_LOG"), ["error", "config"]);
  assert.deepEqual(pick("GIT_TRACK_MEMORY"), [true, "default"]);
  assert.deepEqual(pick("CLAUDE_ACCOUNTS_DIR"), [join(dir.path, ".claude-accounts"), "default"]);
  assert.deepEqual(pick("HISTORY_FILE"), [join(state, "history.jsonl"), "default"]);

  // .env's MEMORY_ROOT is the folder `lane audit` reads when no flag is given.
  const audit = await runLane(["audit", "--json"], env, dir.path);
  assert.equal(JSON.parse(audit.stdout).root, other);

  // DRY_RUN=off from .env: the tick runs live (a snapshot is taken, fixes are applied).
  const tick = await runLane(
    ["tend", "--once", "--agent", "none", "--no-metrics", "--memory-root", root],
    env,
    dir.path,
  );
  assert.equal(tick.code, 0, tick.stderr);
  const [rec] = (await Deno.readTextFile(join(state, "history.jsonl"))).trim().split("\n").map((
    l,
  ) => JSON.parse(l));
  assert.equal(rec.dry_run, false);
  assert.match(rec.pre_tick_sha, /^[0-9a-f]{40}$/);
  assert.doesNotMatch(tick.stderr, / info /, "CMMD_LOG=error (lane.toml) drops the info lines");
  assert.match(tick.stderr, /^lane tend: metrics off/m);
});

Deno.test("lane through main.ts: a bad lane.toml is exit 3 with one line naming file and key", async () => {
  await using dir = await tempDir();
  const state = join(dir.path, "lane");
  await Deno.mkdir(state);
  await Deno.writeTextFile(join(state, "lane.toml"), "TICK_INTERVAL = 5\n");
  const r = await runLane(["history"], { MEMORYOSS_HOME: dir.path }, dir.path);
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stderr,
    /^memoryoss: error: .*lane\.toml: TICK_INTERVAL: unknown setting \(one of: MEMORY_ROOT, /,
  );
  assert.equal(r.stderr.trim().split("\n").length, 1);
});
