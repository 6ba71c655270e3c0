/**
 * The periodic drain worker: rendered units / plist / task XML per OS (the important lines),
 * install and remove with a fake scheduler runner, and the real CLI with no `systemctl` on the
 * PATH (files still written and removed, a clear message) plus `worker status` reporting the
 * last drain run.
 */
import assert from "node:assert/strict";
import {
  drainCommand,
  installWorker,
  planWorker,
  removeWorker,
  type Runner,
  type WorkerContext,
} from "../../lib/worker/mod.ts";
import { cliWith } from "../cli/_helpers.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";

const compiled = {
  execPath: "/opt/m/memoryoss",
  mainModule: "file:///$deno$/main.ts",
  os: "linux",
};

function ctxFor(os: string, dir: string, run?: Runner): WorkerContext & { calls: string[][] } {
  const calls: string[][] = [];
  const env: Record<string, string> = { XDG_CONFIG_HOME: `${dir}/xdg`, HOME: `${dir}/home` };
  return {
    os,
    env: (k) => env[k],
    now: new Date(2025, 5, 1, 12, 0, 0),
    home: `${dir}/mhome`,
    program: { ...compiled, os },
    run: run ?? ((argv) => {
      calls.push(argv);
      return Promise.resolve({ code: 0, output: "" });
    }),
    calls,
  };
}

const missing: Runner = () => Promise.reject(new Deno.errors.NotFound("no such program"));

Deno.test("worker: the drain command, from a binary and from source", () => {
  assert.deepEqual(drainCommand(compiled), ["/opt/m/memoryoss", "drain", "--once", "--json"]);
  const src = drainCommand({
    execPath: "/usr/bin/deno",
    mainModule: "file:///src/main.ts",
    os: "linux",
    config: "/c.toml",
  });
  assert.deepEqual(src, [
    "/usr/bin/deno",
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-net",
    "/src/main.ts",
    "--config",
    "/c.toml",
    "drain",
    "--once",
    "--json",
  ]);
});

Deno.test("worker: linux systemd user timer + service", () => {
  const plan = planWorker(ctxFor("linux", "/t"), 5 * 60_000);
  const [svc, timer] = plan.files;
  assert.equal(svc.path, "/t/xdg/systemd/user/memoryoss-drain.service");
  assert.equal(timer.path, "/t/xdg/systemd/user/memoryoss-drain.timer");
  assert.match(svc.content, /^Type=oneshot$/m);
  assert.match(svc.content, /^ExecStart=\/opt\/m\/memoryoss drain --once --json$/m);
  assert.match(svc.content, /^Environment=MEMORYOSS_HOME=\/t\/mhome$/m);
  assert.match(svc.content, /^SuccessExitStatus=1$/m);
  assert.match(timer.content, /^OnUnitActiveSec=5min$/m);
  assert.match(timer.content, /^Unit=memoryoss-drain\.service$/m);
  assert.match(timer.content, /^WantedBy=timers\.target$/m);
  assert.deepEqual(plan.links, [{
    path: "/t/xdg/systemd/user/timers.target.wants/memoryoss-drain.timer",
    target: timer.path,
  }]);
  assert.deepEqual(plan.activate, [
    ["systemctl", "--user", "daemon-reload"],
    ["systemctl", "--user", "start", "memoryoss-drain.timer"],
  ]);
});

Deno.test("worker: macOS launchd agent", () => {
  const plan = planWorker(ctxFor("darwin", "/t"), 10 * 60_000);
  const [plist] = plan.files;
  assert.equal(plist.path, "/t/home/Library/LaunchAgents/com.memoryoss.drain.plist");
  const c = plist.content;
  assert.match(c, /<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN"/);
  assert.match(c, /<key>Label<\/key>\s*<string>com\.memoryoss\.drain<\/string>/);
  assert.match(
    c,
    /<key>ProgramArguments<\/key>\s*<array>\s*<string>\/opt\/m\/memoryoss<\/string>\s*<string>drain<\/string>\s*<string>--once<\/string>/,
  );
  assert.match(c, /<key>StartInterval<\/key>\s*<integer>600<\/integer>/);
  assert.match(c, /<key>MEMORYOSS_HOME<\/key>\s*<string>\/t\/mhome<\/string>/);
  assert.match(c, /<string>\/t\/mhome\/worker\/memoryoss-drain\.log<\/string>/);
  assert.deepEqual(plan.activate, [["launchctl", "load", "-w", plist.path]]);
  assert.deepEqual(plan.deactivate, [["launchctl", "unload", "-w", plist.path]]);
});

Deno.test("worker: Windows Task Scheduler XML and schtasks", () => {
  const plan = planWorker(ctxFor("windows", "/t"), 15 * 60_000);
  const [xml] = plan.files;
  assert.equal(xml.path, "/t/mhome/worker/memoryoss-drain.xml");
  assert.equal(xml.utf16, true);
  assert.match(xml.content, /<URI>\\memoryoss\\Drain<\/URI>/);
  assert.match(xml.content, /<Interval>PT15M<\/Interval>/);
  assert.match(xml.content, /<RunLevel>LeastPrivilege<\/RunLevel>/);
  assert.match(xml.content, /<ExecutionTimeLimit>PT10M<\/ExecutionTimeLimit>/);
  assert.match(xml.content, /<Command>\/opt\/m\/memoryoss<\/Command>/);
  assert.match(xml.content, /<Arguments>drain --once --json<\/Arguments>/);
  assert.deepEqual(plan.activate, [
    ["schtasks", "/Create", "/XML", xml.path, "/TN", "memoryoss\\Drain", "/F"],
  ]);
});

Deno.test("worker: bad intervals and unsupported OSes are refused", () => {
  assert.throws(() => planWorker(ctxFor("linux", "/t"), 30_000), /between 1m and 24h/);
  assert.throws(() => planWorker(ctxFor("freebsd", "/t"), 300_000), /not freebsd/);
});

Deno.test("worker: install loads through the scheduler; a missing one leaves files and says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "worker-lib-" });
  try {
    const ok = ctxFor("linux", dir);
    const r = await installWorker(ok, 300_000);
    assert.equal(r.activated, true);
    assert.deepEqual(ok.calls, r.commands);
    const dry = await installWorker(ctxFor("linux", `${dir}/dry`), 300_000, true);
    assert.equal(dry.written, false);
    assert.equal(await Deno.stat(`${dir}/dry`).then(() => true, () => false), false);

    const none = ctxFor("linux", dir, missing);
    const again = await installWorker(none, 300_000);
    assert.equal(again.written, true);
    assert.equal(again.activated, false);
    assert.equal(again.steps[0].outcome, "missing");
    assert.match(again.notes[0], /systemctl not found on PATH; the files are written/);
    assert.ok((await Deno.readTextFile(r.files[0].path)).includes("drain --once"));
    const gone = await removeWorker(none);
    assert.equal(gone.removed.length, 3);
    assert.match(gone.notes[0], /systemctl not found.*files are removed/);
    assert.deepEqual((await removeWorker(none)).removed, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  skipIf(
    onlyOn("linux", "Linux only: installs systemd user units"),
    "worker CLI: install/status/remove with no systemctl on PATH; status shows the last drain",
  ),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "worker-cli-" });
    const home = `${dir}/mhome`;
    const env = { XDG_CONFIG_HOME: `${dir}/xdg`, HOME: `${dir}/home`, PATH: `${dir}/empty-path` };
    try {
      await Deno.mkdir(`${dir}/empty-path`);
      const inst = await cliWith(home, { env }, "worker", "install", "--interval", "10m");
      assert.equal(inst.code, 0, inst.stderr);
      assert.match(inst.stdout, /wrote .*memoryoss-drain\.timer/);
      assert.match(inst.stdout, /systemctl not found on PATH; the files are written/);
      assert.match(inst.stdout, /NOT loaded/);
      const unit = `${dir}/xdg/systemd/user`;
      assert.match(
        await Deno.readTextFile(`${unit}/memoryoss-drain.timer`),
        /OnUnitActiveSec=10min/,
      );
      assert.match(
        await Deno.readTextFile(`${unit}/memoryoss-drain.service`),
        /ExecStart=.* drain --once --json$/m,
      );

      let st = (await cliWith(home, { env }, "worker", "status", "--json")).json();
      assert.equal(st.installed, true);
      assert.equal(st.files.length, 3);
      assert.equal(st.scheduler.state, "unknown");
      assert.equal(st.last_run, null);

      assert.equal((await cliWith(home, {}, "remember", "Worker test fact one")).code, 0);
      const d = await cliWith(home, {}, "drain", "--once");
      assert.equal(d.code, 0, d.stderr);
      st = (await cliWith(home, { env }, "worker", "status", "--json")).json();
      assert.equal(st.last_run.outcome, "ok");
      assert.equal(st.last_run.processed, 1);
      assert.ok(Date.parse(st.last_run.finished_at) > Date.now() - 60_000);
      assert.equal(st.queue.pending, 0);
      const text = await cliWith(home, { env }, "worker", "status");
      assert.match(text.stdout, /worker\s+installed/);
      assert.match(text.stdout, /last drain\s+\S+ ok: 1 applied, 0 failed/);

      const dry = await cliWith(home, { env }, "worker", "remove", "--dry-run", "--json");
      assert.equal(dry.json().removed.length, 3);
      const rm = await cliWith(home, { env }, "worker", "remove");
      assert.equal(rm.code, 0, rm.stderr);
      assert.match(rm.stdout, /removed .*memoryoss-drain\.service/);
      assert.match(rm.stdout, /systemctl not found/);
      assert.equal(await Deno.stat(`${unit}/memoryoss-drain.timer`).then(() => 1, () => 0), 0);
      st = (await cliWith(home, { env }, "worker", "status", "--json")).json();
      assert.equal(st.installed, false);

      const printed = await cliWith(home, { env }, "worker", "install", "--print");
      assert.match(printed.stdout, /would write .*memoryoss-drain\.service/);
      assert.equal(await Deno.stat(`${unit}/memoryoss-drain.service`).then(() => 1, () => 0), 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("worker CLI: bad input exits 3; --help works", async () => {
  const home = await Deno.makeTempDir({ prefix: "worker-bad-" });
  try {
    for (
      const args of [
        ["worker"],
        ["worker", "start"],
        ["worker", "install", "--interval", "10s"],
        ["worker", "install", "--interval", "often"],
        ["worker", "status", "--interval", "5m"],
      ]
    ) {
      const r = await cliWith(home, {}, ...args);
      assert.equal(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /memoryoss: error: /);
    }
    const h = await cliWith(home, {}, "worker", "--help");
    assert.equal(h.code, 0);
    assert.match(h.stdout, /worker install \[--interval 5m\]/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
