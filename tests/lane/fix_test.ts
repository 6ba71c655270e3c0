import assert from "node:assert/strict";
import { join } from "node:path";
import {
  auditRoot,
  COMMIT_PREFIX,
  diffSince,
  gitLog,
  hasRepo,
  planFixes,
  planIndex,
  readMemoryFolder,
  restoreSnapshot,
  runFix,
} from "../../lib/lane/mod.ts";
import { cli } from "../cli/_helpers.ts";
import { copyFixture, tempDir, writeFiles } from "./_support.ts";

const mem = (name: string, type: string | null, description = `${name} fact`) =>
  `---\nname: ${name}\ndescription: ${description}\n${type ? `type: ${type}\n` : ""}---\nbody\n`;

/** Every file (not folders) under `dir` except `.git`, name → bytes. */
async function snapshotFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(dir)) {
    if (e.name !== ".git") out.set(e.name, await Deno.readFile(join(dir, e.name)));
  }
  return out;
}

Deno.test("planIndex: regroup by type, keep lines, add and drop", async (t) => {
  const cases: { name: string; files: Record<string, string>; want: string | null }[] = [
    { name: "empty folder without index", files: {}, want: null },
    {
      name: "create an index grouped by type; untyped files under Other",
      files: {
        "p.md": mem("p", "project"),
        "u.md": mem("u", "user"),
        "x.md": mem("x", null),
        "r.md": mem("r", "reference"),
        "f.md": mem("f", "feedback"),
      },
      want:
        "# Memory index\n\n## User\n- [u](u.md) — u fact\n\n## Feedback\n- [f](f.md) — f fact\n" +
        "\n## Project\n- [p](p.md) — p fact\n\n## Reference\n- [r](r.md) — r fact\n" +
        "\n## Other\n- [x](x.md) — x fact\n",
    },
    {
      name: "existing lines kept verbatim and in order; dangling and repeats dropped; notes kept",
      files: {
        "MEMORY.md":
          "Read me first.\n- [B!](b.md) — mine\n- [Gone](gone.md) — x\n- [A](a.md) — a\n" +
          "- [B again](b.md)\n",
        "a.md": mem("a", "user"),
        "b.md": mem("b", "user"),
        "c.md": mem("c", "user"),
      },
      want: "# Memory index\n\nRead me first.\n\n## User\n- [B!](b.md) — mine\n- [A](a.md) — a\n" +
        "- [c](c.md) — c fact\n",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using dir = await tempDir();
      await writeFiles(dir.path, c.files);
      assert.equal(planIndex(await readMemoryFolder(dir.path))?.text ?? null, c.want);
    });
  }
});

Deno.test("planIndex: an index over the limit is compacted to fit", async () => {
  await using dir = await tempDir();
  const files: Record<string, string> = {};
  for (let i = 0; i < 196; i++) files[`m${String(i).padStart(3, "0")}.md`] = mem(`m${i}`, "user");
  files["f.md"] = mem("f", "feedback");
  await writeFiles(dir.path, files);
  const plan = planIndex(await readMemoryFolder(dir.path))!;
  assert.equal(plan.lineCount, 200); // title + 2 headings + 197 entries, no blank lines
  assert.equal(plan.fits, true);
  files["g.md"] = mem("g", "feedback");
  files["h.md"] = mem("h", "feedback");
  await writeFiles(dir.path, files);
  assert.equal(planIndex(await readMemoryFolder(dir.path))!.fits, false);
});

Deno.test("planFixes: a correct index is left alone even if not grouped", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "MEMORY.md": "- [A](a.md)\n", "a.md": mem("a", "user") });
  assert.deepEqual(planFixes(await readMemoryFolder(dir.path)), { changes: [], actions: [] });
});

Deno.test("fix on the sample folder: audit is then free of fixable issues; restore is exact", async () => {
  await using dir = await tempDir();
  await copyFixture(dir.path);
  const original = await snapshotFiles(dir.path);

  const dry = await runFix(dir.path, { dryRun: true });
  assert.deepEqual(dry.actions, [
    "drop dangling line 7 (dangling_entry.md)",
    "regroup MEMORY.md by type",
  ]);
  assert.equal(dry.pre_sha, null);
  assert.equal(await hasRepo(dir.path), false, "dry run creates nothing");
  assert.deepEqual(await snapshotFiles(dir.path), original);

  const fixed = await runFix(dir.path, { now: 1_700_000_000 });
  assert.match(fixed.pre_sha!, /^[0-9a-f]{40}$/);
  assert.notEqual(fixed.post_sha, fixed.pre_sha);
  const after = await auditRoot(dir.path);
  assert.equal(after.fixable_issues, 0);
  assert.deepEqual(after.issues.map((i) => i.code).sort(), [
    "duplicate_candidates",
    "missing_frontmatter",
    "missing_why_or_how",
  ]);
  const index = await Deno.readTextFile(join(dir.path, "MEMORY.md"));
  assert.doesNotMatch(index, /dangling_entry/);
  assert.match(index, /## Project\n- \[Stale: deprecated tool\]\(project_stale_tool\.md\)/);

  const again = await runFix(dir.path);
  assert.deepEqual([again.actions, again.pre_sha], [[], null], "a second fix is a no-op");

  const log = await gitLog(dir.path);
  assert.deepEqual(log.map((e) => e.subject.split(":")[0]), [
    `${COMMIT_PREFIX} fix`,
    `${COMMIT_PREFIX} initial snapshot`,
  ]);
  assert.match(
    await diffSince(dir.path, fixed.pre_sha!),
    /^-- \[Missing on disk\]\(dangling_entry\.md\)/m,
  );

  const restored = await restoreSnapshot(dir.path, fixed.pre_sha!);
  assert.equal(restored.restored, fixed.pre_sha);
  assert.deepEqual(await snapshotFiles(dir.path), original, "every byte is back");
  assert.equal(
    (await gitLog(dir.path))[0].subject,
    `${COMMIT_PREFIX} restore to ${fixed.pre_sha!.slice(0, 12)}`,
  );
});

Deno.test("fix creates MEMORY.md; restore removes it again", async () => {
  await using dir = await tempDir();
  const b = mem("b", "feedback", "Prefers terse replies").replace(/\n/g, "\r\n");
  await writeFiles(dir.path, { "a.md": mem("a", "user", "Owns ingestion"), "b.md": "\uFEFF" + b });
  const before = await snapshotFiles(dir.path);
  assert.deepEqual((await auditRoot(dir.path)).issues.map((i) => i.code), [
    "memory_md_missing",
    "missing_why_or_how",
  ]);
  const r = await runFix(dir.path);
  assert.deepEqual(r.actions, ["create MEMORY.md indexing 2 file(s)"]);
  assert.deepEqual(r.changes.map((c) => [c.file, c.created]), [["MEMORY.md", true]]);
  assert.equal((await auditRoot(dir.path)).fixable_issues, 0);
  await restoreSnapshot(dir.path, r.pre_sha!);
  assert.deepEqual(await snapshotFiles(dir.path), before);
});

Deno.test("restore and diff reject unknown snapshots", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "a.md": mem("a", "user") });
  await assert.rejects(restoreSnapshot(dir.path, "abc123"), { code: "NOT_FOUND" });
  await runFix(dir.path);
  await assert.rejects(diffSince(dir.path, "deadbeef"), { code: "NOT_FOUND" });
  await assert.rejects(diffSince(dir.path, "--output=x"), { code: "INVALID_INPUT" });
});

Deno.test("oversize index: fixable when the regrouped index fits, reported otherwise", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, {
    "a.md": mem("a", "user"),
    "MEMORY.md": "- [A](a.md)\n" + "\n".repeat(205),
  });
  const before = (await auditRoot(dir.path)).issues;
  assert.deepEqual(before.map((i) => [i.code, i.fixable]), [["memory_md_oversize", true]]);
  const r = await runFix(dir.path);
  assert.deepEqual(r.actions, [
    "shrink MEMORY.md from 206 to 4 lines",
    "regroup MEMORY.md by type",
  ]);
  assert.deepEqual((await auditRoot(dir.path)).issues, []);

  await writeFiles(dir.path, { "MEMORY.md": "- [A](a.md)\n" + "a note\n".repeat(205) });
  const notes = (await auditRoot(dir.path)).issues;
  assert.deepEqual(notes.map((i) => [i.code, i.fixable]), [["memory_md_oversize", false]]);
  assert.deepEqual((await runFix(dir.path)).actions, [], "notes are never dropped to make room");
});

/** A child holding `file` open on fd 3 (as an editor or a running agent would). */
async function holdOpen(file: string): Promise<Deno.ChildProcess> {
  const child = new Deno.Command("bash", {
    args: ["-c", `exec 3<"${file}"; echo ready; exec sleep 600`],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read(); // "ready": fd 3 is open
  reader.releaseLock();
  return child;
}

Deno.test("lane fix through main.ts (narrowed) refuses while a memory file is held open", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await writeFiles(root, { "a.md": mem("a", "user"), "MEMORY.md": "" });
  const child = await holdOpen(join(root, "a.md"));
  try {
    const refused = await cli(dir.path, "lane", "fix", "--memory-root", root);
    assert.equal(refused.code, 4, refused.stderr);
    assert.equal(
      refused.stderr,
      `memoryoss: error: memory files open by: sleep(${child.pid}); nothing was changed ` +
        "(retry once they are closed)\n",
    );
    assert.equal(await Deno.readTextFile(join(root, "MEMORY.md")), "", "nothing written");
    assert.equal(await hasRepo(root), false, "no snapshot either");
    const dry = await cli(dir.path, "lane", "fix", "--dry-run", "--memory-root", root);
    assert.equal(dry.code, 0, "a dry run writes nothing, so it is not refused");
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel();
  }
  const fixed = await cli(dir.path, "lane", "fix", "--memory-root", root);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(await Deno.readTextFile(join(root, "MEMORY.md")), /\(a\.md\)/);
});
