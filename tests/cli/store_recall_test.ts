/** End to end: store → recall, dedup, stdin and field round trips, input errors, limits. */
import assert from "node:assert/strict";
import {
  assertExit,
  assertNoStack,
  assertOneLineError,
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

const CORPUS: [string, string][] = [
  ["deploy,policy", "Deploy only after staging signoff and a green canary."],
  ["db", "The database is PostgreSQL 16 running on port 5432."],
  ["env", "Set MEMORYOSS_HOME to /srv/memoryoss/data on the build server."],
  ["code", "The retry policy lives in src/net/retry_policy.ts and caps at five attempts."],
  ["prefs", "Alice prefers dark mode and vim keybindings in the editor."],
  ["meetings", "Weekly sync meetings happen on Thursdays at 10am Berlin time."],
];

/** Store the corpus in `ns`; returns content → id. */
async function seed(home: string, ns: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [tags, content] of CORPUS) {
    const res = await storeJson(home, "--namespace", ns, "--tags", tags, content);
    assert.equal(res.outcome, "created", content);
    ids.set(content, res.id);
  }
  return ids;
}

async function recallJson(home: string, ...args: string[]): Promise<Json> {
  return okJson(await cli(home, "recall", "--json", ...args));
}

Deno.test("cli store/recall: JSON and text round trip, paraphrases, identifiers, --explain", async () => {
  await withHome(async (home) => {
    const ids = await seed(home, "demo");
    const deployId = ids.get(CORPUS[0][1])!;

    const res = await recallJson(
      home,
      "--namespace",
      "demo",
      "--limit",
      "5",
      "when can we deploy?",
    );
    assert.equal(res.namespace, "demo");
    assert.equal(res.query, "when can we deploy?");
    assert.ok(Array.isArray(res.memories) && res.memories.length >= 1 && res.memories.length <= 5);
    const top = res.memories[0];
    assert.equal(top.id, deployId);
    assert.equal(top.content, CORPUS[0][1]);
    assert.deepEqual(top.tags, ["deploy", "policy"]);
    assert.equal(top.namespace, "demo");
    assert.equal(top.status, "active");
    assert.deepEqual(top.metadata, {});
    assert.ok(!Number.isNaN(Date.parse(top.created_at)));
    assert.ok(typeof top.score === "number" && top.score > 0 && top.score <= 1, `${top.score}`);
    for (const k of ["id", "content", "tags", "score", "created_at", "metadata", "provenance"]) {
      assert.ok(k in top, `recall result has ${k}`);
    }
    assert.ok(!("embedding" in top), "no raw vectors in output");
    assert.ok(!("explain" in top), "explain only on request");
    const scores = res.memories.map((m: Json) => m.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "best first");
    assert.ok(res.memories.every((m: Json) => m.namespace === "demo"));

    // Text output: rank, score, id and content.
    const text = await cli(home, "recall", "-n", "demo", "-l", "3", "when can we deploy?");
    assertExit(text, 0);
    const lines = text.stdout.split("\n");
    assert.match(
      lines[0],
      new RegExp(`^ 1\\. \\[\\d\\.\\d{3}\\] ${deployId}  \\d{4}-\\d\\d-\\d\\d$`),
    );
    assert.equal(lines[1].trim(), CORPUS[0][1]);
    assert.equal(lines[2].trim(), "tags: deploy, policy");
    assert.ok(!/ 4\. \[/.test(text.stdout), "--limit 3 respected in text mode");

    // Paraphrases (different words, same meaning) and exact identifiers.
    const queries: [string, string][] = [
      ["deploying requires what approval", CORPUS[0][1]],
      ["which SQL database engine and version do we use", CORPUS[1][1]],
      ["how many retries before giving up", CORPUS[3][1]],
      ["what editor theme does Alice like", CORPUS[4][1]],
      ["what day is the team meeting?", CORPUS[5][1]],
      ["MEMORYOSS_HOME", CORPUS[2][1]],
      ["src/net/retry_policy.ts", CORPUS[3][1]],
      ["where is /srv/memoryoss/data configured", CORPUS[2][1]],
    ];
    const answers = await Promise.all(
      queries.map(([q]) => recallJson(home, "--namespace", "demo", "--limit", "3", q)),
    );
    queries.forEach(([q, want], i) => {
      assert.equal(answers[i].memories[0]?.content, want, `top hit for ${JSON.stringify(q)}`);
    });

    // --explain: each channel's score, in JSON and text.
    const ex = await recallJson(home, "-n", "demo", "--explain", "MEMORYOSS_HOME");
    const ch = ex.memories[0].explain.channels;
    for (const k of ["vector", "fts", "exact", "recency"]) {
      assert.equal(typeof ch[k], "number", `explain.channels.${k}`);
      assert.ok(ch[k] >= 0 && ch[k] <= 1);
    }
    assert.ok(ch.exact > 0, "an identifier query scores on the exact channel");
    const exText = await cli(home, "recall", "-n", "demo", "--explain", "MEMORYOSS_HOME");
    assertExit(exText, 0);
    assert.match(
      exText.stdout,
      /^ {4}vector \d\.\d{3} {2}fts \d\.\d{3} {2}exact \d\.\d{3} {2}recency \d\.\d{3} {2}\(.+\)$/m,
    );

    // Nothing in another namespace; an empty query is a usage error.
    const [empty, none, noQuery, badLimit] = await Promise.all([
      recallJson(home, "--namespace", "elsewhere", "deploy"),
      cli(home, "recall", "--namespace", "elsewhere", "deploy"),
      cli(home, "recall", "--namespace", "demo"),
      cli(home, "recall", "--namespace", "demo", "--limit", "0", "deploy"),
    ]);
    assert.deepEqual(empty.memories, []);
    assertExit(none, 0);
    assert.equal(none.stdout.trim(), "no memories found");
    assertUserError(noQuery, 3);
    assert.match(noQuery.stderr, /query/);
    assertUserError(badLimit, 3);
    assert.match(badLimit.stderr, /--limit/);
  });
});

Deno.test("cli store: identical content twice merges into the same id at version 2", async () => {
  await withHome(async (home) => {
    const content = "The staging cluster runs in eu-central-1 with three nodes.";
    const first = await storeJson(home, "-n", "demo", "--tags", "infra", content);
    assert.equal(first.outcome, "created");
    assert.equal(first.version, 1);
    const second = await storeJson(home, "-n", "demo", "--tags", "aws", content);
    assert.equal(second.outcome, "merged");
    assert.equal(second.id, first.id);
    assert.equal(second.version, 2);
    const third = await cli(home, "store", "-n", "demo", content);
    assertExit(third, 0);
    assert.match(third.stdout, new RegExp(`^merged into ${first.id} \\(v3, similarity 1\\)`));

    const list = await listAll(home, "demo");
    assert.equal(list.total, 1);
    assert.equal(list.memories.length, 1);
    assert.equal(list.memories[0].id, first.id);
    assert.equal(list.memories[0].version, 3);
    assert.deepEqual(list.memories[0].tags.sort(), ["aws", "infra"], "tags are unioned");

    // The same text in another namespace is a separate memory.
    const other = await storeJson(home, "-n", "other", content);
    assert.equal(other.outcome, "created");
    assert.notEqual(other.id, first.id);
    assert.equal((await listAll(home, "demo")).total, 1);
  });
});

Deno.test("cli store: stdin content, --created-at, --metadata, agent, session, type and category are kept", async () => {
  await withHome(async (home) => {
    const content = "Release notes are drafted from merged PR titles every Friday.";
    const r = await cliWith(
      home,
      { stdin: content + "\n" },
      "store",
      "-n",
      "demo",
      "--json",
      "--created-at",
      "2025-01-02T03:04:05Z",
      "--metadata",
      '{"k":1,"nested":{"a":[1,2]}}',
      "--agent",
      "claude",
      "--session",
      "sess-42",
      "--type",
      "procedural",
      "--category",
      "decision",
      "--tags",
      "release",
      "-t",
      "notes,weekly",
      "-",
    );
    const stored = okJson(r);
    assert.equal(stored.outcome, "created");
    const m = okJson(await cli(home, "inspect", stored.id, "--json"));
    assert.equal(m.id, stored.id);
    assert.equal(m.content.trim(), content);
    assert.equal(m.namespace, "demo");
    assert.equal(new Date(m.created_at).toISOString(), "2025-01-02T03:04:05.000Z");
    assert.deepEqual(m.metadata, { k: 1, nested: { a: [1, 2] } });
    assert.equal(m.agent, "claude");
    assert.equal(m.session, "sess-42");
    assert.equal(m.memory_type, "procedural");
    assert.equal(m.category, "decision");
    assert.deepEqual(m.tags, ["release", "notes", "weekly"]);
    assert.equal(m.version, 1);
    assert.equal(m.has_embedding, true);

    // Text inspect shows the same record.
    const t = await cli(home, "inspect", stored.id);
    assertExit(t, 0);
    assert.match(t.stdout, new RegExp(`^id\\s+${stored.id}$`, "m"));
    assert.match(t.stdout, /^agent\s+claude$/m);

    // Positional words are joined with spaces.
    const words = await storeJson(home, "-n", "demo", "several", "separate", "words");
    const w = okJson(await cli(home, "inspect", words.id, "--json"));
    assert.equal(w.content, "several separate words");
  });
});

Deno.test("cli store: bad --metadata, --created-at, --type, --category, namespace and empty content exit 3", async () => {
  await withHome(async (home) => {
    const cases: [string[], RegExp, string?][] = [
      [["--metadata", "{bad"], /--metadata/],
      [["--metadata", "[1,2]"], /--metadata/],
      [["--metadata", '"str"'], /--metadata/],
      [["--created-at", "yesterday"], /created_at/],
      [["--created-at", "2025-13-45T99:00:00Z"], /created_at/],
      [["--type", "bogus"], /type/],
      [["--category", "bogus"], /category/],
      [["--namespace", "bad ns"], /namespace/],
      [["--namespace", ""], /namespace/],
      [[], /content/, ""],
      [[], /content/, "   "],
      [[], /content/, "-"],
    ];
    const runs = await Promise.all(
      cases.map(([flags, , content]) =>
        content === "-"
          ? cliWith(home, { stdin: "  \n\t\n" }, "store", "-n", "demo", ...flags, "-")
          : cli(
            home,
            "store",
            "-n",
            "demo",
            ...flags,
            ...(content === undefined ? ["x y z"] : [
              content,
            ]),
          )
      ),
    );
    runs.forEach((r, i) => {
      assertUserError(r, 3);
      assertOneLineError(r);
      assert.match(r.stderr, cases[i][1], `case ${JSON.stringify(cases[i])}\n${show(r)}`);
    });
    const noArgs = await cli(home, "store", "-n", "demo");
    assertUserError(noArgs, 3);
    assert.match(noArgs.stderr, /content must not be empty/);
    const s = okJson(await cli(home, "status", "--json"));
    assert.equal(s.total_memories, 0, "nothing was stored");
  });
});

Deno.test("cli store: content over the byte limit is refused with a clear message; nothing stored", async () => {
  await withHome(async (home) => {
    const big = "a".repeat(65537);
    const [over, overJson, atLimit] = await Promise.all([
      cliWith(home, { stdin: big }, "store", "-n", "big", "-"),
      cliWith(home, { stdin: big }, "store", "-n", "big", "--json", "-"),
      cliWith(home, { stdin: "b".repeat(65536) }, "store", "-n", "limit", "-"),
    ]);
    assert.ok(over.code !== 0, show(over));
    assertNoStack(over);
    assertOneLineError(over);
    assert.match(over.stderr, /65537 bytes.*limit is 65536.*limits\.max_content_bytes/);
    assert.ok(overJson.code !== 0);
    const err = JSON.parse(overJson.stderr).error;
    assert.equal(err.code, "PAYLOAD_TOO_LARGE");
    assert.deepEqual(err.path, ["content"]);
    assertExit(atLimit, 0);
    assert.equal((await listAll(home, "big")).total, 0);

    // A configured limit, counted in UTF-8 bytes.
    await Deno.writeTextFile(`${home}/memoryoss.toml`, "[limits]\nmax_content_bytes = 100\n");
    const [small200, eAcute, ok100, okUnicode] = await Promise.all([
      cli(home, "store", "-n", "small", "x".repeat(200)),
      cli(home, "store", "-n", "small", "é".repeat(60)), // 60 chars, 120 bytes
      cli(home, "store", "-n", "small", "y".repeat(100)),
      cli(home, "store", "-n", "small", "ü".repeat(50)), // 100 bytes
    ]);
    for (const [r, n] of [[small200, 200], [eAcute, 120]] as const) {
      assert.ok(r.code !== 0, show(r));
      assertNoStack(r);
      assertOneLineError(r);
      assert.match(r.stderr, new RegExp(`${n} bytes.*limit is 100.*max_content_bytes`));
    }
    assertExit(ok100, 0);
    assertExit(okUnicode, 0);
    const small = await listAll(home, "small");
    assert.equal(small.total, 2);
    assert.ok(small.memories.every((m: Json) => new TextEncoder().encode(m.content).length <= 100));
  });
});

Deno.test("recall --mode vector: a query the embedder cannot place falls back, never answers nothing", async () => {
  await withHome(async (home) => {
    await seed(home, "dev");
    const held = "Reverted commit 7c1e9a4f2b3d on the release branch after the outage.";
    assert.equal((await storeJson(home, "--namespace", "dev", held)).outcome, "created");
    // A bare commit hash: no word the builtin embedder knows, so the vector channel alone
    // finds nothing; the exact and bm25 channels answer, and provenance says so.
    const r = await recallJson(home, "--namespace", "dev", "--mode", "vector", "7c1e9a4f2b3d");
    assert.equal(r.memories[0]?.content, held, show(r));
    assert.ok(!r.memories[0].provenance.includes("vector"), JSON.stringify(r.memories[0]));
    assert.ok(r.memories[0].provenance.includes("exact"), JSON.stringify(r.memories[0]));
    assert.equal(r.memories[0].provenance[0], "fallback:exact", JSON.stringify(r.memories[0]));
    // A query the embedder can place stays a vector-only answer.
    const v = await recallJson(home, "--namespace", "dev", "--mode", "vector", "dark mode editor");
    assert.ok(v.memories.length > 0);
    assert.ok(
      v.memories.every((m: Json) =>
        m.provenance.includes("vector") && !m.provenance.includes("fts")
      ),
      JSON.stringify(v.memories.map((m: Json) => m.provenance)),
    );
  });
});

Deno.test("recall --mode vector: a bare identifier whose parts are words answers with its holder, marked fallback", async () => {
  await withHome(async (home) => {
    await seed(home, "dev");
    // The hash's parts "cafe" and "beef" are words the embedder knows: alone, the vector channel
    // ranks the memories about a cafe and beef above the one memory holding the hash.
    const held = "After the checkout outage on Tuesday the on-call engineer rolled back the " +
      "payment service to the build from commit cafe0beef7d1 and paged the database team.";
    for (
      const c of [
        held,
        "The cafe near the office stopped serving beef.",
        "The team lunch is at the cafe on Friday; the vegetarian option replaces beef.",
      ]
    ) assert.equal((await storeJson(home, "--namespace", "dev", c)).outcome, "created");
    const r = await recallJson(
      home,
      "--namespace",
      "dev",
      "--mode",
      "vector",
      "--explain",
      "cafe0beef7d1",
    );
    assert.equal(r.memories[0]?.content, held, show(r));
    assert.deepEqual(r.memories[0].provenance.slice(0, 3), ["fallback:exact", "fts", "exact"]);
    assert.deepEqual(r.explain.fallback, { reason: "identifier", channels: ["exact", "fts"] });
    // The text output says why, too.
    const text = await cli(
      home,
      "recall",
      "-n",
      "dev",
      "--mode",
      "vector",
      "--explain",
      "cafe0beef7d1",
    );
    assert.match(text.stdout, /^fallback: identifier → exact \+ bm25$/m, text.stdout);
    // A semantic query keeps its vector answer: the memory about dark mode first, every hit
    // found by the vector channel alone, no fallback.
    const v = await recallJson(
      home,
      "--namespace",
      "dev",
      "--mode",
      "vector",
      "--explain",
      "which editor theme does Alice like?",
    );
    assert.equal(v.memories[0]?.content, CORPUS[4][1], show(v));
    assert.ok(v.memories.every((m: Json) => m.provenance.join() === "vector"), show(v));
    assert.equal(v.explain.fallback, undefined);
  });
});
