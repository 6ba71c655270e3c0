/**
 * Front matter through the markdown adapters: one splitter (lib/lane `splitFrontmatter`), so
 * a BOM and CRLF line endings (files saved on Windows) strip the block like LF files do.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { adapterItems, stripFrontMatter } from "../../adapters/mod.ts";
import { tempDir } from "../portable/_support.ts";

const RULES = [
  "---",
  "description: Team rules for the API",
  "globs:",
  "  - src/routes/*.ts",
  "alwaysApply: true",
  "---",
  "Never push to main directly",
  "- Prefer small PRs over big ones",
  "",
];
// What a user expects from the rule file: the two rules, nothing of the front matter.
const EXPECTED = ["Never push to main directly.", "Prefer small PRs over big ones."];

const variants: [string, string][] = [
  ["LF", RULES.join("\n")],
  ["CRLF", RULES.join("\r\n")],
  ["BOM + LF", "\uFEFF" + RULES.join("\n")],
  ["BOM + CRLF", "\uFEFF" + RULES.join("\r\n")],
];

Deno.test("cursor_rules import strips front matter with BOM and CRLF line endings", async () => {
  await using dir = await tempDir();
  for (const [name, text] of variants) {
    const path = join(dir.path, `${name.replace(/\W+/g, "_")}.mdc`);
    await Deno.writeTextFile(path, text);
    const items = await adapterItems({ kind: "cursor_rules", path });
    assert.deepEqual(items.map((i) => i.content), EXPECTED, name);
  }
});

Deno.test("claude_project content with BOM + CRLF front matter yields only the body", async () => {
  const content = "\uFEFF---\r\ntitle: Notes\r\ntags:\r\n  - internal docs only\r\n---\r\n" +
    "# Conventions\r\n- Use pnpm for every install\r\n";
  const items = await adapterItems({ kind: "claude_project", path: "CLAUDE.md", content });
  assert.deepEqual(items.map((i) => i.content), ["Use pnpm for every install."]);
});

Deno.test("stripFrontMatter: BOM, CRLF, closing line with trailing spaces, unclosed block", () => {
  assert.equal(stripFrontMatter("\uFEFF---\r\na: 1\r\n---\r\nbody\r\n"), "body\n");
  assert.equal(stripFrontMatter("---\na: 1\n---  \nbody\n"), "body\n");
  assert.equal(stripFrontMatter("---\na: 1\nno close\n"), "---\na: 1\nno close\n");
  assert.equal(stripFrontMatter("plain\n---\nrest\n"), "plain\n---\nrest\n");
});
