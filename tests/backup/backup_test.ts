/**
 * Backup and restore: the tar codec, manifest checks, key handling, verify-before-touch,
 * refusal without --force, identical recall after a restore, and a backup taken while
 * another process writes.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import {
  checkArchive,
  createBackup,
  readTar,
  restoreBackup,
  safeArchivePath,
  scanArchive,
  TarWriter,
  verifyBackup,
} from "../../lib/backup/mod.ts";
import { recall, storeMemory } from "../../lib/memory/mod.ts";
import { openHome, run, show, tempDir, withHomeRuntime } from "../portable/_support.ts";

const enc = new TextEncoder();

async function tarOf(files: [string, string][]): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const tar = new TarWriter(new WritableStream({ write: (c) => void parts.push(c.slice()) }));
  for (const [name, text] of files) {
    const body = enc.encode(text);
    await tar.add({ path: name, size: body.length, mode: 0o644, mtime: 0 }, [body]);
  }
  await tar.finish();
  return new Blob(parts);
}

Deno.test("tar codec round trips names over 100 bytes (PAX) and odd sizes", async () => {
  const long = "data/" + "deep/".repeat(30) + "ünïcode-name.json";
  const files: [string, string][] = [["a.txt", "x"], [long, "y".repeat(513)], ["empty", ""]];
  const got: [string, string][] = [];
  await readTar((await tarOf(files)).stream(), async (e, body) => {
    let text = "";
    for await (const c of body()) text += new TextDecoder().decode(c);
    got.push([e.path, text]);
  });
  assert.deepEqual(got, files);
});

Deno.test("safeArchivePath and checkArchive catch every mismatch", () => {
  for (const p of ["data/a", "data/x/y.db"]) assert.ok(safeArchivePath(p), p);
  for (const p of ["a", "/data/a", "data/../x", "data/./x", "data//x", "data/a\\b", "data/"]) {
    assert.ok(!safeArchivePath(p), p);
  }
  const sha = "a".repeat(64);
  const manifest = {
    format: "memoryoss.backup.v1" as const,
    created_at: "",
    memoryoss_version: "",
    source_home: "",
    key_included: false,
    db: "data/memoryoss.db",
    schema_version: 2,
    memory_count: 0,
    files: [{ path: "data/memoryoss.db", size: 3, sha256: sha, mode: 0o600 }],
  };
  const file = (size: number, sha256: string) => ({ size, sha256, type: "file" as const });
  const cases: [string, Map<string, ReturnType<typeof file>>, RegExp | null][] = [
    ["intact", new Map([["data/memoryoss.db", file(3, sha)]]), null],
    ["missing", new Map(), /missing from the archive/],
    ["size", new Map([["data/memoryoss.db", file(4, sha)]]), /size 4, expected 3/],
    ["hash", new Map([["data/memoryoss.db", file(3, "b".repeat(64))]]), /sha256 mismatch/],
    [
      "extra",
      new Map([["data/memoryoss.db", file(3, sha)], ["data/evil", file(1, sha)]]),
      /not listed/,
    ],
  ];
  for (const [name, scanned, want] of cases) {
    const problems = checkArchive(manifest, scanned);
    if (want) assert.match(problems.join("; "), want, name);
    else assert.deepEqual(problems, [], name);
  }
});

/** The key id of a key file, computed here: 12 hex digits of SHA-256 (docs/encryption.md). */
async function kidOfFile(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 12);
}

async function homeWithMemories(path: string, n = 40): Promise<void> {
  await withHomeRuntime(path, async (rt) => {
    for (let i = 0; i < n; i++) {
      await storeMemory(rt, {
        namespace: i % 2 ? "proj" : "ops",
        content: `Service ${i} listens on port ${8000 + i} behind the gateway ${i % 5}.`,
        tags: [`svc-${i % 3}`],
      });
    }
  });
}

Deno.test("a restore into a fresh home reproduces identical recall results", async () => {
  await using src = await tempDir();
  await using dst = await tempDir();
  await homeWithMemories(src.path);
  const now = () => new Date("2030-01-01T00:00:00Z");
  const queries = ["which port does service 7 use", "gateway 3", "svc-2"];
  const ask = (home: string) =>
    withHomeRuntime(home, async (rt) => {
      const out = [];
      for (const q of queries) {
        for (const ns of ["proj", "ops"]) {
          out.push(await recall(rt, { query: q, namespace: ns, explain: true }));
        }
      }
      return out;
    }, { now });
  const before = await ask(src.path);
  const archive = join(src.path, "..", `${src.path.split("/").pop()}.tar.gz`);
  try {
    const rt = await openHome(src.path);
    const m = await createBackup({
      home: src.path,
      dbPath: rt.loaded.dbPath,
      keyFiles: [rt.loaded.keyPath],
      includeKey: false,
      output: archive,
      now: new Date(),
      version: "test",
    });
    rt.close();
    assert.equal(m.memory_count, 40);
    assert.ok(!m.files.some((f) => f.path.endsWith("memoryoss.key")), "key left out by default");
    const fresh = join(dst.path, "home");
    const r = await restoreBackup({ archive, home: fresh, force: false });
    assert.equal(r.memory_count, 40);
    // Encrypted by default: without the key the restored memories fail clearly, not as garbage,
    // and opening the home does not slip a new key in beside them.
    assert.equal(r.encrypted_count, 40);
    const kid = await kidOfFile(rt.loaded.keyPath);
    assert.equal(r.missing_kid, kid);
    await assert.rejects(
      () => ask(fresh),
      new RegExp(`encrypted with key ${kid}, but .*memoryoss\\.key is missing`),
    );
    await assert.rejects(() => Deno.stat(join(fresh, "memoryoss.key")), Deno.errors.NotFound);
    await Deno.copyFile(rt.loaded.keyPath, join(fresh, "memoryoss.key"));
    assert.deepEqual(await ask(fresh), before);
    await assert.rejects(
      () => restoreBackup({ archive, home: fresh, force: false }),
      (e: Error & { code?: string }) => e.code === "FORBIDDEN",
    );
    const again = await restoreBackup({ archive, home: fresh, force: true });
    assert.equal(again.missing_kid, null, "the home holds the key now: nothing to warn about");
  } finally {
    await Deno.remove(archive).catch(() => {});
  }
});

Deno.test("a damaged or altered archive is refused before anything is written", async () => {
  await using src = await tempDir();
  await using out = await tempDir();
  await homeWithMemories(src.path, 5);
  const archive = join(out.path, "b.tar.gz");
  const rt = await openHome(src.path);
  await createBackup({
    home: src.path,
    dbPath: rt.loaded.dbPath,
    keyFiles: [rt.loaded.keyPath],
    includeKey: true,
    output: archive,
    now: new Date(),
    version: "test",
  });
  rt.close();
  const scan = await scanArchive(archive);
  assert.deepEqual(scan.problems, []);
  assert.ok(scan.manifest!.key_included);
  assert.ok(scan.manifest!.files.some((f) => f.path === "data/memoryoss.key" && f.mode === 0o600));
  // rewrite the archive with one byte of the config changed, keeping the old manifest
  const tar = new Uint8Array(
    await new Response(
      (await Deno.open(archive)).readable.pipeThrough(new DecompressionStream("gzip")),
    ).arrayBuffer(),
  );
  const text = new TextDecoder("latin1").decode(tar);
  const at = text.indexOf("[server]");
  assert.ok(at > 0);
  tar[at + 1] = "S".charCodeAt(0);
  const altered = join(out.path, "altered.tar.gz");
  await Deno.writeFile(
    altered,
    new Uint8Array(
      await new Response(new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip")))
        .arrayBuffer(),
    ),
  );
  const target = join(out.path, "target");
  await assert.rejects(
    () => restoreBackup({ archive: altered, home: target, force: false }),
    /sha256 mismatch/,
  );
  await assert.rejects(() => Deno.stat(target), Deno.errors.NotFound, "nothing was created");
  const truncated = join(out.path, "truncated.tar.gz");
  const whole = await Deno.readFile(archive);
  await Deno.writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  await assert.rejects(
    () => verifyBackup(truncated),
    (e: Error & { code?: string }) => e.code === "INVALID_INPUT",
  );
});

Deno.test("backup while another process writes gives a consistent database", async () => {
  await using src = await tempDir();
  await using out = await tempDir();
  await homeWithMemories(src.path, 2);
  const writer = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `
      import { DatabaseSync } from "node:sqlite";
      const db = new DatabaseSync(${JSON.stringify(join(src.path, "memoryoss.db"))});
      db.exec("PRAGMA busy_timeout = 10000");
      db.exec("CREATE TABLE IF NOT EXISTS churn (n INTEGER, pad TEXT)");
      const end = Date.now() + 1500;
      for (let i = 0; Date.now() < end; i++) {
        db.exec("BEGIN IMMEDIATE");
        db.prepare("INSERT INTO churn VALUES (?, ?)").run(i, "x".repeat(2000));
        db.exec("COMMIT");
      }
      db.close();
    `,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await new Promise((r) => setTimeout(r, 300));
  const rt = await openHome(src.path);
  const backups: string[] = [];
  for (let i = 0; i < 3; i++) {
    const archive = join(out.path, `b${i}.tar.gz`);
    await createBackup({
      home: src.path,
      dbPath: rt.loaded.dbPath,
      keyFiles: [],
      includeKey: false,
      output: archive,
      now: new Date(),
      version: "t",
    });
    backups.push(archive);
  }
  rt.close();
  const status = await writer.output();
  assert.ok(status.success, new TextDecoder().decode(status.stderr));
  const counts: number[] = [];
  for (const [i, archive] of backups.entries()) {
    const home = join(out.path, `r${i}`);
    await restoreBackup({ archive, home, force: false });
    const db = new DatabaseSync(join(home, "memoryoss.db"), { readOnly: true });
    try {
      const check = db.prepare("PRAGMA integrity_check").get() as { integrity_check: string };
      assert.equal(check.integrity_check, "ok");
      const n = db.prepare("SELECT count(*) AS n FROM memories").get() as { n: number };
      assert.equal(n.n, 2);
      const churn = db.prepare("SELECT count(*) AS n, max(n) AS top FROM churn").get() as {
        n: number;
        top: number;
      };
      assert.equal(churn.n, churn.top + 1, "a snapshot holds a whole prefix of the writes");
      counts.push(churn.n);
    } finally {
      db.close();
    }
  }
  assert.ok(counts[2] > counts[0], `writes went on during the backups: ${counts}`);
});

Deno.test("backup and restore CLI", async () => {
  await using src = await tempDir();
  await using out = await tempDir();
  await homeWithMemories(src.path, 3);
  const archive = join(out.path, "backup.tar.gz");
  const b = await run(src.path, ["backup", "-o", archive, "--json"]);
  assert.equal(b.code, 0, show(b));
  assert.equal(b.json().memory_count, 3);
  assert.equal(b.json().key_included, false);
  if (Deno.build.os !== "windows") assert.equal((await Deno.stat(archive)).mode! & 0o777, 0o600);
  const check = await run(out.path, ["restore", archive, "--check"]);
  assert.equal(check.code, 0, show(check));
  const fresh = join(out.path, "fresh");
  const r = await run(fresh, ["restore", archive]);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /restored 2 files \(3 memories/);
  const refused = await run(fresh, ["restore", archive]);
  assert.equal(refused.code, 5, show(refused));
  assert.match(refused.stderr, /refused: .* is not empty; pass --force/);
  const forced = await run(fresh, ["restore", archive, "--force"]);
  assert.equal(forced.code, 0, show(forced));
  const missing = await run(fresh, ["restore", join(out.path, "nope.tar.gz")]);
  assert.equal(missing.code, 4, show(missing));
  const nohome = await run(join(out.path, "absent"), ["backup", "-o", join(out.path, "x.tar.gz")]);
  assert.equal(nohome.code, 4, show(nohome));
});
