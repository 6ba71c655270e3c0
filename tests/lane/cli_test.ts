import assert from "node:assert/strict";
import { join } from "node:path";
import { claudeProjectSlug, defaultMemoryRoot, laneStateDir } from "../../lib/lane/mod.ts";
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
    ["unknown subcommand", ["nope"], 3, /unknown lane subcommand 'nope'/],
    ["unknown flag", ["audit", "--bogus"], 3, /Unknown option '--bogus'/],
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
