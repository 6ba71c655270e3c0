import assert from "node:assert/strict";
import { join } from "node:path";
import {
  installPlugin,
  listPlugins,
  removePlugin,
  setPluginEnabled,
  type SkillDirs,
} from "../../lib/lane/mod.ts";
import { tempDir, writeFiles } from "./_support.ts";

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
