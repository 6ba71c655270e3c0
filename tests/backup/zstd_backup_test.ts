/**
 * memoryOSS's backup format through main.ts: `backup` writes `memoryoss-backup-YYYYmmdd-HHMMSS
 * .tar.zst` (zstd level 3) by default. Oracles outside our code: the real `zstd` and GNU `tar`
 * read what we wrote, and an archive re-compressed by the real `zstd` restores through us.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, cliWith, storeJson } from "../cli/_helpers.ts";
import { hasCommand, skipIf } from "../_support/skip.ts";

const NO_TOOLS = !(await hasCommand("zstd") && await hasCommand("tar")) &&
  "needs zstd and tar on PATH";
const dec = new TextDecoder();

async function sh(script: string, cwd: string): Promise<string> {
  const o = await new Deno.Command("sh", { args: ["-c", script], cwd, stderr: "piped" }).output();
  assert.ok(o.success, `${script}: ${dec.decode(o.stderr)}`);
  return dec.decode(o.stdout);
}

async function head(path: string, n: number): Promise<number[]> {
  return [...(await Deno.readFile(path)).subarray(0, n)];
}

Deno.test(
  skipIf(NO_TOOLS, "backup: default .tar.zst, read by zstd + tar; a zstd-made archive restores"),
  async () => {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-zst-" });
    const work = await Deno.makeTempDir({ prefix: "memoryoss-zst-out-" });
    try {
      const m = await storeJson(home, "-n", "z", "The zstd backup keeps this memory.");
      const b = await cliWith(home, { cwd: work }, "backup", "--json");
      assert.equal(b.code, 0, b.stderr);
      const name = b.json().file as string;
      assert.match(name, /^memoryoss-backup-\d{8}-\d{6}\.tar\.zst$/);
      const archive = join(work, name);
      assert.deepEqual(await head(archive, 4), [0x28, 0xb5, 0x2f, 0xfd]); // zstd frame magic
      // The real zstd and tar list it: the home under data/ plus the manifest.
      const listing = (await sh(`zstd -dc '${archive}' | tar -tf -`, work)).split("\n");
      assert.ok(listing.includes("data/memoryoss.db"), listing.join("\n"));
      assert.ok(listing.includes("backup-manifest.json"));
      assert.ok(!listing.includes("data/memoryoss.key")); // no key without --include-key

      // An archive compressed by the real zstd (from the plain tar) restores through us.
      await sh(
        `zstd -dc '${archive}' > plain.tar && zstd -q -19 plain.tar -o theirs.tar.zst`,
        work,
      );
      const fresh = join(work, "fresh");
      const r = await cli(home, "restore", join(work, "theirs.tar.zst"), "--home", fresh, "--json");
      assert.equal(r.code, 0, r.stderr);
      // The backup has no key (the default): put it back, as restore's warning says.
      await Deno.copyFile(join(home, "memoryoss.key"), join(fresh, "memoryoss.key"));
      const got = await cli(fresh, "inspect", m.id, "-n", "z", "--json");
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.json().content, "The zstd backup keeps this memory.");
    } finally {
      await Deno.remove(home, { recursive: true });
      await Deno.remove(work, { recursive: true });
    }
  },
);

Deno.test("backup: a .tar.gz name still writes gzip; restore reads both; junk is exit 3", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-zst-" });
  const work = await Deno.makeTempDir({ prefix: "memoryoss-zst-out-" });
  try {
    await storeJson(home, "-n", "z", "Gzip archives keep working.");
    const gz = join(work, "b.tar.gz");
    assert.equal((await cli(home, "backup", "-o", gz)).code, 0);
    assert.deepEqual(await head(gz, 2), [0x1f, 0x8b]);
    const zst = join(work, "b.tar.zst");
    assert.equal((await cli(home, "backup", "-o", zst)).code, 0);
    assert.deepEqual(await head(zst, 4), [0x28, 0xb5, 0x2f, 0xfd]);
    for (const f of [gz, zst]) {
      const c = await cli(home, "restore", f, "--check", "--json");
      assert.equal(c.code, 0, `${f}: ${c.stderr}`);
    }
    const junk = join(work, "junk.tar.zst");
    await Deno.writeTextFile(junk, "not an archive at all");
    const bad = await cli(home, "restore", junk, "--check");
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, /not a \.tar\.zst or \.tar\.gz archive/);
    const help = await cli(home, "backup", "--help");
    assert.match(help.stdout, /memoryoss-backup-YYYYmmdd-HHMMSS\.tar\.zst/);
  } finally {
    await Deno.remove(home, { recursive: true });
    await Deno.remove(work, { recursive: true });
  }
});
