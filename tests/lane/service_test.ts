/**
 * `lane service install|remove|status`: `lane tend` as a systemd user unit, a launchd agent or
 * a logon task, written through lib/schedule. The plist and task XML are read back by Python's
 * plistlib / ElementTree (outside oracles); the Linux CLI runs with a fake `systemctl`, and the
 * unit's own ExecStart is run to prove it starts the lane.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { laneServiceJob } from "../../lib/lane/mod.ts";
import { planJob, utf16leBom } from "../../lib/schedule/mod.ts";
import { hasCommand, onlyOn, skipIf } from "../_support/skip.ts";
import { cliWith } from "../cli/_helpers.ts";
import { copyFixture, script, tempDir } from "./_support.ts";

const PROGRAM = { execPath: "/usr/bin/memoryoss", mainModule: "file:///$deno$/main.ts" };
const job = (os: string) =>
  laneServiceJob({
    home: "/home/me/.memoryoss",
    program: { ...PROGRAM, os },
    denoFlags: [],
    workingDir: "/home/me/app",
  }, ["--agent", "none"]);
const ctx = (os: string) => ({
  os,
  env: (k: string) =>
    ({ HOME: "/home/me", XDG_CONFIG_HOME: "/home/me/.config" } as Record<string, string>)[k],
  now: new Date(2030, 0, 1),
});
const py = await hasCommand("python3");

Deno.test("lane service on Linux: a Type=simple user unit, restarted, wanted by default.target", () => {
  const plan = planJob(ctx("linux"), job("linux"));
  assert.deepEqual(plan.files.map((f) => f.path), [
    "/home/me/.config/systemd/user/memoryoss-lane.service",
  ]);
  assert.equal(
    plan.files[0].content,
    [
      "[Unit]",
      "Description=memoryoss lane tend: keep Claude Code's memory folder tidy",
      "",
      "[Service]",
      "Type=simple",
      "Environment=MEMORYOSS_HOME=/home/me/.memoryoss",
      "WorkingDirectory=/home/me/app",
      "ExecStart=/usr/bin/memoryoss lane tend --agent none",
      "Nice=10",
      "Restart=on-failure",
      "RestartSec=30",
      "",
      "[Install]",
      "WantedBy=default.target",
      "",
    ].join("\n"),
  );
  assert.deepEqual(plan.links, [{
    path: "/home/me/.config/systemd/user/default.target.wants/memoryoss-lane.service",
    target: "/home/me/.config/systemd/user/memoryoss-lane.service",
  }]);
  assert.deepEqual(plan.activate, [
    ["systemctl", "--user", "daemon-reload"],
    ["systemctl", "--user", "restart", "memoryoss-lane.service"],
  ]);
});

/** Run a Python snippet on stdin bytes; its stdout parsed as JSON. */
async function python(code: string, input: Uint8Array): Promise<unknown> {
  const child = new Deno.Command("python3", {
    args: ["-c", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(input);
  await w.close();
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test(
  skipIf(!py && "needs python3 (plistlib)", "lane service on macOS: a KeepAlive launchd agent"),
  async () => {
    const [file] = planJob(ctx("darwin"), job("darwin")).files;
    assert.equal(file.path, "/home/me/Library/LaunchAgents/com.memoryoss.lane.plist");
    const plist = await python(
      "import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))",
      new TextEncoder().encode(file.content),
    );
    assert.deepEqual(plist, {
      Label: "com.memoryoss.lane",
      ProgramArguments: ["/usr/bin/memoryoss", "lane", "tend", "--agent", "none"],
      EnvironmentVariables: { MEMORYOSS_HOME: "/home/me/.memoryoss" },
      WorkingDirectory: "/home/me/app",
      KeepAlive: true,
      RunAtLoad: true,
      ProcessType: "Background",
      LowPriorityIO: true,
      Nice: 10,
      StandardOutPath: "/home/me/.memoryoss/lane/memoryoss-lane.log",
      StandardErrorPath: "/home/me/.memoryoss/lane/memoryoss-lane.log",
    });
  },
);

Deno.test(
  skipIf(!py && "needs python3 (ElementTree)", "lane service on Windows: a logon task, no limit"),
  async () => {
    const [file] = planJob(ctx("windows"), job("windows")).files;
    assert.equal(file.utf16, true);
    const bytes = utf16leBom(file.content); // the bytes install writes
    const task = await python(
      [
        "import sys,json,xml.etree.ElementTree as E",
        "ns={'t':'http://schemas.microsoft.com/windows/2004/02/mit/task'}",
        "r=E.fromstring(sys.stdin.buffer.read().decode('utf-16'))",
        "g=lambda p:[e.tag.split('}')[1] for e in r.find(p,ns)]",
        "t=lambda p:r.find(p,ns).text",
        "print(json.dumps({'triggers':g('t:Triggers'),'limit':t('t:Settings/t:ExecutionTimeLimit'),",
        "'restart':t('t:Settings/t:RestartOnFailure/t:Count'),",
        "'cmd':t('t:Actions/t:Exec/t:Command'),'args':t('t:Actions/t:Exec/t:Arguments'),",
        "'cwd':t('t:Actions/t:Exec/t:WorkingDirectory')}))",
      ].join("\n"),
      bytes,
    );
    assert.deepEqual(task, {
      triggers: ["LogonTrigger"],
      limit: "PT0S",
      restart: "3",
      cmd: "/usr/bin/memoryoss",
      args: "lane tend --agent none",
      cwd: "/home/me/app",
    });
  },
);

const FAKE_SYSTEMCTL = `#!/bin/sh
echo "$*" >> "$(dirname "$0")/calls.log"
case "$2" in is-active) echo active;; esac
exit 0
`;

Deno.test(
  skipIf(onlyOn("linux"), "lane service (CLI): --print, install, status, remove; the unit runs"),
  async () => {
    await using dir = await tempDir();
    const bin = join(dir.path, "bin");
    await Deno.mkdir(bin);
    await script(bin, "systemctl", FAKE_SYSTEMCTL);
    const work = join(dir.path, "project");
    await Deno.mkdir(work);
    const home = join(dir.path, "home");
    const env = {
      XDG_CONFIG_HOME: join(dir.path, "xdg"),
      HOME: dir.path,
      PATH: `${bin}:${Deno.env.get("PATH")}`,
    };
    const lane = (...args: string[]) =>
      cliWith(home, { env, cwd: work }, "lane", "service", ...args);
    const unit = join(dir.path, "xdg", "systemd", "user", "memoryoss-lane.service");
    const exists = (p: string) => Deno.lstat(p).then(() => true, () => false);

    const printed = await lane("install", "--print", "--", "--agent", "none");
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, new RegExp(`^── would write ${unit}\n\\[Unit\\]\n`));
    assert.match(printed.stdout, /\nThen load it with:\n {2}systemctl --user daemon-reload\n/);
    assert.equal(await exists(unit), false, "--print writes nothing");

    assert.equal((await lane("install", "--", "--once")).code, 3);
    assert.equal((await lane("install", "--", "--bogus")).code, 3);
    assert.equal((await lane("status", "--print")).code, 3);

    const inst = await lane("install", "--json", "--", "--agent", "none", "--no-metrics");
    assert.equal(inst.code, 0, inst.stderr);
    assert.equal(inst.json().activated, true);
    const text = await Deno.readTextFile(unit);
    assert.match(text, new RegExp(`^WorkingDirectory=${work}$`, "m"));
    assert.match(text, new RegExp(`^Environment=MEMORYOSS_HOME=${home}$`, "m"));
    const exec = /^ExecStart=(.*)$/m.exec(text)![1].split(" ");
    const lanePerms = ["read", "write", "env", "net", "ffi", "run"].map((p) => `--allow-${p}`);
    assert.deepEqual(exec.slice(1), [
      "run",
      ...lanePerms,
      new URL("../../main.ts", import.meta.url).pathname,
      "lane",
      "tend",
      "--agent",
      "none",
      "--no-metrics",
    ]);
    assert.equal(
      await exists(join(dir.path, "xdg/systemd/user/default.target.wants/memoryoss-lane.service")),
      true,
    );

    const st = await lane("status", "--json");
    assert.deepEqual([st.json().installed, st.json().scheduler.state], [true, "active"]);

    // What systemd would start: the unit's ExecStart, in its directory, with its environment.
    const root = join(work, "memory");
    await Deno.mkdir(root);
    await copyFixture(root);
    const run = await new Deno.Command(exec[0], {
      args: [...exec.slice(1), "--once", "--min-idle", "0", "--memory-root", root],
      cwd: work,
      env: { MEMORYOSS_HOME: home },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    assert.match(await Deno.readTextFile(join(home, "lane", "history.jsonl")), /"ran":false/);

    const rm = await lane("remove");
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(await exists(unit), false);
    assert.deepEqual((await Deno.readTextFile(join(bin, "calls.log"))).trim().split("\n"), [
      "--user daemon-reload",
      "--user restart memoryoss-lane.service",
      "--user is-active memoryoss-lane.service",
      "--user stop memoryoss-lane.service",
      "--user daemon-reload",
    ]);
    const after = await lane("status");
    assert.match(after.stdout, /^lane service not installed \(linux\)\nscheduler inactive/);
  },
);
