/**
 * End to end: bad input never gets in, and one bad stored row never breaks a read of many.
 * Metadata depth (64 levels) and size (65536 bytes) limits, strict UTF-8 for stdin, files and
 * arguments, well-formed strings, empty filters that must not pass for a scope, and a row
 * planted straight into SQLite (as an old home could hold it).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  assertExit,
  assertOneLineError,
  assertUserError,
  cli,
  cliWith,
  type Json,
  listAll,
  MAIN,
  okJson,
  show,
  storeJson,
  withHome,
} from "./_helpers.ts";

/** JSON text of `n` objects nested in each other: {"a":{"a":…1…}}. */
const deep = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

/** How many objects are nested along the "a" keys. */
function depthOf(v: Json): number {
  let d = 0;
  for (; v !== null && typeof v === "object"; v = v.a) d++;
  return d;
}

const enc = (s: string) => new TextEncoder().encode(s);
/** `{"content":"caf` + C3 28 + `"}`: C3 starts a two-byte sequence, 28 cannot continue it. */
const BAD_UTF8_LINE = new Uint8Array([...enc('{"content":"caf'), 0xc3, 0x28, ...enc('"}')]);

Deno.test("cli input: --metadata past 64 levels or 65536 bytes exits 3 naming the limit; 64 levels are kept; update too", async () => {
  await withHome(async (home) => {
    for (const n of [10_000, 65]) {
      const r = await cli(home, "store", "-n", "lim", "--metadata", deep(n), "Too deep to keep");
      assertUserError(r, 3);
      assertOneLineError(r);
      assert.match(r.stderr, /metadata: nested deeper than 64 levels/, show(r));
    }
    const big = JSON.stringify({ x: "y".repeat(70_000) });
    const r = await cli(home, "store", "-n", "lim", "--metadata", big, "Too big to keep");
    assertUserError(r, 3);
    assert.match(r.stderr, /metadata: .*65536-byte limit/, show(r));
    assert.equal((await listAll(home, "lim")).total, 0);

    const ok = await storeJson(home, "-n", "lim", "--metadata", deep(64), "Exactly at the limit");
    const up = await cli(home, "update", ok.id, "--metadata", deep(10_000));
    assertUserError(up, 3);
    assert.match(up.stderr, /metadata: nested deeper than 64 levels/, show(up));
    const list = await listAll(home, "lim");
    assert.equal(list.total, 1);
    assert.equal(list.memories[0].version, 1, "the refused update changed nothing");
    assert.equal(depthOf(list.memories[0].metadata), 64);
    const exp = okJson(await cli(home, "export", "-n", "lim"));
    assert.equal(exp.count, 1);
  });
});

Deno.test("cli import: lines with too-deep metadata, invalid UTF-8 or a lone surrogate are skipped and reported (exit 1)", async () => {
  await withHome(async (home) => {
    const lines: Uint8Array[] = [
      /* 1 */ enc(JSON.stringify({ content: "Import keeps the VPN notes in the wiki" })),
      /* 2 */ enc(`{"content":"Nested far too deep","metadata":${deep(10_000)}}`),
      /* 3 */ BAD_UTF8_LINE,
      /* 4 */ enc('{"content":"A lone \\ud800 surrogate"}'),
      /* 5 */ enc('{"content":"Fine","metadata":{"\\udfff":1}}'),
      /* 6 */ enc(JSON.stringify({ content: "The on-call rota changes on Mondays" })),
    ];
    const bytes = new Uint8Array(lines.flatMap((l) => [...l, 0x0a]));
    const file = `${home}/in.jsonl`;
    await Deno.writeFile(file, bytes);
    const expected: [number, RegExp][] = [
      [2, /^line 2: metadata: nested deeper than 64 levels/],
      [3, /^line 3: not valid UTF-8$/],
      [4, /^line 4: content: not well-formed Unicode/],
      [5, /^line 5: metadata: key #1 is not well-formed Unicode/],
    ];
    const fromFile = await cli(home, "import", "-n", "imp", "--file", file);
    const fromStdin = await cliWith(home, { stdin: bytes }, "import", "-n", "imp2", "-");
    for (const r of [fromFile, fromStdin]) {
      assertExit(r, 1);
      assert.equal(
        r.stdout.trim(),
        "imported 2 new, merged 0 duplicate(s), skipped 4 bad line(s)",
        show(r),
      );
      const errs = r.stderr.trim().split("\n");
      assert.equal(errs.length, 4, show(r));
      expected.forEach(([, re], i) => assert.match(errs[i], re, show(r)));
    }
    for (const ns of ["imp", "imp2"]) {
      const got = (await listAll(home, ns)).memories.map((m: Json) => m.content).sort();
      assert.deepEqual(got, [
        "Import keeps the VPN notes in the wiki",
        "The on-call rota changes on Mondays",
      ]);
    }
  });
});

Deno.test("cli input: invalid UTF-8 on stdin or in an argument exits 3 and stores nothing; a real U+FFFD on stdin is kept", async () => {
  await withHome(async (home) => {
    const stdin = await cliWith(
      home,
      { stdin: new Uint8Array([...enc("caf"), 0xc3, 0x28, ...enc(" ok\n")]) },
      "store",
      "-n",
      "utf",
      "-",
    );
    assertUserError(stdin, 3);
    assert.match(stdin.stderr, /stdin is not valid UTF-8/, show(stdin));
    const surrogate = await cli(home, "store", "-n", "utf", "--metadata", '{"k":"\\ud800"}', "x");
    assertUserError(surrogate, 3);
    assert.match(surrogate.stderr, /metadata\.k: not well-formed Unicode/, show(surrogate));
    const kept = "A real replacement character \ufffd typed on purpose";
    okJson(await cliWith(home, { stdin: kept + "\n" }, "store", "-n", "utf", "--json", "-"));
    const list = await listAll(home, "utf");
    assert.deepEqual(list.memories.map((m: Json) => m.content), [kept]);
  });
});

Deno.test({
  name: "cli input: an argument holding invalid UTF-8 bytes exits 3 and stores nothing",
  ignore: Deno.build.os === "windows", // needs a POSIX shell to pass raw bytes
  async fn() {
    await withHome(async (home) => {
      // The shell passes the raw byte FF (never valid UTF-8) in the argument.
      const out = await new Deno.Command("/bin/sh", {
        args: [
          "-c",
          `exec "$0" run -A --quiet "$1" store -n utf "$(printf 'caf\\377 ok')"`,
          Deno.execPath(),
          MAIN,
        ],
        env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 3, stderr);
      assert.match(stderr, /^memoryoss: error: argument 1 is not valid UTF-8/);
      assert.equal((await listAll(home, "utf")).total, 0);
    });
  },
});

Deno.test("cli forget: an empty --agent, --session, --tags or --ids is no filter: refused, every memory survives", async () => {
  await withHome(async (home) => {
    await storeJson(
      home,
      "-n",
      "keep",
      "--agent",
      "a1",
      "--session",
      "s1",
      "Backups run nightly at 02:00 UTC",
    );
    await storeJson(
      home,
      "-n",
      "keep",
      "--agent",
      "a1",
      "--session",
      "s1",
      "The VPN config is in the wiki",
    );
    // Empty provenance: once matched by `agent = ''`, so an empty filter deleted it.
    await storeJson(
      home,
      "-n",
      "keep",
      "--agent",
      "",
      "--session",
      "",
      "Grafana lives on port 3000",
    );
    for (const flags of [["--agent", ""], ["--session", ""], ["--tags", ""], ["--ids", ""]]) {
      const r = await cli(home, "forget", "-n", "keep", ...flags);
      assertUserError(r, 3);
      assert.match(r.stderr, /refusing an unscoped forget/, show(r));
    }
    assert.equal((await listAll(home, "keep")).total, 3);
  });
});

/** Replace a row's metadata text directly in SQLite; returns the text it held. */
function plantMetadata(home: string, id: string, text: string): string {
  const db = new DatabaseSync(`${home}/memoryoss.db`);
  try {
    const row = db.prepare("SELECT metadata FROM memories WHERE id = ?").get(id) as {
      metadata: string;
    };
    db.prepare("UPDATE memories SET metadata = ? WHERE id = ?").run(text, id);
    return row.metadata;
  } finally {
    db.close();
  }
}

function storedMetadata(home: string, id: string): string {
  const db = new DatabaseSync(`${home}/memoryoss.db`);
  try {
    return (db.prepare("SELECT metadata FROM memories WHERE id = ?").get(id) as {
      metadata: string;
    }).metadata;
  } finally {
    db.close();
  }
}

Deno.test("cli read: a row with metadata nested 10,000 levels (planted in SQLite) breaks no list, recall, export or passport export, and is kept", async () => {
  await withHome(async (home) => {
    // Plain rows, so the planted text is what the store reads (encryption is on by default).
    await Deno.writeTextFile(`${home}/memoryoss.toml`, "[encryption]\nenabled = false\n");
    const good = await storeJson(
      home,
      "-n",
      "old",
      "--metadata",
      '{"owner":"ops"}',
      "Deploy only after the staging signoff",
    );
    const bad = await storeJson(
      home,
      "-n",
      "old",
      "--metadata",
      '{"k":1}',
      "The staging cluster runs in eu-west",
    );
    const planted = deep(10_000);
    assert.equal(plantMetadata(home, bad.id, planted), '{"k":1}', "rows are stored in plain");

    const list = await cli(home, "list", "-n", "old", "--json");
    const byId = new Map(okJson(list).memories.map((m: Json) => [m.id, m]));
    assert.equal(byId.size, 2);
    assert.deepEqual((byId.get(good.id) as Json).metadata, { owner: "ops" });
    assert.deepEqual(Object.keys((byId.get(bad.id) as Json).metadata), [
      "memoryoss_unreadable_metadata",
    ]);
    assert.match(list.stderr, new RegExp(`warning: memory ${bad.id}: metadata is nested deeper`));

    const recall = okJson(await cli(home, "recall", "-n", "old", "--json", "staging"));
    assert.deepEqual(recall.memories.map((m: Json) => m.id).sort(), [good.id, bad.id].sort());
    const exp = okJson(await cli(home, "export", "-n", "old"));
    assert.equal(exp.count, 2);
    assert.ok(exp.memories.some((m: Json) => m.metadata.owner === "ops"));
    const passport = await cli(home, "passport", "export", "-n", "old");
    assertExit(passport, 0);
    assert.ok(passport.stdout.includes("Deploy only after the staging signoff"), show(passport));

    // Rewriting the record (new tags, then a duplicate merged into it) keeps the stored text.
    okJson(await cli(home, "update", bad.id, "--tags", "kept", "--json"));
    await storeJson(home, "-n", "old", "The staging cluster runs in eu-west");
    assert.equal(storedMetadata(home, bad.id), planted);
    const after = await listAll(home, "old");
    assert.deepEqual(after.memories.find((m: Json) => m.id === bad.id).tags, ["kept"]);
  });
});
