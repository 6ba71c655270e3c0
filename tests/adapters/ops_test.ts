/** Adapter import/export against a real home: each kind, round trips, git, and the CLI. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exportAdapter, importAdapter, writeFolder } from "../../adapters/mod.ts";
import { parseMemoryFile } from "../../lib/lane/mod.ts";
import { namespaceRecords } from "../../lib/memory/records_io.ts";
import { run, show, tempDir, withHomeRuntime } from "../portable/_support.ts";

const contents = (rt: Parameters<typeof namespaceRecords>[0], ns: string) =>
  namespaceRecords(rt, ns).map((m) => m.record.content).sort();

const PROJECT_MD = `# Project knowledge

The service is a Deno monorepo.

## Conventions
- Use pnpm for every install
- Run deno fmt before each commit
- Run deno fmt before each commit
`;

Deno.test("claude_project and cursor_rules: dry run, import, export, re-import", async () => {
  await using home = await tempDir();
  const md = join(home.path, "CLAUDE.md");
  const mdc = join(home.path, "rules.mdc");
  await Deno.writeTextFile(md, PROJECT_MD);
  await Deno.writeTextFile(
    mdc,
    "---\nalwaysApply: true\n---\nNever push to main directly\n- Prefer small PRs over big ones\n",
  );
  await withHomeRuntime(home.path, async (rt) => {
    const dry = await importAdapter(rt, {
      kind: "claude_project",
      path: md,
      namespace: "p",
      dryRun: true,
    });
    assert.equal(dry.preview.normalized_count, 3);
    assert.equal(dry.preview.source_label, "CLAUDE.md");
    assert.equal(dry.preview.preview.create_count, 3);
    assert.equal(contents(rt, "p").length, 0);
    const res = await importAdapter(rt, { kind: "claude_project", path: md, namespace: "p" });
    assert.equal(res.imported_ids.length, 3);
    const rec = namespaceRecords(rt, "p")[0].record;
    assert.ok(
      rec.tags.includes("adapter:claude_project") && rec.tags.includes("source_ref:claude-md"),
    );
    const again = await importAdapter(rt, { kind: "claude_project", path: md, namespace: "p" });
    assert.equal(again.preview.preview.merge_count, 3, "same content merges");
    const out = exportAdapter(rt, { kind: "claude_project", namespace: "p" });
    assert.equal(out.exported_count, 3);
    assert.match(out.content!, /^# memoryOSS Project Context\n/);
    const back = join(home.path, "back.md");
    await Deno.writeTextFile(back, out.content!);
    await importAdapter(rt, { kind: "claude_project", path: back, namespace: "p2" });
    assert.deepEqual(contents(rt, "p2"), contents(rt, "p"));

    await importAdapter(rt, { kind: "cursor_rules", path: mdc, namespace: "c" });
    assert.deepEqual(contents(rt, "c"), [
      "Never push to main directly.",
      "Prefer small PRs over big ones.",
    ]);
    assert.ok(namespaceRecords(rt, "c").every((m) => m.record.memory_type === "procedural"));
    const rules = exportAdapter(rt, { kind: "cursor_rules", namespace: "c" }).content!;
    assert.match(
      rules,
      /^---\ndescription: Generated from memoryOSS namespace c\nglobs: \["\*\*\/\*"\]\nalwaysApply: false\n---\n/,
    );
    assert.throws(
      () => exportAdapter(rt, { kind: "cursor_rules", namespace: "empty" }),
      /no exportable/,
    );
    await assert.rejects(
      () => importAdapter(rt, { kind: "cursor_rules", path: join(home.path, "nope.mdc") }),
      (e: Error & { code?: string }) => e.code === "NOT_FOUND",
    );
  });
});

async function hasGit(): Promise<boolean> {
  try {
    return (await new Deno.Command("git", { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

Deno.test({
  name: "git_history imports recent commits as dated candidates",
  ignore: !(await hasGit()),
  async fn() {
    await using home = await tempDir();
    const repo = join(home.path, "repo");
    await Deno.mkdir(repo);
    const git = (...args: string[]) =>
      new Deno.Command("git", {
        args: ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args],
        env: {
          GIT_COMMITTER_DATE: "2026-03-01T10:00:00Z",
          GIT_AUTHOR_DATE: "2026-03-01T10:00:00Z",
        },
        stdout: "null",
        stderr: "null",
      }).output();
    await git("init", "-q");
    await git("commit", "-q", "--allow-empty", "-m", "feat(api): add recall batch");
    await git("commit", "-q", "--allow-empty", "-m", "Tidy README\n\nExplain the home folder.");
    await withHomeRuntime(home.path, async (rt) => {
      const res = await importAdapter(rt, { kind: "git_history", path: repo, namespace: "g" });
      assert.equal(res.imported_ids.length, 2);
      const rs = namespaceRecords(rt, "g").map((m) => m.record);
      assert.deepEqual(rs.map((r) => r.content).sort(), [
        "Git change: Tidy README — Explain the home folder.",
        "Git feature (api): add recall batch.",
      ]);
      for (const r of rs) {
        assert.equal(r.status, "candidate");
        assert.equal(r.created_at, "2026-03-01T10:00:00.000Z");
        assert.ok(r.tags.some((t) => /^git_commit:[0-9a-f]{12}$/.test(t)));
        assert.equal(r.session, "repo");
      }
      await assert.rejects(
        () => importAdapter(rt, { kind: "git_history", path: home.path + "/nope", namespace: "g" }),
        /git failed/,
      );
    });
  },
});

const MEMORY_FILES: Record<string, string> = {
  "user_role.md":
    "---\nname: User role\ndescription: Owns the ingest pipeline\ntype: user\noriginSessionId: abc\n---\n\nThe user owns the ingest pipeline and reviews its PRs.\n",
  "feedback_tests.md":
    "---\nname: Real tests\ndescription: No mocks for the DB\ntype: feedback\n---\n\nUse a real database in tests.\n**Why:** mocks hid a migration bug.\n**How to apply:** spin up sqlite.\n",
  "MEMORY.md": "# Memory index\n\n- [User role](user_role.md) — owns ingest\n",
};

Deno.test("claude_memory: frontmatter → type/category, export writes the same files back", async () => {
  await using home = await tempDir();
  const root = join(home.path, "-home-me-app", "memory");
  await Deno.mkdir(root, { recursive: true });
  for (const [name, text] of Object.entries(MEMORY_FILES)) {
    await Deno.writeTextFile(join(root, name), text);
  }
  await withHomeRuntime(home.path, async (rt) => {
    const res = await importAdapter(rt, { kind: "claude_memory", path: root, namespace: "m" });
    assert.equal(res.preview.source_label, "-home-me-app/memory");
    assert.equal(res.imported_ids.length, 2, "MEMORY.md is the index, not a memory");
    const byFile = new Map(
      namespaceRecords(rt, "m").map((x) => [
        (x.record.metadata.claude_memory as { file: string }).file,
        x.record,
      ]),
    );
    const fb = byFile.get("feedback_tests.md")!;
    assert.equal(fb.memory_type, "procedural");
    assert.equal(fb.category, "preference");
    assert.ok(
      fb.tags.includes("source_ref:feedback-tests-md") && fb.tags.includes("claude_type:feedback"),
    );
    assert.equal(byFile.get("user_role.md")!.category, "context");
    const art = exportAdapter(rt, { kind: "claude_memory", namespace: "m" });
    const out = join(home.path, "out");
    await writeFolder(out, art.files!, false);
    await assert.rejects(() => writeFolder(out, art.files!, false), /use --force/);
    for (const name of ["user_role.md", "feedback_tests.md"]) {
      const a = parseMemoryFile(name, MEMORY_FILES[name]);
      const b = parseMemoryFile(name, await Deno.readTextFile(join(out, name)));
      assert.deepEqual([b.name, b.description, b.type, b.body.trim(), b.extra], [
        a.name,
        a.description,
        a.type,
        a.body.trim(),
        a.extra,
      ]);
    }
    assert.match(
      await Deno.readTextFile(join(out, "MEMORY.md")),
      /- \[Real tests\]\(feedback_tests\.md\) — No mocks/,
    );
  });
});

Deno.test("adapter CLI: dry run JSON and claude_memory export to a folder", async () => {
  await using home = await tempDir();
  const md = join(home.path, "CLAUDE.md");
  await Deno.writeTextFile(md, PROJECT_MD);
  const dry = await run(home.path, [
    "adapter",
    "import",
    "--kind",
    "claude_project",
    md,
    "-n",
    "p",
    "--dry-run",
    "--json",
  ]);
  assert.equal(dry.code, 0, show(dry));
  assert.equal(dry.json().preview.adapter_kind, "claude_project");
  assert.equal(dry.json().preview.preview.create_count, 3);
  assert.equal(dry.json().imported, false);
  const imp = await run(home.path, [
    "adapter",
    "import",
    "--kind",
    "claude_project",
    md,
    "-n",
    "p",
  ]);
  assert.equal(imp.code, 0, show(imp));
  assert.match(imp.stdout, /claude_project CLAUDE\.md: 3 items\np: create 3/);
  const out = join(home.path, "mem");
  const exp = await run(home.path, [
    "adapter",
    "export",
    "--kind",
    "claude_memory",
    "-n",
    "p",
    "-o",
    out,
  ]);
  assert.equal(exp.code, 0, show(exp));
  assert.equal([...Deno.readDirSync(out)].length, 4);
  const again = await run(home.path, [
    "adapter",
    "export",
    "--kind",
    "claude_memory",
    "-n",
    "p",
    "-o",
    out,
  ]);
  assert.equal(again.code, 4, show(again));
  const bad = await run(home.path, ["adapter", "import", "--kind", "word_doc", md]);
  assert.equal(bad.code, 3, show(bad));
});
