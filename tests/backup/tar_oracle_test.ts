/**
 * Outside oracles for our tar code: archives written by our tar writer and by `memoryoss
 * backup` are read by GNU tar and by Python's tarfile (separate processes, not our reader),
 * and an archive Python writes is read by our reader. Every expectation is what the test put
 * in (names, sizes, modes, bytes), never what our own reader says about our own writer.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { readTar, TarWriter } from "../../lib/backup/mod.ts";
import { cli } from "../cli/_helpers.ts";
import { skipIf } from "../_support/skip.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

async function output(cmd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const o = await new Deno.Command(cmd, { args, env: { LC_ALL: "C.UTF-8" }, stderr: "piped" })
      .output();
    return { ok: o.success, out: dec.decode(o.stdout) + dec.decode(o.stderr) };
  } catch (e) {
    return { ok: false, out: (e as Error).message };
  }
}

const gnuTar = /GNU tar/.test((await output("tar", ["--version"])).out);
const python = (await output("python3", ["-c", "import tarfile, sqlite3, hashlib"])).ok;
const NO_TAR = !gnuTar && "needs GNU tar on PATH";
const NO_PYTHON = !python && "needs python3 (tarfile, sqlite3) on PATH";

/** One archive member as an outside tool saw it. */
interface Member {
  name: string;
  size: number;
  mode: number;
  type: "file" | "dir" | "other";
  sha256?: string;
  /** The parsed backup-manifest.json (Python only). */
  json?: {
    files: { path: string; size: number; sha256: string }[];
    memory_count: number;
    meta_sha256?: string;
  };
}

/** `tar -tvf`: GNU's verbose listing, one member a line ("-rw------- 0/0 3 2026-01-01 12:00 a"). */
async function gnuList(archive: string): Promise<Member[]> {
  const r = await output("tar", ["--quoting-style=literal", "-tvf", archive]);
  assert.ok(r.ok, r.out);
  return r.out.trimEnd().split("\n").map((line) => {
    const m = /^([-d])([rwx-]{9})\s+\S+\s+(\d+)\s+\S+\s+\S+\s(.*)$/.exec(line);
    assert.ok(m, `unexpected tar -tv line: ${line}`);
    const mode = [...m[2]].reduce((n, c) => n * 2 + (c === "-" ? 0 : 1), 0);
    return { name: m[4], size: Number(m[3]), mode, type: m[1] === "d" ? "dir" : "file" };
  });
}

/** Python's tarfile lists every member with the SHA-256 of its bytes (hashlib). */
const PY_LIST = `
import hashlib, json, sqlite3, sys, tarfile
members, db = [], None
with tarfile.open(sys.argv[1], "r:*") as t:
    for m in t:
        e = {"name": m.name, "size": m.size, "mode": m.mode,
             "type": "file" if m.isfile() else "dir" if m.isdir() else "other"}
        if m.isfile():
            data = t.extractfile(m).read()
            e["sha256"] = hashlib.sha256(data).hexdigest()
            if m.name == "backup-manifest.json":
                e["json"] = json.loads(data)
            if len(sys.argv) > 3 and m.name == sys.argv[2]:
                with open(sys.argv[3], "wb") as f:
                    f.write(data)
                c = sqlite3.connect(sys.argv[3])
                db = {"integrity": c.execute("PRAGMA integrity_check").fetchone()[0],
                      "memories": c.execute("SELECT count(*) FROM memories").fetchone()[0]}
                c.close()
        members.append(e)
print(json.dumps({"members": members, "db": db}))
`;

async function pyList(
  archive: string,
  db?: { member: string; out: string },
): Promise<{ members: Member[]; db: { integrity: string; memories: number } | null }> {
  const r = await output("python3", ["-c", PY_LIST, archive, ...(db ? [db.member, db.out] : [])]);
  assert.ok(r.ok, r.out);
  return JSON.parse(r.out);
}

/** The test's own files, written with our tar writer (header, padding, end blocks). */
const LONG = "data/" + "deep/".repeat(30) + "ünïcode-name.json"; // 172 bytes: needs PAX
const FILES: { name: string; text: string; mode: number }[] = [
  { name: "a.txt", text: "x", mode: 0o644 },
  { name: LONG, text: "y".repeat(513), mode: 0o600 },
  { name: "empty", text: "", mode: 0o640 },
  { name: "data/block.bin", text: "z".repeat(512), mode: 0o600 },
];

async function writeOurTar(dir: string): Promise<string> {
  const path = join(dir, "ours.tar");
  const file = await Deno.open(path, { write: true, create: true });
  const tar = new TarWriter(file.writable);
  for (const f of FILES) {
    const body = enc.encode(f.text);
    await tar.add({ path: f.name, size: body.length, mode: f.mode, mtime: 1_767_225_600 }, [body]);
  }
  await tar.finish();
  return path;
}

const expected = (withHash: boolean): Member[] =>
  FILES.map((f) => ({
    name: f.name,
    size: enc.encode(f.text).length,
    mode: f.mode,
    type: "file",
    ...(withHash ? { sha256: sha256(f.text) } : {}),
  }));

Deno.test(skipIf(NO_TAR, "tar writer: GNU tar lists and extracts our archive"), async () => {
  const dir = await Deno.makeTempDir({ prefix: "tar-oracle-" });
  try {
    const archive = await writeOurTar(dir);
    assert.deepEqual(await gnuList(archive), expected(false));
    const x = await output("tar", ["-xf", archive, "-C", dir]);
    assert.ok(x.ok, x.out);
    for (const f of FILES) assert.equal(await Deno.readTextFile(join(dir, f.name)), f.text, f.name);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(skipIf(NO_PYTHON, "tar writer: Python's tarfile reads our archive"), async () => {
  const dir = await Deno.makeTempDir({ prefix: "tar-oracle-" });
  try {
    assert.deepEqual((await pyList(await writeOurTar(dir))).members, expected(true));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Python writes a PAX tar.gz of these entries; our reader must see exactly them. */
const PY_WRITE = `
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT) as t:
    d = tarfile.TarInfo("data"); d.type = tarfile.DIRTYPE; d.mode = 0o755; t.addfile(d)
    for name, data, mode in [("a.txt", b"x", 0o644), (sys.argv[2], b"y" * 513, 0o600),
                             ("empty", b"", 0o640), ("data/block.bin", b"z" * 512, 0o600)]:
        i = tarfile.TarInfo(name); i.size = len(data); i.mode = mode; i.mtime = 1767225600
        t.addfile(i, io.BytesIO(data))
`;

Deno.test(skipIf(NO_PYTHON, "tar reader: reads a PAX tar.gz that Python wrote"), async () => {
  const dir = await Deno.makeTempDir({ prefix: "tar-oracle-" });
  try {
    const archive = join(dir, "py.tar.gz");
    const w = await output("python3", ["-c", PY_WRITE, archive, LONG]);
    assert.ok(w.ok, w.out);
    const got: Member[] = [];
    const file = await Deno.open(archive);
    await readTar(file.readable.pipeThrough(new DecompressionStream("gzip")), async (e, body) => {
      const hash = createHash("sha256");
      for await (const c of body()) hash.update(c);
      const type = e.type === "directory" ? "dir" : e.type;
      got.push({ name: e.path, size: e.size, mode: e.mode, type, sha256: hash.digest("hex") });
    });
    assert.deepEqual(got, [
      // tarfile stores a directory's name with its trailing "/" (the ustar convention).
      { name: "data/", size: 0, mode: 0o755, type: "dir", sha256: sha256("") },
      ...expected(true),
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A home with two memories and a hand-placed file whose archive name needs PAX. */
async function backupOfHome(dir: string): Promise<{ home: string; archive: string }> {
  const home = join(dir, "home");
  for (const fact of ["Deploys need staging sign-off.", "The ledger lives in bucket ochre-17."]) {
    const r = await cli(home, "store", "-n", "ops", fact);
    assert.equal(r.code, 0, r.stderr);
  }
  await Deno.mkdir(join(home, "attachments"));
  await Deno.writeTextFile(join(home, "attachments", ATTACHMENT), "attached ünïcode\n");
  await Deno.chmod(join(home, "attachments", ATTACHMENT), 0o640);
  const archive = join(dir, "backup.tar.gz");
  const b = await cli(home, "backup", "-o", archive, "--json");
  assert.equal(b.code, 0, b.stderr);
  return { home, archive };
}
const ATTACHMENT = "n".repeat(90) + "-ünïcode.txt"; // data/attachments/… is over 100 bytes

/**
 * What `memoryoss backup` must put in the archive for that home, in order (database snapshot,
 * then the manifest last). The home's memoryoss.key exists but stays out (no --include-key).
 */
async function expectedBackup(home: string): Promise<{ name: string; source?: string }[]> {
  const toml = join(home, "memoryoss.toml");
  assert.ok((await Deno.stat(toml)).isFile);
  assert.ok((await Deno.stat(join(home, "memoryoss.key"))).isFile, "the home has a key");
  return [
    { name: `data/attachments/${ATTACHMENT}`, source: join(home, "attachments", ATTACHMENT) },
    { name: "data/memoryoss.toml", source: toml },
    { name: "data/memoryoss.db" },
    { name: "backup-meta.json" }, // memoryOSS's entry (spec §7), 0644
    { name: "backup-manifest.json" },
  ];
}

Deno.test(
  skipIf(NO_PYTHON, "backup: Python's tarfile reads the archive; the manifest tells the truth"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "tar-oracle-" });
    try {
      const { home, archive } = await backupOfHome(dir);
      const py = await pyList(archive, { member: "data/memoryoss.db", out: join(dir, "x.db") });
      const want = await expectedBackup(home);
      assert.deepEqual(py.members.map((m) => m.name), want.map((w) => w.name));
      assert.ok(py.members.every((m) => m.type === "file"), "regular files only");
      for (const [i, w] of want.entries()) {
        const m = py.members[i];
        // Home files keep their bytes and mode; the snapshot and the manifest are private.
        const mode = w.source
          ? (await Deno.stat(w.source)).mode! & 0o7777
          : w.name === "backup-meta.json"
          ? 0o644
          : 0o600;
        assert.equal(m.mode.toString(8), mode.toString(8), `${w.name} mode`);
        if (w.source) assert.equal(m.sha256, sha256(await Deno.readFile(w.source)), w.name);
      }
      // The database snapshot opens in Python's sqlite3 and holds both memories.
      assert.deepEqual(py.db, { integrity: "ok", memories: 2 });
      // The manifest (read by Python, not by us) lists every other member with its real size
      // and hash as Python computed them.
      const manifest = py.members.at(-1)!.json!;
      assert.deepEqual(
        manifest.files.map((f) => [f.path, f.size, f.sha256]),
        py.members.slice(0, -2).map((m) => [m.name, m.size, m.sha256]),
      );
      assert.equal(manifest.meta_sha256, py.members.at(-2)!.sha256); // and the meta entry's
      assert.equal(manifest.memory_count, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(skipIf(NO_TAR, "backup: GNU tar lists and extracts the archive"), async () => {
  const dir = await Deno.makeTempDir({ prefix: "tar-oracle-" });
  try {
    const { home, archive } = await backupOfHome(dir);
    const want = await expectedBackup(home);
    const listed = await gnuList(archive);
    assert.deepEqual(listed.map((m) => m.name), want.map((w) => w.name));
    const out = join(dir, "out");
    await Deno.mkdir(out);
    const x = await output("tar", ["-xzf", archive, "-C", out]);
    assert.ok(x.ok, x.out);
    for (const [i, w] of want.entries()) {
      const bytes = await Deno.readFile(join(out, w.name));
      assert.equal(listed[i].size, bytes.length, `${w.name}: listed size is the extracted size`);
      if (w.source) assert.deepEqual(bytes, await Deno.readFile(w.source), w.name);
    }
    const db = await Deno.readFile(join(out, "data/memoryoss.db"));
    assert.equal(dec.decode(db.subarray(0, 16)), "SQLite format 3\0");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
