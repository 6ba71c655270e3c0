/** Pure adapter pieces: markdown normalisation, git log parsing and summaries, provenance. */
import assert from "node:assert/strict";
import {
  adapterRecords,
  adapterSourceKey,
  cleanItem,
  exportableRecords,
  gitSummary,
  normalizeMarkdown,
  parseGitLog,
  renderClaudeProject,
  renderCursorRules,
  sourceRef,
} from "../../adapters/mod.ts";
import { newRecord } from "../../lib/store/mod.ts";

Deno.test("normalizeMarkdown follows memoryOSS §5.6", () => {
  const cases: [string, string, boolean, string[]][] = [
    [
      "lists",
      "# Rules\n- Use pnpm for installs\n* Run tests before push\n1. Keep PRs small please\n",
      false,
      [
        "Use pnpm for installs.",
        "Run tests before push.",
        "Keep PRs small please.",
      ],
    ],
    [
      "front matter, fences and short items dropped",
      "---\ntitle: x\n---\n```sh\n- not an item in code\n```\n- ok\n- The build uses esbuild.\n",
      false,
      ["The build uses esbuild."],
    ],
    [
      "paragraphs only until the first list",
      "Our API is versioned by date.\nIt lives in api/.\n\n- First list item here\n\nA later paragraph is ignored.\n",
      false,
      ["Our API is versioned by date. It lives in api/.", "First list item here."],
    ],
    [
      "rule bias (cursor)",
      "description: x\nglobs: *.ts\nYou must not commit secrets\nThis is prose without rules\n",
      true,
      ["You must not commit secrets.", "This is prose without rules."],
    ],
    [
      "without rule bias the same text is one paragraph",
      "You must not commit secrets\nmore prose\n",
      false,
      [
        "You must not commit secrets more prose.",
      ],
    ],
    ["dedup case-insensitively", "- Use Tabs everywhere\n- use tabs everywhere\n", false, [
      "Use Tabs everywhere.",
    ]],
    [
      "markup stripped",
      "- **Always** run `deno fmt` > before [commit](x)\n",
      false,
      ["Always run deno fmt before commit(x)."],
    ],
    [
      "our own export scaffolding is dropped",
      renderClaudeProject("p", ["Use pnpm for installs."], "T"),
      false,
      [
        "Use pnpm for installs.",
      ],
    ],
    ["cursor export round trip", renderCursorRules("p", ["Never push to main."]), true, [
      "Never push to main.",
    ]],
  ];
  for (const [name, text, ruleBias, want] of cases) {
    assert.deepEqual(normalizeMarkdown(text, { ruleBias }), want, name);
  }
  const many = Array.from({ length: 30 }, (_, i) => `- Item number ${i} is here`).join("\n");
  assert.equal(normalizeMarkdown(many).length, 24);
  assert.equal(normalizeMarkdown("\uFEFF- Windows line one\r\n- Windows line two\r\n").length, 2);
  assert.equal(cleanItem("- short -"), null);
  assert.equal(cleanItem("Ends with a bang!"), "Ends with a bang!");
});

Deno.test("parseGitLog and gitSummary", () => {
  const log =
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x1f2026-03-01T10:00:00+01:00\x1ffeat(api): add recall batch\x1f\x1e\n" +
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\x1f2026-03-02T10:00:00Z\x1fUpdate README\x1fExplain the home folder.\nMore.\x1e\n";
  const commits = parseGitLog(log);
  assert.deepEqual(commits.map((c) => [c.sha.slice(0, 4), c.date, c.subject]), [
    ["aaaa", "2026-03-01T10:00:00+01:00", "feat(api): add recall batch"],
    ["bbbb", "2026-03-02T10:00:00Z", "Update README"],
  ]);
  assert.equal(
    parseGitLog("cccccccc\x1fsubject\x1fbody\x1e")[0].date,
    null,
    "memoryOSS 3-field form",
  );
  const cases: [string, string, string][] = [
    ["feat(api): add recall batch", "", "Git feature (api): add recall batch."],
    ["fix: handle empty query", "", "Git fix: handle empty query."],
    ["docs(readme): explain home.", "", "Git docs change (readme): explain home."],
    ["chore!: bump deps", "", "Git maintenance: bump deps."],
    ["perf(store): faster fts", "", "Git change (store): faster fts."],
    [
      "Update README",
      "\nExplain the home folder.\nMore.",
      "Git change: Update README — Explain the home folder.",
    ],
    ["Merge branch x", "", "Git change: Merge branch x."],
  ];
  for (const [subject, body, want] of cases) assert.equal(gitSummary(subject, body), want, subject);
});

Deno.test("adapter records carry memoryOSS provenance", async () => {
  assert.equal(sourceRef("CLAUDE.md"), "claude-md");
  assert.equal(sourceRef("-home-me-app/memory"), "home-me-app-memory");
  assert.match(adapterSourceKey("cursor_rules", "x.mdc"), /^adapter:[0-9a-f]{16}$/);
  const now = new Date("2026-03-13T09:00:00Z");
  const [cursor] = await adapterRecords(
    "cursor_rules",
    "x.mdc",
    [{ content: "Never push to main." }],
    "ns",
    now,
  );
  assert.deepEqual(cursor.tags, [
    "adapter:cursor_rules",
    "client:cursor",
    "source_ref:x-mdc",
    "rule",
  ]);
  assert.equal(cursor.memory_type, "procedural");
  assert.equal(cursor.status, "active");
  assert.equal(cursor.agent, "adapter/cursor_rules");
  assert.equal(cursor.session, "x.mdc");
  assert.equal(cursor.source_key, adapterSourceKey("cursor_rules", "x.mdc"));
  const [git] = await adapterRecords(
    "git_history",
    "repo",
    [{
      content: "Git fix: x.",
      created_at: "2026-03-01T10:00:00+01:00",
      tags: ["git_commit:aaaaaaaaaaaa"],
    }],
    "ns",
    now,
  );
  assert.equal(git.status, "candidate");
  assert.equal(git.memory_type, "episodic");
  assert.equal(git.created_at, "2026-03-01T09:00:00.000Z");
  assert.ok(git.tags.includes("git_history") && git.tags.includes("git_commit:aaaaaaaaaaaa"));
});

Deno.test("exportableRecords: not archived or contested, one per content, oldest first", () => {
  const r = (id: string, content: string, day: number, extra = {}) =>
    newRecord({
      id,
      content,
      namespace: "n",
      created_at: `2026-03-0${day}T00:00:00.000Z`,
      ...extra,
    });
  const out = exportableRecords([
    r("1", "B later", 3),
    r("2", "A early", 1),
    r("3", "a early", 2),
    r("4", "Gone", 1, { archived: true }),
    r("5", "Disputed", 1, { status: "contested" }),
    r("6", "Candidate stays", 2, { status: "candidate" }),
  ], "n");
  assert.deepEqual(out.map((x) => x.id), ["2", "6", "1"]);
  assert.throws(
    () => exportableRecords([r("4", "Gone", 1, { archived: true })], "n"),
    /no exportable/,
  );
});
