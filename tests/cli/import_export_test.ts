/** End to end: JSONL import with bad lines, --strict, --json, and export → import round trips. */
import assert from "node:assert/strict";
import {
  assertExit,
  assertUserError,
  cli,
  cliWith,
  type Json,
  listAll,
  okJson,
  show,
  storeJson,
  withHome,
} from "./_helpers.ts";

const JSONL = [
  /* 1 */ JSON.stringify({
    content: "Good line one: the VPN config is in /etc/wireguard/wg0.conf",
    tags: ["vpn"],
    agent: "importer",
    session: "s-1",
    created_at: "2024-05-06T07:08:09Z",
    metadata: { src: "jsonl", n: 1 },
  }),
  /* 2 */ '{"content": "broken json',
  /* 3 */ JSON.stringify({ content: "" }),
  /* 4 */ "",
  /* 5 */ JSON.stringify({ content: "Wrong type for tags", tags: "not-a-list" }),
  /* 6 */ JSON.stringify({ content: "Good line two: the on-call rota changes on Mondays" }),
  /* 7 */ JSON.stringify({ content: "Unknown field", colour: "blue" }),
  /* 8 */ "42",
  /* 9 */ JSON.stringify({
    content: "Good line three: grafana lives at :3000",
    memory_type: "episodic",
  }),
].join("\n") + "\n";

const GOOD = [1, 6, 9];
const BAD: [number, RegExp][] = [
  [2, /not valid JSON/],
  [3, /content/],
  [5, /tags/],
  [7, /colour/],
  [8, /./],
];

Deno.test("cli import: good lines imported, bad lines reported by line number, exit 1; --strict imports nothing", async () => {
  await withHome(async (home) => {
    const file = `${home}/in.jsonl`;
    await Deno.writeTextFile(file, JSONL);

    const text = await cli(home, "import", "--namespace", "imp", "--file", file);
    assertExit(text, 1);
    assert.equal(
      text.stdout.trim(),
      `imported ${GOOD.length} new, merged 0 duplicate(s), skipped ${BAD.length} bad line(s)`,
    );
    const errLines = text.stderr.trim().split("\n");
    assert.equal(errLines.length, BAD.length, show(text));
    BAD.forEach(([line, re], i) => {
      assert.match(errLines[i], new RegExp(`^line ${line}: `));
      assert.match(errLines[i], re);
    });
    assert.ok(!/^\s+at /m.test(text.stderr), "no stack trace");

    const list = await listAll(home, "imp", "--oldest");
    assert.equal(list.total, GOOD.length);
    const one = list.memories.find((m: Json) => m.content.startsWith("Good line one"));
    assert.deepEqual(one.tags, ["vpn"]);
    assert.equal(one.agent, "importer");
    assert.equal(one.session, "s-1");
    assert.equal(new Date(one.created_at).toISOString(), "2024-05-06T07:08:09.000Z");
    assert.deepEqual(one.metadata, { src: "jsonl", n: 1 });
    assert.equal(
      list.memories.find((m: Json) => m.content.startsWith("Good line three")).memory_type,
      "episodic",
    );

    // --json shape; re-importing the same lines merges instead of duplicating.
    const again = await cli(home, "import", "-n", "imp", "-f", file, "--json");
    assertExit(again, 1);
    const j = again.json();
    assert.deepEqual(Object.keys(j).sort(), [
      "created",
      "failed",
      "ids",
      "merged",
      "total",
      "unchanged",
    ]);
    assert.equal(j.total, GOOD.length + BAD.length);
    assert.equal(j.created, 0);
    assert.equal(j.merged, GOOD.length);
    assert.equal(j.unchanged, 0, "JSONL lines are new evidence, not an export coming back");
    assert.deepEqual(j.failed.map((f: Json) => f.line), BAD.map(([l]) => l));
    for (const f of j.failed) {
      assert.deepEqual(Object.keys(f).sort(), ["line", "message"]);
      assert.equal(typeof f.message, "string");
    }
    assert.deepEqual(
      [...j.ids].sort(),
      list.memories.map((m: Json) => m.id).sort(),
      "ids are the merged targets",
    );
    assert.equal((await listAll(home, "imp")).total, GOOD.length);

    // --strict: exit 3, names the first bad line, imports nothing.
    const strict = await cli(home, "import", "-n", "strict", "--file", file, "--strict");
    assertUserError(strict, 3);
    assert.match(strict.stderr, /line 2: .*nothing imported because of --strict/);
    assert.equal((await listAll(home, "strict")).total, 0);

    // A clean file under --strict, and stdin.
    const clean = GOOD.map((n) => JSONL.split("\n")[n - 1]).join("\n");
    await Deno.writeTextFile(`${home}/clean.jsonl`, clean);
    const ok = okJson(
      await cli(
        home,
        "import",
        "-n",
        "strict",
        "--file",
        `${home}/clean.jsonl`,
        "--strict",
        "--json",
      ),
    );
    assert.equal(ok.created, GOOD.length);
    assert.deepEqual(ok.failed, []);
    const viaStdin = await cliWith(home, { stdin: clean }, "import", "-n", "stdin", "-");
    assertExit(viaStdin, 0);
    assert.match(
      viaStdin.stdout,
      /^imported 3 new, merged 0 duplicate\(s\), skipped 0 bad line\(s\)/,
    );
    assert.equal((await listAll(home, "stdin")).total, GOOD.length);

    // Unreadable input is a usage error.
    const [missing, noFile] = await Promise.all([
      cli(home, "import", "-n", "x", "--file", `${home}/nope.jsonl`),
      cli(home, "import", "-n", "x"),
    ]);
    assertUserError(missing, 3);
    assert.match(missing.stderr, /cannot read .*nope\.jsonl/);
    assertUserError(noFile, 3);
    assert.match(noFile.stderr, /--file/);
  });
});

Deno.test("cli export → import: a fresh home gets content, tags, created_at, metadata, agent and session back", async () => {
  await withHome(async (homeA) => {
    await withHome(async (homeB) => {
      const inputs = [
        [
          "--tags",
          "deploy,policy",
          "--agent",
          "claude",
          "--session",
          "s1",
          "--created-at",
          "2025-01-02T03:04:05Z",
          "--metadata",
          '{"k":1}',
          "--type",
          "procedural",
          "--category",
          "decision",
          "Deploy only after staging signoff.",
        ],
        [
          "--tags",
          "db",
          "--agent",
          "codex",
          "--session",
          "s2",
          "--created-at",
          "2024-12-31T23:59:59.500Z",
          "--metadata",
          '{"nested":{"x":[1,"two",null]}}',
          "The database is PostgreSQL 16.",
        ],
        [
          "--created-at",
          "2025-06-01T00:00:00+02:00",
          "Ünïcödé content — with emoji 🚀 and\nnewlines.",
        ],
      ];
      for (const args of inputs) await storeJson(homeA, "-n", "demo", ...args);
      await storeJson(homeA, "-n", "other", "Not part of the demo export.");

      const out = `${homeA}/dump.json`;
      const [toStdout, toFile, empty] = await Promise.all([
        cli(homeA, "export", "--namespace", "demo"),
        cli(homeA, "export", "-n", "demo", "-o", out),
        cli(homeA, "export", "-n", "nothing-here"),
      ]);
      const doc = okJson(toStdout);
      assert.equal(doc.format, "memoryoss.export.v1");
      assert.equal(doc.namespace, "demo");
      assert.equal(doc.count, 3);
      assert.ok(doc.memories.every((m: Json) => m.namespace === "demo" && !("embedding" in m)));
      assertExit(toFile, 0);
      assert.equal(toFile.stdout, "");
      assert.match(toFile.stderr, /exported 3 memories to .*dump\.json/);
      const fileDoc = JSON.parse(await Deno.readTextFile(out));
      assert.deepEqual({ ...fileDoc, exported_at: 0 }, { ...doc, exported_at: 0 });
      const e = okJson(empty);
      assert.equal(e.count, 0);
      assert.deepEqual(e.memories, []);

      const imp = okJson(await cli(homeB, "import", "--file", out, "--json"));
      assert.equal(imp.created, 3);
      assert.deepEqual(imp.failed, []);
      const back = await listAll(homeB, "demo");
      assert.equal(back.total, 3);
      const FIELDS = [
        "content",
        "tags",
        "created_at",
        "metadata",
        "agent",
        "session",
        "memory_type",
        "category",
        "status",
      ];
      for (const orig of doc.memories) {
        const copy = back.memories.find((m: Json) => m.content === orig.content);
        assert.ok(copy, `re-imported: ${orig.content}`);
        for (const f of FIELDS) assert.deepEqual(copy[f], orig[f], `${f} of ${orig.content}`);
      }
      assert.equal((await listAll(homeB, "other")).total, 0);

      // --namespace puts an export somewhere else; exporting again gives the same records.
      const renamed = okJson(await cli(homeB, "import", "-n", "renamed", "-f", out, "--json"));
      assert.equal(renamed.created, 3);
      const again = okJson(await cli(homeB, "export", "-n", "renamed"));
      const pick = (m: Json) => FIELDS.map((f) => JSON.stringify(m[f])).join("|");
      assert.deepEqual(again.memories.map(pick).sort(), doc.memories.map(pick).sort());
    });
  });
});

/** id, version and evidence count of every memory in a namespace, by id. */
async function snapshot(home: string, ns: string): Promise<string[]> {
  const list = await listAll(home, ns);
  return list.memories.map((m: Json) => `${m.id} v${m.version} e${m.evidence_count}`).sort();
}

Deno.test("cli export → import of our own export, twice: the same ids, versions and evidence counts", async () => {
  await withHome(async (home) => {
    await storeJson(home, "--tags", "deploy", "Deploy only after staging sign-off.");
    // Stored twice: version 2, evidence 2 before any import.
    await storeJson(home, "--tags", "db", "The billing database is Postgres 16.");
    await storeJson(home, "--tags", "db", "The billing database is Postgres 16.");
    await storeJson(home, "Grafana lives at grafana.example.internal:3000");
    const before = await snapshot(home, "default");
    assert.equal(before.length, 3);
    assert.equal(before.filter((s) => s.endsWith(" v2 e2")).length, 1);

    // `memoryoss export > dump.json`
    const dump = await cli(home, "export");
    assert.equal(okJson(dump).count, 3);
    await Deno.writeTextFile(`${home}/dump.json`, dump.stdout);
    for (const round of [1, 2]) {
      const imp = okJson(await cli(home, "import", "-f", `${home}/dump.json`, "--json"));
      assert.deepEqual(
        { created: imp.created, merged: imp.merged, unchanged: imp.unchanged },
        { created: 0, merged: 0, unchanged: 3 },
        `round ${round}`,
      );
      assert.deepEqual(await snapshot(home, "default"), before, `round ${round}`);
    }

    // Into another home: the first import creates, the second changes nothing.
    await withHome(async (other) => {
      const first = okJson(await cli(other, "import", "-f", `${home}/dump.json`, "--json"));
      assert.equal(first.created, 3);
      const after = await snapshot(other, "default");
      assert.ok(after.every((s) => s.endsWith(" v1 e1")), after.join("\n"));
      const second = okJson(await cli(other, "import", "-f", `${home}/dump.json`, "--json"));
      assert.deepEqual([second.created, second.merged, second.unchanged], [0, 0, 3]);
      assert.deepEqual(await snapshot(other, "default"), after);
    });
  });
});

Deno.test("cli import: near-miss lines stay separate memories; a true duplicate merges", async () => {
  await withHome(async (home) => {
    const lines = [
      "ns line A",
      "ns line B",
      "port 8080",
      "port 8081",
      "deploy on Monday",
      "deploy on Tuesday",
      "use postgres 15",
      "use postgres 16",
      "Alice owns billing",
      "Bob owns billing",
      "Deploy only after staging sign-off.",
      "deploy only after staging sign-off",
    ];
    const jsonl = lines.map((content) => JSON.stringify({ content })).join("\n");
    const imp = okJson(await cliWith(home, { stdin: jsonl }, "import", "-n", "nm", "-", "--json"));
    assert.deepEqual([imp.created, imp.merged], [11, 1]);
    const list = await listAll(home, "nm");
    assert.equal(list.total, 11);
    const contents = list.memories.map((m: Json) => m.content);
    for (const line of lines.slice(0, 10)) assert.ok(contents.includes(line), line);
    const signoff = list.memories.filter((m: Json) => /staging sign-off/i.test(m.content));
    assert.equal(signoff.length, 1);
    assert.equal(signoff[0].evidence_count, 2);
  });
});
