import assert from "node:assert/strict";
import { parseMemoryFile, parseMemoryIndex } from "../../lib/lane/mod.ts";

const NESTED =
  "---\nname: db-mocking\ndescription: Hit a real DB.\nmetadata:\n  type: feedback\n---\n" +
  "\nBody.\n\n**Why:** broke prod.\n\n**How to apply:** use testcontainers.\n";

Deno.test("parseMemoryFile: frontmatter forms", async (t) => {
  const cases: {
    name: string;
    text: string;
    want: {
      name: string | null;
      description: string | null;
      type: string | null;
      source: string | null;
    };
  }[] = [
    {
      name: "nested metadata.type (cmmd form)",
      text: NESTED,
      want: {
        name: "db-mocking",
        description: "Hit a real DB.",
        type: "feedback",
        source: "metadata",
      },
    },
    {
      name: "top-level type with originSessionId and related",
      text:
        "---\nname: role\ndescription: Owns ingest\ntype: user\noriginSessionId: 3f2a\nrelated: [a, b]\n---\nx\n",
      want: { name: "role", description: "Owns ingest", type: "user", source: "top" },
    },
    {
      name: "CRLF and BOM",
      text:
        '\uFEFF---\r\nname: role\r\ndescription: "Quoted: yes"\r\ntype: project\r\n---\r\nx\r\n',
      want: { name: "role", description: "Quoted: yes", type: "project", source: "top" },
    },
    {
      name: "closing --- at end of file without newline",
      text: "---\nname: n\ndescription: d\n---",
      want: { name: "n", description: "d", type: null, source: null },
    },
    {
      name: "empty name and description",
      text: "---\nname:\ndescription:\n---\n\nbody\n",
      want: { name: null, description: null, type: null, source: null },
    },
    {
      name: "no frontmatter",
      text: "# Just a note\n",
      want: { name: null, description: null, type: null, source: null },
    },
    {
      name: "unclosed frontmatter",
      text: "---\nname: n\nbody\n",
      want: { name: null, description: null, type: null, source: null },
    },
    {
      name: "invalid YAML falls back to a line scan",
      text: "---\nname: n\ndescription: Rule: do X: always\nmetadata:\n  type: reference\n---\n",
      want: { name: "n", description: "Rule: do X: always", type: "reference", source: "metadata" },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const m = parseMemoryFile("x.md", c.text);
      assert.deepEqual(
        { name: m.name, description: m.description, type: m.type, source: m.typeSource },
        c.want,
      );
    });
  }
});

Deno.test("parseMemoryFile: flags, extra keys and line numbers", () => {
  const m = parseMemoryFile(
    "r.md",
    "\uFEFF---\r\nname: role\r\ntype: user\r\noriginSessionId: 3f2a\r\n---\r\nhi\r\n",
  );
  assert.equal(m.bom, true);
  assert.equal(m.crlf, true);
  assert.equal(m.hasFrontmatter, true);
  assert.deepEqual(m.extra, { originSessionId: "3f2a" });
  assert.deepEqual(m.lines, { frontmatter: 1, name: 2, description: null, type: 3 });
  assert.equal(m.bodyStartLine, 6);
  assert.equal(m.body, "hi\n");
  const bad = parseMemoryFile("b.md", "---\nname: n\ndescription: a: b: c\n---\n");
  assert.match(bad.yamlError ?? "", /\S/);
  assert.equal(parseMemoryFile("o.md", NESTED).yamlError, null);
});

Deno.test("parseMemoryFile: Why/How markers anchored to their own lines", async (t) => {
  const cases: {
    name: string;
    body: string;
    why: [number[], number[]];
    how: [number[], number[]];
  }[] = [
    {
      name: "bold colon inside",
      body: "**Why:** a\n**How to apply:** b",
      why: [[1], []],
      how: [[2], []],
    },
    {
      name: "bold colon outside",
      body: "**Why**: a\n**How to apply**: b",
      why: [[1], []],
      how: [[2], []],
    },
    {
      name: "bullets and plain",
      body: "- **Why:** a\n- How to apply: b",
      why: [[1], []],
      how: [[2], []],
    },
    {
      name: "only mentioned in prose",
      body: "text\n(Note: missing the **Why:** and **How to apply:** lines)",
      why: [[], [2]],
      how: [[], [2]],
    },
    {
      name: "inside a code fence",
      body: "```\n**Why:** x\n```\n**How to apply:** y",
      why: [[], []],
      how: [[4], []],
    },
    { name: "absent", body: "just prose", why: [[], []], how: [[], []] },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const m = parseMemoryFile("x.md", `${c.body}\n`);
      assert.deepEqual([m.why.anchored, m.why.inProse], c.why);
      assert.deepEqual([m.how.anchored, m.how.inProse], c.how);
    });
  }
});

Deno.test("parseMemoryFile: wikilinks skip code and keep line numbers", () => {
  const text =
    "---\nname: a\n---\nSee [[ b ]] and [[c|label]].\n`[[not-a-link]]`\n```\n[[fenced]]\n```\n" +
    "Also [[d#part]].\n";
  assert.deepEqual(parseMemoryFile("a.md", text).wikilinks, [
    { slug: "b", line: 4 },
    { slug: "c", line: 4 },
    { slug: "d", line: 9 },
  ]);
});

Deno.test("parseMemoryIndex: entries, targets, notes and line count", () => {
  const idx = parseMemoryIndex(
    "# Memory\n\n- [Role](user_role.md) — owns ingest\n- [Dot](./dot.md) - hook\n" +
      "A note line\n- [Img](pic.png)\n* [Enc](my%20file.md)\n",
  );
  assert.equal(idx.lineCount, 7);
  assert.deepEqual(
    idx.entries.map((e) => [e.line, e.target, e.file, e.title, e.hook]),
    [
      [3, "user_role.md", "user_role.md", "Role", "owns ingest"],
      [4, "./dot.md", "dot.md", "Dot", "hook"],
      [7, "my%20file.md", "my file.md", "Enc", ""],
    ],
  );
  assert.deepEqual(idx.notes, ["A note line", "- [Img](pic.png)"]);
  assert.equal(parseMemoryIndex("a\r\nb\r\n").crlf, true);
  assert.equal(parseMemoryIndex("a\nb").lineCount, 2);
  assert.equal(parseMemoryIndex("").lineCount, 0);
});
