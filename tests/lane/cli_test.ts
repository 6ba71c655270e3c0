import assert from "node:assert/strict";
import { join } from "node:path";
import { claudeProjectSlug, defaultMemoryRoot, laneStateDir } from "../../lib/lane/mod.ts";
import { MAIN } from "../cli/_helpers.ts";
import { copyFixture, runLane, tempDir } from "./_support.ts";

Deno.test("paths: Claude's project slug and the default roots", () => {
  assert.equal(claudeProjectSlug("/home/me/my_app.v2"), "-home-me-my-app-v2");
  const env = (vars: Record<string, string>) => (k: string) => vars[k];
  assert.equal(
    defaultMemoryRoot(env({ HOME: "/home/me" }), "/home/me/app"),
    "/home/me/.claude/projects/-home-me-app/memory",
  );
  assert.equal(
    defaultMemoryRoot(env({ HOME: "/h", CLAUDE_CONFIG_DIR: "/c" }), "/p"),
    "/c/projects/-p/memory",
  );
  assert.equal(laneStateDir(env({ MEMORYOSS_HOME: "/m" })), "/m/lane");
});

Deno.test("lane CLI: audit, fix, git-log, diff, restore end to end", async () => {
  await using dir = await tempDir();
  // The default root: Claude's folder for the current directory's project.
  const claude = join(dir.path, ".claude");
  const root = join(claude, "projects", claudeProjectSlug(Deno.cwd()), "memory");
  await Deno.mkdir(root, { recursive: true });
  await copyFixture(root);
  const env = { CLAUDE_CONFIG_DIR: claude, MEMORYOSS_HOME: join(dir.path, "home") };

  const audit = await runLane(["audit", "--json"], env);
  assert.equal(audit.code, 1, audit.stderr);
  const report = JSON.parse(audit.stdout);
  assert.equal(report.root, root);
  assert.equal(report.total_issues, 4);

  const text = await runLane(["audit", "--memory-root", root], env);
  assert.match(text.stdout, /^memory root: .+\nfiles=8 mem_md_lines=9 issues=4: missing_fm=1 /);

  const dry = await runLane(["fix", "--dry-run", "--memory-root", root], env);
  assert.equal(
    dry.stdout,
    "would drop dangling line 7 (dangling_entry.md)\nwould regroup MEMORY.md by type\n",
  );
  const fix = JSON.parse((await runLane(["fix", "--json", "--memory-root", root], env)).stdout);
  assert.match(fix.pre_sha, /^[0-9a-f]{40}$/);

  const log = JSON.parse((await runLane(["git-log", "--json", "--memory-root", root], env)).stdout);
  assert.equal(log.length, 2);
  const diff = await runLane(["diff", fix.pre_sha.slice(0, 12), "--memory-root", root], env);
  assert.match(diff.stdout, /^-- \[Missing on disk\]\(dangling_entry\.md\)/m);
  const restored = await runLane(["restore", fix.pre_sha, "--memory-root", root], env);
  assert.match(
    restored.stdout,
    /^restored [0-9a-f]{12} \(previous state kept as [0-9a-f]{12}\)\n$/,
  );
  const after = JSON.parse((await runLane(["audit", "--json", "--memory-root", root], env)).stdout);
  assert.equal(after.total_issues, 4, "back to the original folder");
});

Deno.test("lane CLI: usage errors exit 3, a missing daemon exits 2, empty states are plain", async (t) => {
  await using dir = await tempDir();
  const env = { MEMORYOSS_HOME: dir.path };
  const cases: [string, string[], number, RegExp][] = [
    ["help", ["--help"], 0, /Subcommands:\n {2}audit/],
    ["subcommand help", ["tend", "--help"], 0, /--metrics-port N/],
    ["doctor help", ["doctor", "--help"], 0, /\nExamples:\n {2}memoryoss lane doctor\n/],
    ["accounts help", ["accounts", "--help"], 0, /\n {2}memoryoss lane accounts --switch \S+@/],
    ["logs help", ["logs", "--help"], 0, /\n {2}memoryoss lane logs --follow\n/],
    ["tick-log help", ["tick-log", "--help"], 0, /\n {2}memoryoss lane tick-log [0-9a-f]+\n/],
    ["service help", ["service", "--help"], 0, /\n {2}memoryoss lane service install --print\n/],
    ["plugins help", ["plugins", "--help"], 0, /plugins install https:\/\/\S+\.git\n/],
    ["cmmd's spelling in help", ["accounts", "--help"], 0, /cmmd's spelling: mmctl accounts/],
    ["unknown subcommand", ["nope"], 3, /unknown lane subcommand 'nope'/],
    ["unknown flag", ["audit", "--bogus"], 3, /unknown option '--bogus'/],
    ["extra argument", ["audit", "x"], 3, /unexpected argument 'x'/],
    ["restore needs a sha", ["restore"], 3, /needs a snapshot sha/],
    ["dry-run needs on|off", ["ctl", "dry-run", "maybe"], 3, /lane ctl dry-run on\|off/],
    [
      "no daemon",
      ["ctl", "ping", "--socket", join(dir.path, "none.sock")],
      2,
      /no lane tend is listening/,
    ],
    ["no history", ["history"], 0, /^no ticks recorded yet\n$/],
    [
      "no plugins",
      ["plugins", "list", "--skills-dir", join(dir.path, "skills")],
      0,
      /^no plugins installed\n$/,
    ],
    [
      "janitor list narrowed to nothing",
      ["janitor", "list", "--pid", "999999999", "--json"],
      0,
      /^\[\]\n$/,
    ],
    [
      "janitor apply is a dry run",
      ["janitor", "apply", "--pid", "999999999", "--json"],
      0,
      /"dry_run": true/,
    ],
  ];
  for (const [name, args, code, pattern] of cases) {
    await t.step(name, async () => {
      const r = await runLane(args, env);
      assert.equal(r.code, code, r.stderr);
      assert.match(code === 0 ? r.stdout : r.stderr, pattern);
    });
  }
});

Deno.test("lane CLI: a missing memory folder is exit 4 with one line naming it", async (t) => {
  await using dir = await tempDir();
  const gone = join(dir.path, "no such folder");
  for (const sub of [["audit"], ["audit", "--json"], ["fix"], ["git-log"], ["restore", "abc"]]) {
    await t.step(sub.join(" "), async () => {
      const r = await runLane([...sub, "--memory-root", gone], { MEMORYOSS_HOME: dir.path });
      assert.equal(r.code, 4, r.stderr);
      assert.equal(r.stdout, "");
      const want = `memory folder not found: ${gone}`;
      if (sub.includes("--json")) {
        assert.deepEqual(JSON.parse(r.stderr).error, {
          code: "NOT_FOUND",
          message: want,
          path: [],
        });
      } else assert.equal(r.stderr, `memoryoss: error: ${want}\n`);
    });
  }
});

Deno.test("lane fix: the undo hint is the exact command, --memory-root included", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "it's my memory"); // a space and a quote: the hint must quote them
  await Deno.mkdir(root);
  await copyFixture(root);
  const before = await Deno.readTextFile(join(root, "MEMORY.md"));
  const env = { MEMORYOSS_HOME: join(dir.path, "home") };
  const fix = await runLane(["fix", "--memory-root", root], env);
  assert.equal(fix.code, 0, fix.stderr);
  const hint = fix.stdout.trimEnd().split("\n").at(-1)!;
  assert.match(hint, /^undo: memoryoss lane restore [0-9a-f]{12} --memory-root '.+'$/);
  assert.notEqual(await Deno.readTextFile(join(root, "MEMORY.md")), before);

  // Run the hint as a person would paste it: bash parses the quoting, memoryoss is the CLI.
  const bin = join(dir.path, "bin");
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    join(bin, "memoryoss"),
    `#!/bin/sh\nexec "${Deno.execPath()}" run -A --quiet "${MAIN}" "$@"\n`,
    { mode: 0o755 },
  );
  const undo = await new Deno.Command("bash", {
    args: ["-c", hint.slice("undo: ".length)],
    env: { ...env, PATH: `${bin}:${Deno.env.get("PATH")}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(undo.code, 0, new TextDecoder().decode(undo.stderr));
  assert.equal(await Deno.readTextFile(join(root, "MEMORY.md")), before, "back as before the fix");
});
