/** End to end: list paging and filters, status, `embed reembed`, export errors. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  assertExit,
  assertNoStack,
  assertOneLineError,
  assertUserError,
  cli,
  cliWith,
  type Json,
  okJson,
  show,
  storeJson,
  withHome,
} from "./_helpers.ts";

Deno.test("cli list: newest first, --status, --limit, --offset, --oldest, --tags, text and JSON", async () => {
  await withHome(async (home) => {
    const ids: string[] = [];
    for (let d = 1; d <= 5; d++) {
      const r = await storeJson(
        home,
        "-n",
        "demo",
        "--created-at",
        `2025-03-0${d}T12:00:00Z`,
        "--tags",
        d % 2 ? "odd" : "even",
        `Daily standup note number ${d}: ${["alpha", "bravo", "charlie", "delta", "echo"][d - 1]}`,
      );
      ids.push(r.id);
    }
    const newest = [...ids].reverse();
    okJson(await cli(home, "update", ids[1], "--status", "stale", "--json"));

    const [all, page1, page2, last, oldest, active, stale, odd] = await Promise.all([
      cli(home, "list", "-n", "demo", "--json"),
      cli(home, "list", "-n", "demo", "--json", "--limit", "2"),
      cli(home, "list", "-n", "demo", "--json", "--limit", "2", "--offset", "2"),
      cli(home, "list", "-n", "demo", "--json", "--offset", "4"),
      cli(home, "list", "-n", "demo", "--json", "--oldest", "-l", "1"),
      cli(home, "list", "-n", "demo", "--json", "--status", "active"),
      cli(home, "list", "-n", "demo", "--json", "--status", "stale"),
      cli(home, "list", "-n", "demo", "--json", "--tags", "odd"),
    ]);
    const a = okJson(all);
    assert.equal(a.namespace, "demo");
    assert.equal(a.total, 5);
    assert.equal(a.offset, 0);
    assert.deepEqual(a.memories.map((m: Json) => m.id), newest);
    for (const m of a.memories) {
      for (const k of ["id", "content", "tags", "namespace", "status", "created_at", "metadata"]) {
        assert.ok(k in m, `list record has ${k}`);
      }
      assert.ok(!("embedding" in m));
    }
    const p1 = okJson(page1);
    assert.equal(p1.total, 5);
    assert.deepEqual(p1.memories.map((m: Json) => m.id), newest.slice(0, 2));
    const p2 = okJson(page2);
    assert.equal(p2.offset, 2);
    assert.deepEqual(p2.memories.map((m: Json) => m.id), newest.slice(2, 4));
    assert.deepEqual(okJson(last).memories.map((m: Json) => m.id), newest.slice(4));
    assert.deepEqual(okJson(oldest).memories.map((m: Json) => m.id), [ids[0]]);
    const act = okJson(active);
    assert.equal(act.total, 4);
    assert.ok(act.memories.every((m: Json) => m.status === "active"));
    assert.ok(!act.memories.some((m: Json) => m.id === ids[1]));
    assert.deepEqual(okJson(stale).memories.map((m: Json) => m.id), [ids[1]]);
    assert.deepEqual(
      okJson(odd).memories.map((m: Json) => m.id),
      [ids[4], ids[2], ids[0]],
    );

    const [text, textPage, empty, ...bad] = await Promise.all([
      cli(home, "list", "-n", "demo"),
      cli(home, "list", "-n", "demo", "--limit", "2"),
      cli(home, "list", "-n", "nobody"),
      cli(home, "list", "-n", "demo", "--limit", "0"),
      cli(home, "list", "-n", "demo", "--limit", "abc"),
      cli(home, "list", "-n", "demo", "--offset", "-1"),
      cli(home, "list", "-n", "demo", "--status", "bogus"),
      cli(home, "list", "-n", "demo", "--before", "not-a-date"),
    ]);
    assertExit(text, 0);
    const lines = text.stdout.trim().split("\n");
    assert.equal(lines[0], "demo: 5 memories");
    assert.equal(lines.length, 6);
    assert.match(
      lines[1],
      new RegExp(`^${ids[4]}  2025-03-05  active +Daily standup note number 5`),
    );
    assert.match(lines[4], new RegExp(`^${ids[1]}  2025-03-02  stale `));
    assertExit(textPage, 0);
    assert.match(textPage.stdout, /… more: --offset 2/);
    assertExit(empty, 0);
    assert.equal(empty.stdout.trim(), "nobody: 0 memories");
    const reasons = [/--limit/, /--limit/, /offset/, /status/, /before/];
    bad.forEach((r, i) => {
      assertUserError(r, 3);
      assert.match(r.stderr, reasons[i]);
    });
  });
});

Deno.test("cli list --json: following next_offset walks every memory exactly once; null on the last page", async () => {
  await withHome(async (home) => {
    const contents = [
      "Paging note one about apples.",
      "Paging note two about bridges.",
      "Paging note three about candles.",
      "Paging note four about dunes.",
      "Paging note five about engines.",
      "Paging note six about forests.",
      "Paging note seven about glaciers.",
    ];
    const jsonl = contents.map((content, i) =>
      JSON.stringify({ content, created_at: `2025-04-0${i + 1}T08:00:00Z` })
    ).join("\n");
    assertExit(await cliWith(home, { stdin: jsonl }, "import", "-n", "pg", "-"), 0);

    const seen: string[] = [];
    const offsets: (number | null)[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page: Json = okJson(
        await cli(home, "list", "-n", "pg", "--json", "--limit", "3", "--offset", String(offset)),
      );
      assert.equal(page.offset, offset);
      seen.push(...page.memories.map((m: Json) => m.content));
      offset = page.next_offset;
      offsets.push(offset);
      assert.ok(offsets.length <= 3, `too many pages: ${offsets}`);
    }
    assert.deepEqual(offsets, [3, 6, null]);
    assert.equal(seen.length, 7, "no memory twice");
    assert.deepEqual([...seen].sort(), [...contents].sort());
    // Newest first: the last page holds the oldest memory.
    assert.equal(seen.at(-1), contents[0]);

    // A page that ends exactly on the last memory, and a page past the end, say null.
    const exact = okJson(await cli(home, "list", "-n", "pg", "--json", "--limit", "7"));
    assert.equal(exact.next_offset, null);
    const past = okJson(await cli(home, "list", "-n", "pg", "--json", "--offset", "9"));
    assert.deepEqual([past.memories, past.next_offset], [[], null]);
  });
});

Deno.test("cli status: JSON has namespaces with counts, embedder {id, dim}, db_path, storage engine; text summary", async () => {
  await withHome(async (home) => {
    const fresh = okJson(await cli(home, "status", "--json"));
    assert.equal(fresh.total_memories, 0);
    assert.deepEqual(fresh.namespaces, []);
    // The engine serving the home (issue 22). 8: the newest version in lib/store/schema.ts's
    // MIGRATIONS ("footprint", issue 21), written here by hand; a fresh home is migrated to it.
    assert.equal(fresh.storage.engine, "sqlite");
    assert.equal(fresh.storage.schema_version, 8);
    assert.ok(fresh.storage.path.endsWith("/memoryoss.db"), fresh.storage.path);
    assert.equal(fresh.schema_version, 8, "the existing field is kept beside storage");
    await Promise.all([
      storeJson(home, "-n", "alpha", "Alpha one: the office wifi password rotates monthly."),
      storeJson(home, "-n", "alpha", "Alpha two: lunch is at noon on weekdays."),
      storeJson(home, "-n", "beta", "Beta one: invoices are due on the 5th."),
    ]);
    const s = okJson(await cli(home, "status", "--json"));
    assert.equal(s.home, home);
    assert.equal(s.db_path, `${home}/memoryoss.db`);
    assert.ok((await Deno.stat(s.db_path)).isFile);
    assert.ok(s.db_bytes > 0);
    assert.equal(typeof s.embedder.id, "string");
    assert.ok(s.embedder.id.length > 0);
    assert.ok(Number.isInteger(s.embedder.dim) && s.embedder.dim > 0);
    assert.equal(s.total_memories, 3);
    assert.equal(s.needs_reembed, 0);
    assert.equal(s.vector_index_size, 3);
    const ns = Object.fromEntries(s.namespaces.map((n: Json) => [n.namespace, n]));
    assert.deepEqual(Object.keys(ns).sort(), ["alpha", "beta"]);
    assert.equal(ns.alpha.total, 2);
    assert.equal(ns.alpha.by_status.active, 2);
    assert.equal(ns.beta.total, 1);
    assert.ok(!Number.isNaN(Date.parse(s.last_activity)));

    const text = await cli(home, "status");
    assertExit(text, 0);
    assert.match(text.stdout, new RegExp(`^home +${home}$`, "m"));
    assert.match(text.stdout, /^database +.*memoryoss\.db \(\d+\.\d MiB, schema v\d+\)$/m);
    assert.match(
      text.stdout,
      new RegExp(`^storage +sqlite ${home}/memoryoss\\.db \\(schema v8\\)$`, "m"),
    );
    assert.match(
      text.stdout,
      new RegExp(`^embedder +${s.embedder.id} \\(${s.embedder.dim} dims\\)$`, "m"),
    );
    assert.match(text.stdout, /^memories +3 in 2 namespace\(s\)/m);
    assert.match(text.stdout, /^ {2}alpha +2 {2}active 2$/m);
    const extra = await cli(home, "status", "extra-arg", "--bogus");
    assertUserError(extra, 3);
  });
});

Deno.test("cli embed reembed: replaces vectors from another embedder; --json shape; --namespace scope", async () => {
  await withHome(async (home) => {
    await storeJson(home, "-n", "demo", "Reembed me: the payroll run is on the 25th.");
    await storeJson(home, "-n", "demo", "Reembed me too: expenses need a receipt.");
    await storeJson(home, "-n", "keep", "Another namespace: the printer is on floor 2.");
    const none = okJson(await cli(home, "embed", "reembed", "--all-namespaces", "--json"));
    assert.deepEqual(Object.keys(none).sort(), ["embedder_id", "namespaces", "reembedded"]);
    assert.equal(none.reembedded, 0, "everything is current after store");
    assert.deepEqual([...none.namespaces].sort(), ["demo", "keep"]);

    // Pretend the embedder changed: mark every vector as coming from another model.
    const db = new DatabaseSync(`${home}/memoryoss.db`);
    try {
      db.exec("UPDATE memories SET embedder_id = 'old:model@1'");
    } finally {
      db.close();
    }
    const before = okJson(await cli(home, "status", "--json"));
    assert.equal(before.needs_reembed, 3);
    const warn = await cli(home, "status");
    assert.match(
      warn.stdout,
      /3 memories embedded by another model: run 'memoryoss embed reembed --all-namespaces'/,
    );

    const demoOnly = okJson(await cli(home, "embed", "reembed", "--namespace", "demo", "--json"));
    assert.equal(demoOnly.reembedded, 2);
    assert.deepEqual(demoOnly.namespaces, ["demo"]);
    assert.equal(demoOnly.embedder_id, before.embedder.id);
    assert.equal(okJson(await cli(home, "status", "--json")).needs_reembed, 1);

    const text = await cli(home, "embed", "reembed", "--all-namespaces");
    assertExit(text, 0);
    assert.equal(text.stdout.trim(), `re-embedded 1 memories with ${before.embedder.id}`);
    const after = okJson(await cli(home, "status", "--json"));
    assert.equal(after.needs_reembed, 0);
    assert.equal(after.vector_index_size, 3);
    const rec = okJson(await cli(home, "recall", "-n", "demo", "--json", "when is payroll"));
    assert.match(rec.memories[0].content, /payroll/);

    const [noSub, badSub] = await Promise.all([
      cli(home, "embed"),
      cli(home, "embed", "frobnicate"),
    ]);
    for (const r of [noSub, badSub]) {
      assertUserError(r, 3);
      assert.match(r.stderr, /embed (needs a|subcommand).*\(one of: reembed, swap, status\)/);
    }
  });
});

Deno.test({
  name: "cli export: -o into a missing folder is a clear error, not an internal error",
  // BUG: `memoryoss export -n demo -o /no/such/dir/x.json` prints "memoryoss: internal error:
  // No such file or directory (os error 2): writefile '/no/such/dir/x.json'" (exit 2): the
  // write in cli/memory_read.ts exportCmd is not wrapped in a MemoryossError, so a user's
  // typo in a path is reported as a memoryoss bug instead of "cannot write FILE: …".
  fn: async () => {
    await withHome(async (home) => {
      await storeJson(home, "-n", "demo", "something to export");
      const r = await cli(home, "export", "-n", "demo", "-o", `${home}/no/such/dir/x.json`);
      assert.ok(r.code !== 0, show(r));
      assertNoStack(r);
      assertOneLineError(r);
      assert.doesNotMatch(r.stderr, /internal error/);
      assert.match(r.stderr, /no\/such\/dir\/x\.json/);
    });
  },
});
