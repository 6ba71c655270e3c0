import assert from "node:assert/strict";
import { auditRoot, auditSummary, type Finding, formatAuditText } from "../../lib/lane/mod.ts";
import { constantCosineEmbedder, copyFixture, tempDir, writeFiles } from "./_support.ts";

/** Findings reduced to what the contract fixes: code, file and line. */
const brief = (fs: Finding[]) => fs.map((f) => [f.code, f.file, f.line]);

// The sample folder: cmmd finds 2 issues there; we must find exactly these 4 and nothing else.
const EXPECTED = [
  ["dangling_index_entries", "MEMORY.md", 7],
  ["missing_frontmatter", "broken_frontmatter.md", 2],
  ["duplicate_candidates", "duplicate_a.md", 3],
  ["missing_why_or_how", "feedback_missing_why.md", 10],
];

Deno.test("audit: the sample folder raises exactly its four findings", async () => {
  await using dir = await tempDir();
  const names = await copyFixture(dir.path);
  assert.equal(names.length, 9);
  const r = await auditRoot(dir.path);
  assert.deepEqual(brief(r.issues), EXPECTED);
  // Every file of the folder is accounted for: those not listed above raise nothing.
  const silent = names.filter((n) => !r.issues.some((i) => i.file === n || i.b === n));
  assert.deepEqual(silent, [
    "feedback_db_mocking.md",
    "project_stale_tool.md",
    "reference_linear.md",
    "user_role.md",
  ]);
  assert.equal(r.total_issues, 4);
  assert.equal(r.fixable_issues, 1);
  assert.equal(r.file_count, 8);
  assert.equal(r.memory_md_lines, 9);
  assert.deepEqual(r.dangling_index_entries, ["dangling_entry.md"]);
  assert.deepEqual(r.missing_frontmatter, ["broken_frontmatter.md"]);
  assert.deepEqual(r.missing_why_or_how, ["feedback_missing_why.md"]);
  assert.deepEqual(r.duplicate_candidates, [
    { a: "duplicate_a.md", b: "duplicate_b.md", reason: "similar description" },
  ]);
  const dup = r.issues.find((i) => i.code === "duplicate_candidates")!;
  assert.match(dup.suggestion!, /^merge duplicate_b\.md into duplicate_a\.md/);
  const why = r.issues.find((i) => i.code === "missing_why_or_how")!;
  assert.deepEqual([why.missing, why.in_prose_lines], [["why", "how"], [10]]);
  assert.equal(
    auditSummary(r).split(" no_index")[0],
    "files=8 mem_md_lines=9 issues=4: missing_fm=1 bad_type=0 dangling=1 unindexed=0 " +
      "broken_links=0 missing_why=1 dupes=1",
  );
  assert.match(formatAuditText(r), /\n✗ MEMORY\.md:7 dangling_index_entries: .* \[fixable\]/);
  assert.match(formatAuditText(r), /\n⚠ duplicate_a\.md:3 duplicate_candidates: /);
});

Deno.test("audit: cmmd-compatible JSON keys come first, in cmmd's order", async () => {
  await using dir = await tempDir();
  await copyFixture(dir.path);
  const keys = Object.keys(await auditRoot(dir.path));
  assert.deepEqual(keys.slice(0, 11), [
    "root",
    "file_count",
    "memory_md_lines",
    "memory_md_oversize",
    "missing_frontmatter",
    "invalid_type",
    "dangling_index_entries",
    "missing_from_index",
    "broken_wikilinks",
    "missing_why_or_how",
    "duplicate_candidates",
  ]);
});

Deno.test("audit: duplicate thresholds hold for pessimistic and optimistic embedders", async (t) => {
  await using dir = await tempDir();
  await copyFixture(dir.path);
  // Cosine 0.3 for every pair: the reworded pair must still be found by its word overlap.
  // Cosine 0.7 for every pair: no other pair may cross the line on embedding closeness alone.
  for (const c of [0.3, 0.7]) {
    await t.step(`constant cosine ${c}`, async () => {
      const r = await auditRoot(dir.path, { embedder: constantCosineEmbedder(c) });
      assert.deepEqual(brief(r.issues), EXPECTED);
    });
  }
});

Deno.test("audit: a root that does not exist gives an empty report", async () => {
  const r = await auditRoot("/nonexistent/lane/root");
  assert.equal(r.total_issues, 0);
  assert.equal(r.file_count, 0);
  assert.equal(r.memory_md_exists, false);
  assert.equal(r.root_exists, false);
  assert.match(formatAuditText(r), /^memory root: \/nonexistent\/lane\/root \(not found\)\n/);
});

const DESCRIPTIONS: Record<string, string> = {
  a: "Owns the ingestion pipeline",
  b: "Prefers terse replies without summaries",
};
const fm = (name: string, type: string, body: string, description = DESCRIPTIONS[name]) =>
  `---\nname: ${name}\ndescription: ${description}\ntype: ${type}\n---\n${body}\n`;
const WHY_HOW = "x\n**Why:** because\n**How to apply:** like so";

Deno.test("audit rules: one folder per rule", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    want: (string | number | null)[][];
  }[] = [
    {
      name: "clean folder",
      files: { "MEMORY.md": "- [A](a.md) — a\n", "a.md": fm("a", "user", "x") },
      want: [],
    },
    {
      name: "missing MEMORY.md is reported once (no per-file unindexed noise)",
      files: { "a.md": fm("a", "user", "x"), "b.md": fm("b", "reference", "y") },
      want: [["memory_md_missing", "MEMORY.md", null]],
    },
    {
      name: "unindexed file and repeated index line",
      files: {
        "MEMORY.md": "- [A](a.md)\n- [A again](./a.md)\n",
        "a.md": fm("a", "user", "x"),
        "b.md": fm("b", "user", "y"),
      },
      want: [["duplicate_index_entries", "MEMORY.md", 2], ["missing_from_index", "b.md", null]],
    },
    {
      name: "oversize index",
      files: {
        "MEMORY.md": "- [A](a.md)\n" + "filler\n".repeat(200),
        "a.md": fm("a", "user", "x"),
      },
      want: [["memory_md_oversize", "MEMORY.md", 201]],
    },
    {
      name: "invalid type, top-level form",
      files: { "MEMORY.md": "- [A](a.md)\n", "a.md": fm("a", "note", "x") },
      want: [["invalid_type", "a.md", 4]],
    },
    {
      name: "feedback without How, top-level type (cmmd would skip it)",
      files: { "MEMORY.md": "- [A](a.md)\n", "a.md": fm("a", "feedback", "x\n**Why:** because") },
      want: [["missing_why_or_how", "a.md", 6]],
    },
    {
      name: "project with both markers is fine",
      files: { "MEMORY.md": "- [A](a.md)\n", "a.md": fm("a", "project", WHY_HOW) },
      want: [],
    },
    {
      name: "wikilinks resolve against names and file stems",
      files: {
        "MEMORY.md": "- [A](a.md)\n- [B](b_file.md)\n",
        "a.md": fm("a", "user", "[[b]] [[b_file]] [[ghost]]"),
        "b_file.md": fm("b", "user", "y"),
      },
      want: [["broken_wikilinks", "a.md", 6]],
    },
    {
      name: "missing description and YAML that only a line scan reads",
      files: {
        "MEMORY.md": "- [A](a.md)\n- [B](b.md)\n",
        "a.md": "---\nname: a\n---\nx\n",
        "b.md": "---\nname: b\ndescription: Rule: a: b\n---\ny\n",
      },
      want: [["frontmatter_not_yaml", "b.md", 1], ["missing_description", "a.md", 1]],
    },
    {
      name: "no frontmatter at all",
      files: { "MEMORY.md": "- [A](a.md)\n", "a.md": "# note\n" },
      want: [["missing_frontmatter", "a.md", 1]],
    },
    {
      name: "equal descriptions are duplicates even with unrelated bodies",
      files: {
        "MEMORY.md": "- [A](a.md)\n- [B](b.md)\n",
        "a.md": fm("a", "user", "x", "Deploys need staging sign-off first"),
        "b.md": fm("b", "user", "y", "deploys need staging signoff first!"),
      },
      want: [["duplicate_candidates", "a.md", 3]],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using dir = await tempDir();
      await writeFiles(dir.path, c.files);
      const r = await auditRoot(dir.path);
      const got = brief(r.issues).sort((x, y) => String(x[1]).localeCompare(String(y[1])));
      const want = [...c.want].sort((x, y) => String(x[1]).localeCompare(String(y[1])));
      assert.deepEqual(got, want);
    });
  }
});

Deno.test("audit: CRLF + BOM files parse like LF files", async () => {
  await using dir = await tempDir();
  const lf = fm("a", "feedback", "x\n**Why:** because\n**How to apply:** so");
  await writeFiles(dir.path, {
    "MEMORY.md": "\uFEFF- [A](a.md)\r\n",
    "a.md": "\uFEFF" + lf.replace(/\n/g, "\r\n"),
  });
  const r = await auditRoot(dir.path);
  assert.deepEqual(r.issues, []);
});
