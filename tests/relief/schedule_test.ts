/**
 * Scheduled runs: the command line, systemd units, Task Scheduler XML (UTF-16LE + BOM,
 * namespace, ISO-8601 interval, RunLevel per tier, argument quoting) and install / remove /
 * show in a temporary XDG config and home (never the real systemd).
 */
import assert from "node:assert/strict";
import {
  applyInstall,
  isoDuration,
  parseDuration,
  planInstall,
  type ProgramInfo,
  reliefCommand,
  removeSchedule,
  renderScheduleText,
  renderSystemdService,
  renderTaskXml,
  type ScheduleContext,
  schtasksCreateArgs,
  schtasksDeleteArgs,
  schtasksSimpleArgs,
  showSchedule,
  utf16leBom,
  windowsArg,
} from "../../lib/relief/mod.ts";

const compiled: ProgramInfo = {
  execPath: "/opt/memoryoss/memoryoss",
  mainModule: "file:///$deno$/main.ts",
  os: "linux",
};
const fromSource: ProgramInfo = {
  execPath: "/usr/bin/deno",
  mainModule: "file:///work/my%20repo/main.ts",
  os: "linux",
};

/** CommandLineToArgvW's rules, to check that quoting round-trips. */
function parseWindowsArgs(line: string): string[] {
  const out: string[] = [];
  let cur = "", inQuotes = false, any = false, i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === "\\") {
      let n = 0;
      while (line[i] === "\\") (n++, i++);
      if (line[i] === '"') {
        cur += "\\".repeat(n >> 1);
        if (n % 2) (cur += '"', i++);
      } else cur += "\\".repeat(n);
      any = true;
      continue;
    }
    if (c === '"') (inQuotes = !inQuotes, any = true);
    else if ((c === " " || c === "\t") && !inQuotes) {
      if (any) out.push(cur);
      cur = "";
      any = false;
    } else (cur += c, any = true);
    i++;
  }
  if (any) out.push(cur);
  return out;
}

Deno.test("schedule: the command runs the binary, or deno with exactly relief's permissions", () => {
  assert.deepEqual(reliefCommand(compiled, "safe"), [
    "/opt/memoryoss/memoryoss",
    "relief",
    "--tier=safe",
    "--json",
    "--compact",
    "--quiet",
  ]);
  const src = reliefCommand({ ...fromSource, config: "/etc/m.toml" }, "standard");
  assert.deepEqual(src.slice(0, 8), [
    "/usr/bin/deno",
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-sys",
    "--allow-ffi",
    "/work/my repo/main.ts",
  ]);
  assert.ok(!src.some((a) => /allow-(net|run|all)|^-A$/.test(a)), "never net or run");
  assert.deepEqual(src.slice(8, 11), ["--config", "/etc/m.toml", "relief"]);
  const win = reliefCommand({
    execPath: "C:\\deno\\deno.exe",
    mainModule: "file:///C:/src/main.ts",
    os: "windows",
  }, "safe");
  assert.equal(win[7], "C:\\src\\main.ts");
});

Deno.test("schedule: durations", () => {
  const cases: [string, number, string][] = [
    ["30m", 1_800_000, "PT30M"],
    ["90m", 5_400_000, "PT1H30M"],
    ["2h", 7_200_000, "PT2H"],
    ["1d", 86_400_000, "P1D"],
    ["45s", 45_000, "PT1M"],
  ];
  for (const [text, ms, iso] of cases) {
    assert.equal(parseDuration(text, "every"), ms);
    assert.equal(isoDuration(ms), iso);
  }
  for (const bad of ["", "30", "0m", "-5m", "1w", "m"]) {
    assert.throws(() => parseDuration(bad, "every"), /--every takes a duration/);
  }
});

Deno.test("schedule: systemd units escape what systemd would expand", () => {
  const svc = renderSystemdService({
    everyMs: 1_800_000,
    tier: "safe",
    command: ["/opt/m m/memoryoss", "relief", "--x=50%"],
  }, "/home/u/.memoryoss");
  assert.match(svc, /^ExecStart="\/opt\/m m\/memoryoss" relief --x=50%%$/m);
  assert.match(svc, /^Environment=MEMORYOSS_HOME=\/home\/u\/\.memoryoss$/m);
  assert.match(svc, /^Type=oneshot$/m);
  assert.match(svc, /^SuccessExitStatus=1$/m);
});

Deno.test("schedule: Task Scheduler XML, encoding and quoting", () => {
  const command = [
    "C:\\Program Files\\memoryoss\\memoryoss.exe",
    "--config",
    'C:\\a "b"\\',
    "relief",
    "--tier=standard",
  ];
  const xml = renderTaskXml(
    { everyMs: 900_000, tier: "standard", command },
    new Date(2025, 0, 2, 3, 4, 5),
  );
  assert.match(
    xml,
    /^<\?xml version="1\.0" encoding="UTF-16"\?>\r\n<Task version="1\.2" xmlns="http:\/\/schemas\.microsoft\.com\/windows\/2004\/02\/mit\/task">/,
  );
  assert.match(xml, /<StartBoundary>2025-01-02T03:04:05<\/StartBoundary>/);
  assert.match(xml, /<Interval>PT15M<\/Interval>/);
  assert.ok(!/<Duration>/.test(xml), "no Duration: the repetition never ends");
  assert.match(xml, /<LogonType>InteractiveToken<\/LogonType>/);
  assert.match(xml, /<RunLevel>HighestAvailable<\/RunLevel>/);
  assert.match(xml, /<MultipleInstancesPolicy>IgnoreNew<\/MultipleInstancesPolicy>/);
  assert.match(xml, /<ExecutionTimeLimit>PT2M<\/ExecutionTimeLimit>/);
  assert.match(xml, /<Command>C:\\Program Files\\memoryoss\\memoryoss\.exe<\/Command>/);
  const args = /<Arguments>(.*)<\/Arguments>/.exec(xml)![1].replaceAll("&quot;", '"').replaceAll(
    "&amp;",
    "&",
  );
  assert.deepEqual(
    parseWindowsArgs(args),
    command.slice(1),
    "arguments survive CommandLineToArgvW",
  );
  const safe = renderTaskXml({ everyMs: 900_000, tier: "safe", command }, new Date());
  assert.match(safe, /<RunLevel>LeastPrivilege<\/RunLevel>/);
  const bytes = utf16leBom(xml);
  assert.deepEqual([...bytes.subarray(0, 4)], [0xFF, 0xFE, 0x3C, 0x00]);
  assert.equal(new TextDecoder("utf-16le").decode(bytes.subarray(2)), xml);
  for (const a of ["plain", "with space", 'q"uote', "trail\\", "two\\\\", "", 'x\\"y']) {
    assert.deepEqual(parseWindowsArgs(windowsArg(a)), [a], JSON.stringify(a));
  }
});

Deno.test("schedule: schtasks argv", () => {
  assert.deepEqual(schtasksCreateArgs("C:\\t.xml"), [
    "schtasks",
    "/Create",
    "/XML",
    "C:\\t.xml",
    "/TN",
    "memoryoss\\Relief",
    "/F",
  ]);
  assert.deepEqual(schtasksDeleteArgs(), ["schtasks", "/Delete", "/TN", "memoryoss\\Relief", "/F"]);
  const simple = schtasksSimpleArgs({
    everyMs: 86_400_000,
    tier: "standard",
    command: ["C:\\m m\\m.exe", "relief"],
  });
  assert.deepEqual(simple.slice(5, 11), ["/SC", "MINUTE", "/MO", "1439", "/RL", "HIGHEST"]);
  assert.equal(simple.at(-1), '"C:\\m m\\m.exe" relief');
  assert.ok(!schtasksSimpleArgs({ everyMs: 60_000, tier: "safe", command: ["m"] }).includes("/RL"));
});

async function tempCtx(os: string): Promise<{ ctx: ScheduleContext; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "relief-schedule-" });
  const env: Record<string, string> = { XDG_CONFIG_HOME: `${dir}/xdg`, HOME: `${dir}/home` };
  return {
    dir,
    ctx: {
      os,
      env: (k) => env[k],
      home: `${dir}/mhome`,
      program: compiled,
      now: new Date(2025, 5, 1),
    },
  };
}

Deno.test("schedule: linux install / show / remove in a temp XDG dir", async () => {
  const { ctx, dir } = await tempCtx("linux");
  try {
    const unit = `${dir}/xdg/systemd/user`;
    const plan = planInstall(ctx, 1_800_000, "safe");
    assert.deepEqual(plan.files.map((f) => f.path), [
      `${unit}/memoryoss-relief.service`,
      `${unit}/memoryoss-relief.timer`,
    ]);
    assert.deepEqual(plan.commands, [
      "systemctl --user daemon-reload && systemctl --user start memoryoss-relief.timer",
    ]);
    assert.equal((await showSchedule(ctx)).installed, false);
    await applyInstall(plan);
    await applyInstall(plan); // idempotent (the link is replaced)
    assert.match(
      await Deno.readTextFile(`${unit}/memoryoss-relief.timer`),
      /OnUnitActiveSec=30min/,
    );
    const shown = await showSchedule(ctx);
    assert.equal(shown.installed, true);
    assert.equal(shown.files.length, 3);
    assert.match(
      renderScheduleText({ action: "show", ...shown }),
      /installed .*memoryoss-relief\.service/,
    );
    const dry = await removeSchedule(ctx, true);
    assert.equal(dry.removed.length, 3);
    assert.equal((await showSchedule(ctx)).installed, true, "dry run removes nothing");
    const gone = await removeSchedule(ctx);
    assert.equal(gone.removed.length, 3);
    assert.equal((await showSchedule(ctx)).installed, false);
    assert.deepEqual((await removeSchedule(ctx)).removed, []);
    assert.throws(() => planInstall(ctx, 1_800_000, "aggressive"), /never scheduled/);
    const noHome = { ...ctx, env: () => undefined };
    assert.throws(() => planInstall(noHome, 1_800_000, "safe"), /XDG_CONFIG_HOME nor HOME/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("schedule: windows writes the task XML under the home; macOS is refused", async () => {
  const { ctx, dir } = await tempCtx("windows");
  try {
    const plan = planInstall(ctx, 900_000, "standard");
    assert.equal(plan.files[0].path, `${dir}/mhome/relief/memoryoss-relief.xml`);
    assert.match(
      plan.commands[0],
      /^schtasks \/Create \/XML .*memoryoss-relief\.xml \/TN memoryoss\\Relief \/F$/,
    );
    assert.match(plan.notes[0], /elevated prompt/);
    await applyInstall(plan);
    const bytes = await Deno.readFile(plan.files[0].path);
    assert.deepEqual([...bytes.subarray(0, 2)], [0xFF, 0xFE]);
    const shown = await showSchedule(ctx);
    assert.match(shown.files[0].content, /<Interval>PT15M<\/Interval>/);
    assert.match((await removeSchedule(ctx)).commands[0], /^schtasks \/Delete/);
    assert.equal((await showSchedule(ctx)).installed, false);
    assert.throws(() => planInstall({ ...ctx, os: "darwin" }, 900_000, "safe"), /not darwin/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
