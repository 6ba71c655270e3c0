/**
 * memoryOSS's `backup-meta.json` through main.ts. Oracles: the spec's fields (memoryOSS §7:
 * `{version, created_at, data_dir, key_included}`, written after the `data/` tree, as a
 * pretty-printed JSON object with sorted keys, mode 0644, `created_at` RFC 3339 `+00:00`),
 * read back with the real `zstd` and GNU `tar`; and archives built here by hand the way
 * memoryOSS builds them (folder entries without a trailing slash, a `data/` tree, the meta
 * last, no manifest), compressed with node's own zstd.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import { constants, zstdCompressSync, zstdDecompressSync } from "node:zlib";
import { extract, pack } from "tar-stream";
import { cli, cliWith, storeJson } from "../cli/_helpers.ts";
import { hasCommand, skipIf } from "../_support/skip.ts";

const NO_TOOLS = !(await hasCommand("zstd") && await hasCommand("tar")) &&
  "needs zstd and tar on PATH";
const dec = new TextDecoder();
const enc = new TextEncoder();

async function sh(script: string, cwd: string): Promise<string> {
  const o = await new Deno.Command("sh", { args: ["-c", script], cwd, stderr: "piped" }).output();
  assert.ok(o.success, `${script}: ${dec.decode(o.stderr)}`);
  return dec.decode(o.stdout);
}

/** One hand-made tar entry. */
interface Entry {
  name: string;
  type: "file" | "directory" | "symlink";
  body?: Uint8Array;
  mode?: number;
  linkname?: string;
}

/** A tar.zst from `entries` in order (tar-stream for the tar, node:zlib zstd level 3). */
async function tarZst(entries: Entry[]): Promise<Uint8Array> {
  const p = pack();
  const chunks: Uint8Array[] = [];
  const done = (async () => {
    for await (const c of p as AsyncIterable<Uint8Array>) chunks.push(c);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) =>
      p.entry(
        {
          name: e.name,
          type: e.type,
          mode: e.mode ?? (e.type === "directory" ? 0o755 : 0o644),
          linkname: e.linkname,
          mtime: new Date("2026-03-13T12:00:00Z"),
          size: e.body?.length ?? 0,
        },
        Buffer.from(e.body ?? new Uint8Array(0)),
        (err?: Error | null) => (err ? reject(err) : resolve()),
      )
    );
  }
  p.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  return zstdCompressSync(tar, { params: { [constants.ZSTD_c_compressionLevel]: 3 } });
}

/** memoryOSS's meta as its backup writes it (spec §7), for the hand-built archives. */
const THEIR_META = {
  created_at: "2026-03-13T12:00:00.123456789+00:00",
  data_dir: "data",
  key_included: true,
  version: "0.2.0",
};
const REDB = enc.encode("redb-bytes-of-a-memoryOSS-store\u0000\u0001\u0002");
const FTS = enc.encode('{"segments":[]}');
const KEY = new Uint8Array(32).map((_, i) => i * 7);

function theirArchive(meta: unknown = THEIR_META, extra: Entry[] = []): Promise<Uint8Array> {
  return tarZst([
    { name: "data", type: "directory" },
    { name: "data/memoryoss.redb", type: "file", body: REDB, mode: 0o644 },
    { name: "data/memoryoss.key", type: "file", body: KEY, mode: 0o644 },
    { name: "data/fts", type: "directory" },
    { name: "data/fts/meta.json", type: "file", body: FTS },
    ...extra,
    { name: "backup-meta.json", type: "file", body: enc.encode(JSON.stringify(meta, null, 2)) },
  ]);
}

Deno.test(
  skipIf(NO_TOOLS, "backup writes memoryOSS's backup-meta.json (spec fields, order, mode)"),
  async () => {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-meta-" });
    const work = await Deno.makeTempDir({ prefix: "memoryoss-meta-out-" });
    try {
      await storeJson(home, "-n", "m", "The meta entry rides along with every backup.");
      const version = (await cli(home, "--version")).stdout.trim().split(/\s+/).pop()!;
      for (const withKey of [false, true]) {
        const before = Date.now();
        const args = ["backup", "-o", `b${withKey}.tar.zst`, ...(withKey ? ["--include-key"] : [])];
        const b = await cliWith(home, { cwd: work }, ...args);
        assert.equal(b.code, 0, b.stderr);
        const archive = join(work, `b${withKey}.tar.zst`);
        const text = await sh(`zstd -dc '${archive}' | tar -xOf - backup-meta.json`, work);
        const created = JSON.parse(text).created_at as string;
        assert.match(created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+00:00$/);
        const t = Date.parse(created);
        assert.ok(t >= Math.floor(before / 1000) * 1000 && t <= Date.now(), created);
        // Byte for byte: sorted keys, two-space indent, no final newline.
        assert.equal(
          text,
          `{\n  "created_at": "${created}",\n  "data_dir": ${JSON.stringify(home)},\n` +
            `  "key_included": ${withKey},\n  "version": "${version}"\n}`,
        );
        const listing = (await sh(`zstd -dc '${archive}' | tar -tvf -`, work)).trim().split("\n");
        const names = listing.map((l) => l.split(/\s+/).pop());
        // After the data/ tree, before our manifest (which stays last).
        assert.deepEqual(names.slice(-2), ["backup-meta.json", "backup-manifest.json"]);
        assert.ok(names.slice(0, -2).every((n) => n?.startsWith("data/")), names.join(" "));
        assert.match(listing.at(-2)!, /^-rw-r--r-- /);
        const manifest = JSON.parse(
          await sh(`zstd -dc '${archive}' | tar -xOf - backup-manifest.json`, work),
        );
        const sha = await crypto.subtle.digest("SHA-256", enc.encode(text));
        const hex = [...new Uint8Array(sha)].map((x) => x.toString(16).padStart(2, "0")).join("");
        assert.equal(manifest.meta_sha256, hex);
        const check = await cli(home, "restore", archive, "--check", "--json");
        assert.equal(check.code, 0, check.stderr);
        assert.equal(check.json().origin, "ours");
        assert.deepEqual(check.json().meta, JSON.parse(text));
      }
    } finally {
      await Deno.remove(home, { recursive: true });
      await Deno.remove(work, { recursive: true });
    }
  },
);

Deno.test("restore accepts an archive memoryOSS made (data/ tree + backup-meta.json)", async () => {
  const work = await Deno.makeTempDir({ prefix: "memoryoss-theirs-" });
  try {
    const archive = join(work, "memoryoss-backup-20260313-120000.tar.zst");
    await Deno.writeFile(archive, await theirArchive());
    const fresh = join(work, "fresh");
    const check = await cli(fresh, "restore", archive, "--check", "--json");
    assert.equal(check.code, 0, check.stderr);
    assert.equal(check.json().origin, "memoryOSS");
    assert.deepEqual(check.json().meta, THEIR_META);

    const r = await cli(fresh, "restore", archive, "--json");
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.equal(out.origin, "memoryOSS");
    assert.deepEqual(out.meta, THEIR_META);
    assert.equal(out.files, 3);
    assert.equal(out.key_included, true);
    assert.equal(out.created_at, THEIR_META.created_at);
    assert.deepEqual(await Deno.readFile(join(fresh, "memoryoss.redb")), REDB);
    assert.deepEqual(await Deno.readFile(join(fresh, "fts", "meta.json")), FTS);
    assert.deepEqual(await Deno.readFile(join(fresh, "memoryoss.key")), KEY);
    assert.equal((await Deno.stat(join(fresh, "memoryoss.key"))).mode! & 0o777, 0o600);
    assert.equal(
      await Deno.lstat(join(fresh, "backup-meta.json")).catch(() => null),
      null,
      "the meta entry is not a home file",
    );
    // The human line names memoryOSS's version and time, as memoryOSS's restore prints them.
    const again = await cli(join(work, "fresh2"), "restore", archive);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /memoryOSS backup: version 0\.2\.0, created 2026-03-13T12:00:00/);
    // A non-empty home is still refused without --force.
    const busy = await cli(fresh, "restore", archive);
    assert.equal(busy.code, 5, busy.stderr);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("restore refuses a memoryOSS archive with a bad meta or an unsafe entry", async () => {
  const work = await Deno.makeTempDir({ prefix: "memoryoss-theirs-bad-" });
  try {
    const { key_included: _, ...noKeyFlag } = THEIR_META;
    const cases: [string, Uint8Array, RegExp][] = [
      ["nometa", await theirArchive(noKeyFlag), /backup-meta\.json: key_included: /],
      [
        "notjson",
        await tarZst([
          { name: "data/x", type: "file", body: enc.encode("x") },
          { name: "backup-meta.json", type: "file", body: enc.encode("{not json") },
        ]),
        /backup-meta\.json is not JSON/,
      ],
      [
        "escape",
        await theirArchive(THEIR_META, [
          { name: "data/../escaped", type: "file", body: enc.encode("x") },
        ]),
        /data\/\.\.\/escaped: unsafe path/,
      ],
      [
        "link",
        await theirArchive(THEIR_META, [
          { name: "data/link", type: "symlink", linkname: "/etc/passwd" },
        ]),
        /data\/link: not a regular file/,
      ],
      [
        "outside",
        await theirArchive(THEIR_META, [
          { name: "elsewhere.txt", type: "file", body: enc.encode("x") },
        ]),
        /elsewhere\.txt: unsafe path/,
      ],
      [
        "neither",
        await tarZst([
          { name: "data/x", type: "file", body: enc.encode("x") },
        ]),
        /neither backup-manifest\.json nor backup-meta\.json/,
      ],
    ];
    for (const [name, bytes, why] of cases) {
      const archive = join(work, `${name}.tar.zst`);
      await Deno.writeFile(archive, bytes);
      const target = join(work, `target-${name}`);
      const r = await cli(target, "restore", archive);
      assert.equal(r.code, 3, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /is not a valid memoryoss backup/, name);
      assert.match(r.stderr, why, name);
      assert.equal(await Deno.lstat(target).catch(() => null), null, `${name}: wrote nothing`);
    }
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});

/** The entries of a tar.zst (node's zstd, tar-stream), in order. */
async function entriesOf(bytes: Uint8Array): Promise<Entry[]> {
  const x = extract();
  const out: Entry[] = [];
  const read = (async () => {
    for await (const e of x as AsyncIterable<AsyncIterable<Uint8Array> & { header: Entry }>) {
      const parts: Uint8Array[] = [];
      for await (const c of e) parts.push(c);
      const h = e.header;
      out.push({ name: h.name, type: h.type, mode: h.mode, body: Buffer.concat(parts) });
    }
  })();
  x.end(zstdDecompressSync(bytes));
  await read;
  return out;
}

Deno.test("our manifest still guards the meta entry: an altered backup-meta.json is refused", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-meta-alt-" });
  try {
    await storeJson(home, "-n", "m", "A memory in a backup whose meta gets altered.");
    const archive = join(home, "..", `${home.split("/").pop()}.tar.zst`);
    assert.equal((await cli(home, "backup", "-o", archive)).code, 0);
    const entries = await entriesOf(await Deno.readFile(archive));
    const meta = entries.find((e) => e.name === "backup-meta.json")!;
    const altered = entries.map((e) =>
      e === meta ? { ...e, body: enc.encode(dec.decode(e.body).replace("false", "true ")) } : e
    );
    const bad = join(home, "..", `${home.split("/").pop()}-altered.tar.zst`);
    await Deno.writeFile(bad, await tarZst(altered));
    const r = await cli(home, "restore", bad, "--check");
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /backup-meta\.json: sha256 mismatch/);
    const dropped = join(home, "..", `${home.split("/").pop()}-dropped.tar.zst`);
    await Deno.writeFile(dropped, await tarZst(entries.filter((e) => e !== meta)));
    const d = await cli(home, "restore", dropped, "--check");
    assert.equal(d.code, 3, d.stderr);
    assert.match(d.stderr, /backup-meta\.json: missing from the archive/);
    await Deno.remove(archive);
    await Deno.remove(bad);
    await Deno.remove(dropped);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
