/**
 * uninstall leaves nothing of setup's behind (no empty folders it made) and works per user
 * home: two HOMEs sharing one memoryoss home each undo only their own files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readManifest, runSetup, runUninstall } from "../../lib/setup/mod.ts";
import { setupHome } from "./_support.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("uninstall removes the folders setup created for cursor (no empty ~/.cursor/rules)", async () => {
  await using h = await setupHome();
  const opts = { env: h.env, memoryossHome: h.mh, launch: h.launch };
  await runSetup({ ...opts, profile: "cursor" });
  assert.ok(await exists(join(h.home, ".cursor/rules/memoryoss.mdc")));
  await runUninstall(opts);
  assert.equal(await exists(join(h.home, ".cursor/rules")), false, "~/.cursor/rules left behind");
  assert.equal(await exists(join(h.home, ".cursor")), false, "~/.cursor left behind");
});

Deno.test("uninstall keeps a folder setup created once the user put a file in it", async () => {
  await using h = await setupHome();
  const opts = { env: h.env, memoryossHome: h.mh, launch: h.launch };
  await runSetup({ ...opts, profile: "cursor" });
  await h.put(".cursor/rules/mine.mdc", "my rule\n");
  await runUninstall(opts);
  assert.equal(await h.read(".cursor/rules/mine.mdc"), "my rule\n");
  assert.equal(await exists(join(h.home, ".cursor/rules/memoryoss.mdc")), false);
});

Deno.test("two user homes on one memoryoss home keep one manifest each", async () => {
  await using a = await setupHome();
  const b = { home: await Deno.makeTempDir({ prefix: "memoryoss-setup-b-" }) };
  const envB = (k: string) => k === "HOME" ? b.home : a.env(k);
  const optsA = { env: a.env, memoryossHome: a.mh, launch: a.launch };
  const optsB = { env: envB, memoryossHome: a.mh, launch: a.launch };
  await runSetup({ ...optsA, profile: "cursor" });
  await runSetup({ ...optsB, profile: "cursor" });
  assert.ok(await readManifest(a.mh, a.home));
  assert.ok(await readManifest(a.mh, b.home));

  await runUninstall(optsA);
  assert.equal(await readManifest(a.mh, a.home), null);
  assert.equal(await exists(join(a.home, ".cursor/rules/memoryoss.mdc")), false);
  assert.ok(await exists(join(b.home, ".cursor/rules/memoryoss.mdc")), "B's files untouched");

  const un = await runUninstall(optsB);
  assert.ok(un.files.length > 0, "B's uninstall still knows B's files");
  assert.equal(await exists(join(b.home, ".cursor")), false);
  await Deno.remove(b.home, { recursive: true });
});
