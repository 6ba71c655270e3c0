/**
 * `memoryoss relief …` end to end through a child process (tests/relief/_cli_entry.ts runs
 * cli/relief.ts the way main.ts will): JSON validated against the schema, history written
 * only when asked, and the exit code of every failure path.
 */
import assert from "node:assert/strict";
import { type HistoryEntry, ReportSchema, SnapshotReportSchema } from "../../lib/relief/mod.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";

const ENTRY = new URL("./_cli_entry.ts", import.meta.url).pathname;
const notLinux = onlyOn("linux");
// Keep the parent's module cache even when a test changes HOME (else the child re-downloads).
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

async function cli(
  args: string[],
  env: Record<string, string>,
  perms = ["-A"],
): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...perms, ENTRY, ...args],
    env: { NO_COLOR: "1", DENO_DIR, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: o.code, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
}

async function withHome(fn: (env: Record<string, string>, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "relief-cli-" });
  try {
    await fn({ MEMORYOSS_HOME: `${dir}/home`, XDG_CONFIG_HOME: `${dir}/xdg`, HOME: dir }, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// Gentle real runs on a shared machine (tests run in parallel): no process is big enough to be
// trimmed (a real trim would page out other tests' processes) and memory.reclaim asks for 1 MB.
const GENTLE = ["--min-ws-mb", "1000000", "--reclaim-mb", "1"];

Deno.test(
  skipIf(notLinux, "cli: --snap --compact prints one valid JSON line"),
  async () => {
    await withHome(async (env, dir) => {
      const r = await cli(["--snap", "--compact"], env);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out.trim().split("\n").length, 1);
      const report = SnapshotReportSchema.parse(JSON.parse(r.out));
      assert.equal(report.mode, "snapshot");
      const total = Number(/MemTotal:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/meminfo"))![1]) *
        1024;
      assert.ok(Math.abs(report.total_gb - total / 2 ** 30) < 0.001, "the snapshot is top-level");
      assert.equal(
        await Deno.stat(`${dir}/home`).catch(() => null),
        null,
        "a snapshot writes nothing",
      );
    });
  },
);

Deno.test(
  skipIf(notLinux, "cli: agent-style run writes nothing; a normal run records history"),
  async () => {
    await withHome(async (env, dir) => {
      const agent = await cli(
        ["--tier=safe", "--json", "--no-history", "--compact", "--quiet", ...GENTLE],
        env,
      );
      assert.ok(agent.code === 0 || agent.code === 1, agent.err);
      const a = ReportSchema.parse(JSON.parse(agent.out));
      assert.equal(a.exit_code, agent.code, "exit code and exit_code agree");
      assert.equal(a.exit_status, ["ok", "partial"][agent.code], "Memoria's string for it");
      assert.equal(a.history_persisted, false);
      assert.equal(await Deno.stat(`${dir}/home/relief`).catch(() => null), null);

      const run = await cli(["--json", ...GENTLE], env);
      const r = ReportSchema.parse(JSON.parse(run.out));
      assert.equal(r.history_persisted, true);
      assert.equal(r.tier_requested, "safe");
      const hist = await cli(["history", "--json"], env);
      assert.equal(hist.code, 0, hist.err);
      const entries: HistoryEntry[] = JSON.parse(hist.out);
      assert.equal(entries.length, 1);
      assert.equal(entries[0].when, r.when);
      const state = JSON.parse(await Deno.readTextFile(`${dir}/home/relief/state.json`));
      assert.equal(state.last_run.when, r.when);
      const text = await cli(["history"], env);
      assert.match(text.out, /relief safe +(ok \(exit 0\)|partial \(exit 1\))/);
      const dry = await cli(["--dry-run", "--tier", "aggressive"], env);
      assert.equal(dry.code, 0, dry.err);
      assert.match(dry.out, /\(dry run\)/);
    });
  },
);

Deno.test("cli: invalid arguments exit 3 with one line on stderr", async () => {
  await withHome(async (env) => {
    const cases: string[][] = [
      ["--tier=bogus"],
      ["--nope"],
      ["extra"],
      ["--pid", "abc"],
      ["--min-ws-mb", "-5"],
      ["--settle", "5x"],
      ["auto", "--tier", "aggressive"],
      ["auto", "--threshold", "150"],
      ["auto", "--threshold", "0"],
      ["schedule"],
      ["schedule", "frobnicate"],
      ["schedule", "install", "--every", "30s"],
      ["schedule", "install", "--tier", "aggressive", "--print"],
      ["history", "-n", "0"],
      ["history", "-n", "abc"],
      ["--exclude-foreground", "--no-exclude-foreground"],
      ["state", "--exclude-foreground", "--no-exclude-foreground"],
      ["state", "extra"],
    ];
    for (const args of cases) {
      const r = await cli(args, env);
      assert.equal(r.code, 3, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, /^memoryoss: error: /, args.join(" "));
      assert.equal(r.out, "", `${args.join(" ")}: nothing on stdout`);
      assert.ok(!r.err.includes("    at "), "no stack trace");
    }
    const json = await cli(["--json", "--tier=x"], env);
    assert.equal(json.code, 3);
    assert.equal(JSON.parse(json.err).error.code, "INVALID_INPUT");
  });
});

// Exactly relief's permission set (what main.ts leaves after narrowing): no -A, no net/run.
const RELIEF_PERMS = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys", "--allow-ffi"];

Deno.test(skipIf(notLinux, "cli: works with only relief's permissions"), async () => {
  await withHome(async (env) => {
    const snap = await cli(["--snap", "--compact"], env, RELIEF_PERMS);
    assert.equal(snap.code, 0, snap.err);
    assert.ok(SnapshotReportSchema.parse(JSON.parse(snap.out)).total_gb > 0);
    const run = await cli(["--tier=safe", "--compact", ...GENTLE], env, RELIEF_PERMS);
    assert.ok(run.code === 0 || run.code === 1, run.err);
    assert.equal(ReportSchema.parse(JSON.parse(run.out)).history_persisted, true);
  });
});

Deno.test(
  skipIf(notLinux, "cli: a memory API that cannot load is a failure (exit 2)"),
  async () => {
    await withHome(async (env) => {
      const r = await cli(
        ["--snap", "--json"],
        env,
        RELIEF_PERMS.filter((p) => p !== "--allow-ffi"),
      );
      assert.equal(r.code, 2, r.err);
      assert.equal(r.out, "");
      assert.equal(JSON.parse(r.err).error.code, "UNAVAILABLE");
      assert.match(JSON.parse(r.err).error.message, /cannot load the linux memory API/);
    });
  },
);

Deno.test(
  skipIf(notLinux, "cli: schedule --print shows, install writes, remove deletes"),
  async () => {
    await withHome(async (env, dir) => {
      const unit = `${dir}/xdg/systemd/user`;
      const print = await cli(["schedule", "install", "--every", "15m", "--print"], env);
      assert.equal(print.code, 0, print.err);
      assert.match(print.out, /would write .*memoryoss-relief\.timer/);
      assert.match(print.out, /OnUnitActiveSec=15min/);
      assert.equal(await Deno.stat(unit).catch(() => null), null, "--print writes nothing");
      const install = await cli(["schedule", "install", "--every", "15m", "--json"], env);
      assert.equal(install.code, 0, install.err);
      assert.equal(JSON.parse(install.out).written, true);
      assert.match(
        await Deno.readTextFile(`${unit}/memoryoss-relief.service`),
        /relief --tier=safe --json/,
      );
      assert.equal(
        await Deno.readLink(`${unit}/timers.target.wants/memoryoss-relief.timer`),
        `${unit}/memoryoss-relief.timer`,
      );
      const show = await cli(["schedule", "show", "--json"], env);
      assert.equal(JSON.parse(show.out).installed, true);
      const remove = await cli(["schedule", "remove"], env);
      assert.equal(remove.code, 0, remove.err);
      assert.match(remove.out, /systemctl --user stop memoryoss-relief\.timer/);
      assert.deepEqual([...Deno.readDirSync(unit)].filter((e) => !e.isDirectory), []);
      const shown = await cli(["schedule", "show"], env);
      assert.match(shown.out, /no relief schedule is installed/);
    });
  },
);

Deno.test("cli: --help exits 0 for every subcommand", async () => {
  await withHome(async (env) => {
    for (
      const args of [
        ["--help"],
        ["auto", "--help"],
        ["schedule", "--help"],
        ["history", "-h"],
        ["state", "--help"],
      ]
    ) {
      const r = await cli(args, env);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^memoryoss relief/);
    }
    const state = await cli(["state", "--help"], env);
    assert.match(state.out, /Examples:\n {2}memoryoss relief state --json/);
  });
});

Deno.test(
  skipIf(notLinux, "cli: the foreground toggle and the whitelist persist in state.json"),
  async () => {
    await withHome(async (env, dir) => {
      const file = `${dir}/home/relief/state.json`;
      // Gentle real runs: no process is big enough to trim, memory.reclaim asks for 1 MB.
      const fresh = await cli(["state", "--json"], env);
      assert.equal(fresh.code, 0, fresh.err);
      const shown = JSON.parse(fresh.out);
      assert.equal(shown.exclude_foreground_enabled, true, "Memoria's default: spare it");
      assert.deepEqual(shown.whitelist, []);
      assert.equal(await Deno.stat(file).catch(() => null), null, "showing writes nothing");

      // A run that records history saves the flags it was given …
      const off = await cli(
        [
          "--tier=safe",
          "--compact",
          "--no-exclude-foreground",
          "--whitelist",
          "game.exe,obs64",
          ...GENTLE,
        ],
        env,
      );
      assert.ok(off.code === 0 || off.code === 1, off.err);
      assert.equal(JSON.parse(off.out).report.exclude_foreground, false);
      const saved = JSON.parse(await Deno.readTextFile(file));
      assert.equal(saved.exclude_foreground_enabled, false);
      assert.deepEqual(saved.whitelist, ["game.exe", "obs64"]);

      // … and later runs without flags use them.
      const later = JSON.parse(
        (await cli(["--tier=safe", "--compact", "--no-history", ...GENTLE], env)).out,
      );
      assert.equal(later.report.exclude_foreground, false);
      assert.deepEqual(later.report.whitelist, ["game.exe", "obs64"]);
      assert.equal(later.report.foreground_excluded, null, "toggle off: nothing spared");

      // `relief state` sets them without a run; the text view shows them.
      const on = await cli(["state", "--exclude-foreground", "--whitelist", ""], env);
      assert.equal(on.code, 0, on.err);
      assert.match(on.out, /exclude foreground {2}on/);
      assert.match(on.out, /whitelist {11}\(empty\)/);
      const after = JSON.parse(await Deno.readTextFile(file));
      assert.deepEqual([after.exclude_foreground_enabled, after.whitelist], [true, []]);
      assert.equal(after.last_run.exit_status, JSON.parse(off.out).exit_status, "kept");

      // A dry run or --no-history never saves flags.
      await cli(["--dry-run", "--no-exclude-foreground"], env);
      await cli(["--no-history", "--no-exclude-foreground", "--quiet", ...GENTLE], env);
      assert.equal(JSON.parse(await Deno.readTextFile(file)).exclude_foreground_enabled, true);
    });
  },
);
