/**
 * Restore and backup edge cases through main.ts: a file that is not a backup (exit 3, one
 * line), a non-empty home (a refusal, exit 5, naming --force), a backup made without the key
 * (a warning at restore; reads and writes then refuse instead of creating a new key), and
 * lock and temporary files left out of the archive (listed with the system `tar`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Run, run, show, tempDir } from "../portable/_support.ts";
import { hasCommand, skipIf } from "../_support/skip.ts";

const NO_TAR = !(await hasCommand("tar")) && "needs the system tar";
const SECRET = "The heron ledger sits in vault cobalt-31";

/** stderr must be exactly one line (README: errors are one line on stderr). */
function oneLine(r: Run): string {
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, show(r));
  return lines[0];
}

/** Names in a tar.gz, listed by the system tar (an oracle independent of our reader). */
async function tarNames(archive: string): Promise<string[]> {
  const out = await new Deno.Command("tar", { args: ["-tzf", archive], stdout: "piped" }).output();
  assert.ok(out.success, "tar -tzf failed");
  return new TextDecoder().decode(out.stdout).trim().split("\n");
}

/** SHA-256 of a file in hex, computed here. */
async function sha256(path: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test({
  ...skipIf(NO_TAR, "restore: a file that is not a backup exits 3 with one line, creates nothing"),
  fn: async () => {
    await using dir = await tempDir();
    const text = join(dir.path, "notes.txt");
    await Deno.writeTextFile(text, "just some notes\n");
    // A real tar.gz without our manifest, made by the system tar.
    await Deno.writeTextFile(join(dir.path, "memoryoss.toml"), "# not from a backup\n");
    const plainTar = join(dir.path, "plain.tar.gz");
    const t = await new Deno.Command("tar", {
      args: ["-czf", plainTar, "-C", dir.path, "memoryoss.toml"],
    }).output();
    assert.ok(t.success);
    for (const file of [text, plainTar]) {
      const target = join(dir.path, "target");
      const r = await run(target, ["restore", file]);
      assert.equal(r.code, 3, show(r));
      assert.match(oneLine(r), /is not a valid memoryoss backup/);
      assert.equal(await exists(target), false, "nothing was created");
      const check = await run(target, ["restore", file, "--check"]);
      assert.equal(check.code, 3, show(check));
    }
  },
});

Deno.test({
  name: "restore into a non-empty home is a refusal (exit 5) naming --force; the home is kept",
  fn: async () => {
    await using dir = await tempDir();
    const src = join(dir.path, "src");
    const stored = await run(src, ["store", "-n", "proj", SECRET]);
    assert.equal(stored.code, 0, show(stored));
    const archive = join(dir.path, "b.tar.gz");
    const b = await run(src, ["backup", "-o", archive, "--include-key"]);
    assert.equal(b.code, 0, show(b));
    const busy = join(dir.path, "busy");
    await Deno.mkdir(busy);
    await Deno.writeTextFile(join(busy, "memoryoss.toml"), "# mine\n");
    const r = await run(busy, ["restore", archive]);
    assert.equal(r.code, 5, show(r));
    assert.match(oneLine(r), /restore refused: .*busy is not empty; pass --force/);
    assert.equal(await Deno.readTextFile(join(busy, "memoryoss.toml")), "# mine\n");
    assert.deepEqual([...Deno.readDirSync(busy)].map((e) => e.name), ["memoryoss.toml"]);
    const forced = await run(busy, ["restore", archive, "--force"]);
    assert.equal(forced.code, 0, show(forced));
    assert.equal(forced.stderr, "", "the key came with the backup: no warning");
    const rec = await run(busy, ["recall", "-n", "proj", "--json", "heron ledger cobalt-31"]);
    assert.equal(rec.code, 0, show(rec));
    assert.equal(rec.json().memories[0].content, SECRET);
  },
});

Deno.test({
  name: "keyless restore: warns, then recall/store/remember refuse and never create a new key",
  fn: async () => {
    await using dir = await tempDir();
    const src = join(dir.path, "src");
    assert.equal((await run(src, ["store", "-n", "proj", SECRET])).code, 0);
    const archive = join(dir.path, "keyless.tar.gz");
    const b = await run(src, ["backup", "-o", archive]);
    assert.equal(b.code, 0, show(b));
    const kid = (await sha256(join(src, "memoryoss.key"))).slice(0, 12);

    const fresh = join(dir.path, "fresh");
    const r = await run(fresh, ["restore", archive]);
    assert.equal(r.code, 0, show(r));
    assert.match(oneLine(r), new RegExp(`warning: .*encrypted with key ${kid}.*memoryoss\\.key`));
    const attempts = [
      ["recall", "-n", "proj", "heron"],
      ["store", "-n", "proj", "a new fact about otters"],
      ["remember", "-n", "proj", "a queued fact about otters"],
      ["list", "-n", "proj"],
    ];
    for (const args of attempts) {
      const a = await run(fresh, args);
      assert.equal(a.code, 3, `${args[0]}: ${show(a)}`);
      assert.match(oneLine(a), new RegExp(`key ${kid}, but .*memoryoss\\.key is missing`));
      assert.equal(await exists(join(fresh, "memoryoss.key")), false, `${args[0]} made a key`);
    }
    // The same when the key file is simply lost from a working home.
    await Deno.copyFile(join(src, "memoryoss.key"), join(dir.path, "saved.key"));
    await Deno.remove(join(src, "memoryoss.key"));
    const lost = await run(src, ["store", "-n", "proj", "another fact"]);
    assert.equal(lost.code, 3, show(lost));
    assert.equal(await exists(join(src, "memoryoss.key")), false);

    await Deno.copyFile(join(dir.path, "saved.key"), join(fresh, "memoryoss.key"));
    const rec = await run(fresh, ["recall", "-n", "proj", "--json", "heron ledger cobalt-31"]);
    assert.equal(rec.code, 0, show(rec));
    assert.equal(rec.json().memories[0].content, SECRET);
  },
});

Deno.test({
  ...skipIf(NO_TAR, "backup leaves the drain lock and temporary files out"),
  fn: async () => {
    await using dir = await tempDir();
    const home = join(dir.path, "home");
    assert.equal((await run(home, ["remember", "a fact to drain"])).code, 0);
    const d = await run(home, ["drain"]);
    assert.equal(d.code, 0, show(d));
    assert.ok(await exists(join(home, "memoryoss.db.drain.lock")), "drain left its lock file");
    for (
      const name of ["stores.json.tmp", "memoryoss.keyring.tmp-0a1b2c3d", "x.partial-0a1b2c3d"]
    ) {
      await Deno.writeTextFile(join(home, name), "half-written\n");
    }
    await Deno.writeTextFile(join(home, "notes.md"), "kept\n");
    const archive = join(dir.path, "b.tar.gz");
    const b = await run(home, ["backup", "-o", archive]);
    assert.equal(b.code, 0, show(b));
    assert.deepEqual((await tarNames(archive)).sort(), [
      "backup-manifest.json",
      "backup-meta.json",
      "data/memoryoss.db",
      "data/memoryoss.toml",
      "data/notes.md",
    ]);
  },
});
