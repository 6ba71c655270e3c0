import assert from "node:assert/strict";
import { blockBody, findBlocks, removeBlock, upsertBlock } from "../../lib/setup/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

const M = { begin: "<!-- B -->", end: "<!-- E -->" };
const block = (body: string) => `<!-- B -->\n${body}\n<!-- E -->\n`;

Deno.test("upsertBlock: append, replace in place, idempotent", () => {
  const cases: { name: string; text: string | null; want: string }[] = [
    { name: "new file", text: null, want: block("x") },
    { name: "empty file", text: "", want: block("x") },
    { name: "after user text", text: "mine\n", want: `mine\n\n${block("x")}` },
    { name: "no final newline", text: "mine", want: `mine\n\n${block("x")}` },
    {
      name: "replaces an old body where it is",
      text: `top\n${block("old\nlines")}bottom\n`,
      want: `top\n${block("x")}bottom\n`,
    },
    {
      name: "drops a second copy",
      text: `${block("a")}mid\n${block("b")}`,
      want: `${block("x")}mid\n`,
    },
    { name: "already there", text: `a\n\n${block("x")}`, want: `a\n\n${block("x")}` },
  ];
  for (const c of cases) assert.equal(upsertBlock(c.text, M, "x"), c.want, c.name);
});

Deno.test("removeBlock undoes upsertBlock and keeps the user's text", () => {
  for (const original of ["", "mine\n", "# Title\n\nsome text\n", "a\n\n\nb\n"]) {
    assert.equal(removeBlock(upsertBlock(original, M, "x\ny"), M), original, original);
  }
  assert.equal(removeBlock(`top\n\n${block("x")}\nbottom\n`, M), "top\n\nbottom\n");
  assert.equal(removeBlock("nothing here\n", M), "nothing here\n");
});

Deno.test("findBlocks: marker lines only, unterminated refused", () => {
  assert.deepEqual(findBlocks("say <!-- B --> inline\n", M), []);
  assert.equal(findBlocks(`  <!-- B -->\nx\n<!-- E -->`, M).length, 1);
  assert.throws(() => findBlocks("<!-- B -->\nno end\n", M), MemoryossError);
  assert.equal(blockBody(`a\n${block("one\ntwo")}`, M), "one\ntwo");
  assert.equal(blockBody("a\n", M), null);
});
