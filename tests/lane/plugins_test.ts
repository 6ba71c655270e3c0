import assert from "node:assert/strict";
import { join } from "node:path";
import {
  installPlugin,
  listPlugins,
  removePlugin,
  setPluginEnabled,
  type SkillDirs,
} from "../../lib/lane/mod.ts";
import { runLane, tempDir, writeFiles } from "./_support.ts";

const SKILL = "---\nname: memory-organize\ndescription: Group MEMORY.md by type\n---\nSteps…\n";

Deno.test("plugins: install, list, disable, enable, remove", async () => {
  await using dir = await tempDir();
  const src = join(dir.path, "src", "organize");
  await Deno.mkdir(join(src, "scripts"), { recursive: true });
  await writeFiles(src, { "SKILL.md": SKILL, "scripts/run.sh": "echo hi\n" });
  const dirs: SkillDirs = {
    enabled: join(dir.path, "skills"),
    disabled: join(dir.path, "skills-disabled"),
  };
  assert.deepEqual(await listPlugins(dirs), []);

  const installed = await installPlugin(dirs, src);
  assert.deepEqual(installed, {
    name: "memory-organize",
    enabled: true,
    description: "Group MEMORY.md by type",
    path: join(dirs.enabled, "memory-organize"),
  });
  assert.equal(await Deno.readTextFile(join(installed.path, "scripts/run.sh")), "echo hi\n");
  await assert.rejects(installPlugin(dirs, src), { code: "CONFLICT" });
  await installPlugin(dirs, src, true); // --force replaces

  const off = await setPluginEnabled(dirs, "memory-organize", false);
  assert.equal(off.path, join(dirs.disabled, "memory-organize"));
  assert.deepEqual((await listPlugins(dirs)).map((p) => [p.name, p.enabled]), [[
    "memory-organize",
    false,
  ]]);
  await setPluginEnabled(dirs, "memory-organize", false); // already off: no error
  await setPluginEnabled(dirs, "memory-organize", true);
  assert.deepEqual((await listPlugins(dirs)).map((p) => [p.name, p.enabled]), [[
    "memory-organize",
    true,
  ]]);

  assert.equal(await removePlugin(dirs, "memory-organize"), join(dirs.enabled, "memory-organize"));
  assert.deepEqual(await listPlugins(dirs), []);
  await assert.rejects(removePlugin(dirs, "memory-organize"), { code: "NOT_FOUND" });
});

Deno.test("plugins: refuse folders without SKILL.md and unsafe names", async () => {
  await using dir = await tempDir();
  const dirs = { enabled: join(dir.path, "s"), disabled: join(dir.path, "d") };
  await Deno.mkdir(join(dir.path, "empty"));
  await assert.rejects(installPlugin(dirs, join(dir.path, "empty")), { code: "INVALID_INPUT" });
  const bad = join(dir.path, "bad");
  await Deno.mkdir(bad);
  await writeFiles(bad, { "SKILL.md": "---\nname: ../escape\n---\n" });
  await assert.rejects(installPlugin(dirs, bad), { code: "INVALID_INPUT" });
  await assert.rejects(setPluginEnabled(dirs, "../x", true), { code: "INVALID_INPUT" });
  await assert.rejects(setPluginEnabled(dirs, "ghost", true), { code: "NOT_FOUND" });
});

/** git with a fixed identity and no user config, in `cwd`. */
async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args],
    cwd,
    env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

/** A bare repository `<dir>/<name>.git` holding `files`, pushed from a work tree. */
async function bareRepo(dir: string, name: string, files: Record<string, string>): Promise<string> {
  const bare = join(dir, `${name}.git`);
  const work = join(dir, `${name}-work`);
  await Deno.mkdir(bare);
  await git(bare, "init", "--bare", "--quiet");
  await Deno.mkdir(work);
  await git(work, "init", "--quiet");
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(work, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(work, path), text);
  }
  await git(work, "add", "-A");
  await git(work, "commit", "--quiet", "-m", "skill");
  await git(work, "push", "--quiet", bare, "HEAD:refs/heads/main");
  await git(bare, "symbolic-ref", "HEAD", "refs/heads/main");
  return `file://${bare}`;
}

Deno.test("lane plugins install <git URL>: a real clone from a bare repository", async () => {
  await using dir = await tempDir();
  const skills = join(dir.path, "skills");
  const env = { MEMORYOSS_HOME: join(dir.path, "home") };
  const install = (src: string, ...more: string[]) =>
    runLane(["plugins", "install", src, "--skills-dir", skills, "--json", ...more], env);

  const rootSkill = await bareRepo(dir.path, "prune-repo", {
    "SKILL.md": "---\nname: memory-prune\ndescription: Prune stale entries\n---\nSteps\n",
    "scripts/run.sh": "echo prune\n",
  });
  const r = await install(rootSkill);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    name: "memory-prune",
    enabled: true,
    description: "Prune stale entries",
    path: join(skills, "memory-prune"),
    source: rootSkill,
  });
  assert.equal(
    await Deno.readTextFile(join(skills, "memory-prune", "scripts/run.sh")),
    "echo prune\n",
  );
  await assert.rejects(Deno.lstat(join(skills, "memory-prune", ".git")), Deno.errors.NotFound);
  assert.equal((await install(rootSkill)).code, 4, "already installed");
  assert.equal((await install(rootSkill, "--force")).code, 0);

  // The one skill folder inside a repository; a root skill without a name takes the repo's.
  const nested = await bareRepo(dir.path, "collection", {
    "README.md": "skills\n",
    "skills/organize/SKILL.md": "---\nname: memory-organize\n---\n",
  });
  assert.equal(JSON.parse((await install(nested)).stdout).path, join(skills, "memory-organize"));
  const unnamed = await bareRepo(dir.path, "my-skill", {
    "SKILL.md": "---\ndescription: x\n---\n",
  });
  assert.equal(JSON.parse((await install(unnamed)).stdout).name, "my-skill");

  const list = await runLane(["plugins", "list", "--skills-dir", skills], env);
  assert.equal(
    list.stdout,
    "on  memory-organize\non  memory-prune — Prune stale entries\non  my-skill — x\n",
  );

  const empty = await bareRepo(dir.path, "not-a-skill", { "README.md": "hi\n" });
  const bad = await install(empty);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /not-a-skill\.git is not a skill repository \(no SKILL\.md\)/);
  const missing = await install(`file://${join(dir.path, "nope.git")}`);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /git clone file:\/\/.*nope\.git failed: /);
});
