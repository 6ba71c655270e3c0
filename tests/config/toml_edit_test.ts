/** In-place TOML edits (`config set`): expected texts written by hand, one layout per row. */
import assert from "node:assert/strict";
import { parseDottedKey, setTomlKey } from "../../lib/config/toml_edit.ts";

const ROWS: { what: string; text: string; path: string[]; value: unknown; want: string | null }[] =
  [
    {
      what: "value with a trailing comment holding '#' in a string",
      text: '[a]\nx = "a#b" # note\ny = 1\n',
      path: ["a", "x"],
      value: "c",
      want: '[a]\nx = "c" # note\ny = 1\n',
    },
    {
      what: "dotted key inside a table",
      text: "[recall]\nweights.vector = 0.3 # w\n",
      path: ["recall", "weights", "vector"],
      value: 0.5,
      want: "[recall]\nweights.vector = 0.5 # w\n",
    },
    {
      what: "inside an inline table",
      text: "[proxy]\nsizes = { a = 1 }\n",
      path: ["proxy", "sizes", "b.c"],
      value: 2,
      want: '[proxy]\nsizes = { a = 1, "b.c" = 2 }\n',
    },
    {
      what: "a multi-line array replaced as a whole; the next key kept",
      text: '[auth]\nkeys = [\n  "one",\n  "two",\n]\nafter = true\n',
      path: ["auth", "keys"],
      value: ["three"],
      want: '[auth]\nkeys = ["three"]\nafter = true\n',
    },
    {
      what: "missing key added after the table's last key, before the next table's comment",
      text: "[a]\nx = 1\n\n# about b\n[b]\ny = 2\n",
      path: ["a", "z"],
      value: true,
      want: "[a]\nx = 1\nz = true\n\n# about b\n[b]\ny = 2\n",
    },
    {
      what: "CRLF line endings kept",
      text: "[a]\r\nx = 1\r\n",
      path: ["a", "x"],
      value: 2,
      want: "[a]\r\nx = 2\r\n",
    },
    {
      what: "an array-of-tables element is never taken for the table",
      text: "[[a]]\nx = 1\n\n[a2]\nx = 1\n",
      path: ["a2", "x"],
      value: 5,
      want: "[[a]]\nx = 1\n\n[a2]\nx = 5\n",
    },
    {
      what: "a layout it cannot edit in place (a table made by a top-level dotted key): null",
      text: "a.b = 1\n[x]\ny = 1\n",
      path: ["a", "c"],
      value: 2,
      want: null,
    },
  ];

for (const row of ROWS) {
  Deno.test(`toml edit: ${row.what}`, () => {
    assert.equal(setTomlKey(row.text, row.path, row.value), row.want);
  });
}

Deno.test("toml edit: dotted keys with quoted parts", () => {
  assert.deepEqual(parseDottedKey('proxy.sizes."gpt-4.1"'), ["proxy", "sizes", "gpt-4.1"]);
  assert.deepEqual(parseDottedKey("a . b"), ["a", "b"]);
  assert.equal(parseDottedKey("a..b"), null);
  assert.equal(parseDottedKey("a."), null);
  assert.equal(parseDottedKey("a b"), null);
});
