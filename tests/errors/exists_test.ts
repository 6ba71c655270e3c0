/**
 * pathExists / pathExistsSync: only "not there" is false; a refused path is the one-line
 * FORBIDDEN error (here: a process whose read access is narrowed to one folder).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  MemoryossError,
  pathExists,
  pathExistsSync,
  permissionError,
  readFileOrNull,
} from "../../lib/errors/mod.ts";

async function tree(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "exists_test_" });
  await Deno.writeTextFile(join(dir, "file.txt"), "x");
  await Deno.mkdir(join(dir, "sub"));
  await Deno.symlink(join(dir, "gone"), join(dir, "dangling"));
  return dir;
}

Deno.test("pathExists: files, folders and links are there; missing paths are not", async () => {
  const dir = await tree();
  try {
    for (const [name, want] of [["file.txt", true], ["sub", true], ["nope", false]] as const) {
      assert.equal(await pathExists(join(dir, name)), want, name);
      assert.equal(pathExistsSync(join(dir, name)), want, name);
    }
    // A path through a file is "not there", not an error.
    assert.equal(await pathExists(join(dir, "file.txt", "child")), false);
    // A dangling link: gone when followed, there as a link.
    assert.equal(await pathExists(join(dir, "dangling")), false);
    assert.equal(await pathExists(join(dir, "dangling"), { follow: false }), true);
    assert.equal(pathExistsSync(join(dir, "dangling"), { follow: false }), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pathExists: a path outside the granted read access is FORBIDDEN, not false", async () => {
  const dir = await tree();
  try {
    const allowed = join(dir, "sub");
    const script = join(allowed, "probe.ts");
    const mod = new URL("../../lib/errors/mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { pathExists, pathExistsSync, readFileOrNull } from ${JSON.stringify(mod)};
const target = Deno.args[0];
const out: string[] = [];
try { out.push(String(await pathExists(target))); } catch (e) { out.push(e.code + " " + e.message); }
try { out.push(String(pathExistsSync(target))); } catch (e) { out.push(e.code + " " + e.message); }
try { out.push(String(readFileOrNull(target))); } catch (e) { out.push(e.code + " " + e.message); }
console.log(JSON.stringify(out));`,
    );
    const target = join(dir, "file.txt");
    const res = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-lock", `--allow-read=${allowed}`, script, target],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
    const want = `FORBIDDEN permission denied: this command does not hold read access to ` +
      `"${target}" (see the permission table in the README)`;
    assert.deepEqual(JSON.parse(new TextDecoder().decode(res.stdout)), [want, want, want]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readFileOrNull: the bytes when there, null when not, never null for a folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "read-or-null-" });
  try {
    await Deno.writeTextFile(join(dir, "key"), "k1");
    assert.deepEqual(readFileOrNull(join(dir, "key")), new TextEncoder().encode("k1"));
    assert.equal(readFileOrNull(join(dir, "missing")), null);
    assert.equal(readFileOrNull(join(dir, "key", "below-a-file")), null);
    assert.throws(() => readFileOrNull(dir), MemoryossError, `cannot read ${dir}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("permissionError: an OS refusal is FORBIDDEN with the OS's first line", () => {
  // Root ignores file modes here, so the OS's error is built by hand (its text as Deno gives it).
  const e = permissionError(
    new Deno.errors.PermissionDenied("Permission denied (os error 13): stat '/x/y'\nmore"),
  );
  assert.ok(e instanceof MemoryossError);
  assert.equal(e.code, "FORBIDDEN");
  assert.equal(e.message, "permission denied: Permission denied (os error 13): stat '/x/y'");
  assert.equal(permissionError(new Deno.errors.NotFound("x")), null);
});

Deno.test("pathExists: other failures are an IO error naming the path", async () => {
  const dir = await tree();
  try {
    // A loop of links: neither missing nor refused.
    await Deno.symlink(join(dir, "loop"), join(dir, "loop"));
    await assert.rejects(() => pathExists(join(dir, "loop")), (e: unknown) => {
      assert.ok(e instanceof MemoryossError);
      assert.equal(e.code, "IO");
      assert.ok(e.message.startsWith(`cannot check ${join(dir, "loop")}: `), e.message);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
