import assert from "node:assert/strict";
import {
  isEmptyJson,
  parseJsonSpans,
  removeJson,
  removeJsonItems,
  setJson,
  upsertJsonItem,
} from "../../lib/setup/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

const V = { command: "m", args: ["mcp-server"] };

Deno.test("setJson: inserts, replaces, and leaves the rest byte for byte", () => {
  const cases: { name: string; text: string | null; path: string[]; want: string }[] = [
    { name: "new file", text: null, path: ["a"], want: '{\n  "a": 1\n}\n' },
    { name: "empty object", text: "{}\n", path: ["a"], want: '{\n  "a": 1\n}\n' },
    {
      name: "append keeps 4-space style",
      text: '{\n    "x": true\n}\n',
      path: ["a"],
      want: '{\n    "x": true,\n    "a": 1\n}\n',
    },
    {
      name: "nested create",
      text: '{\n  "x": 1\n}',
      path: ["m", "k"],
      want: '{\n  "x": 1,\n  "m": {\n    "k": 1\n  }\n}',
    },
    {
      name: "one-line object stays one line",
      text: '{"x": 1}',
      path: ["a"],
      want: '{"x": 1, "a": 1}',
    },
    {
      name: "replace a different value in place",
      text: '{\n  "a": 2,\n  "z": 3\n}\n',
      path: ["a"],
      want: '{\n  "a": 1,\n  "z": 3\n}\n',
    },
    {
      name: "equal value: untouched even if formatted differently",
      text: '{ "a" :   1 }',
      path: ["a"],
      want: '{ "a" :   1 }',
    },
    { name: "tabs", text: '{\n\t"x": 1\n}', path: ["a"], want: '{\n\t"x": 1,\n\t"a": 1\n}' },
  ];
  for (const c of cases) assert.equal(setJson(c.text, c.path, 1), c.want, c.name);
});

Deno.test("setJson then removeJson gives the original text back", () => {
  const originals = [
    '{\n  "theme": "dark"\n}\n',
    '{\n  "mcpServers": {\n    "other": {"command": "x"}\n  }\n}\n',
    '{\n  "mcpServers": {\n    "memoryoss": {"command": "old"},\n    "z": 1\n  }\n}\n',
    '{"a":1,"b":[1,2]}',
    "{}\n",
  ];
  for (const o of originals) {
    const added = setJson(o, ["mcpServers", "memoryoss"], V);
    assert.notEqual(added, o);
    assert.deepEqual(parseJsonSpans(added).value, {
      ...JSON.parse(o),
      mcpServers: { ...JSON.parse(o).mcpServers, memoryoss: V },
    });
    const removed = removeJson(added, ["mcpServers", "memoryoss"], 1);
    if (o.includes('"old"')) {
      assert.deepEqual(JSON.parse(removed), { mcpServers: { z: 1 } });
    } else assert.equal(removed, o, o);
  }
});

Deno.test("array items: upsert is idempotent, replaces a stale copy, removal prunes", () => {
  const mine = (v: unknown) => (v as { id?: string })?.id === "me";
  const base = '{\n  "hooks": {\n    "Stop": [\n      {"id": "user"}\n    ]\n  }\n}\n';
  const once = upsertJsonItem(base, ["hooks", "Stop"], { id: "me", v: 1 }, mine);
  assert.equal(upsertJsonItem(once, ["hooks", "Stop"], { id: "me", v: 1 }, mine), once);
  const updated = upsertJsonItem(once, ["hooks", "Stop"], { id: "me", v: 2 }, mine);
  assert.deepEqual(JSON.parse(updated).hooks.Stop, [{ id: "user" }, { id: "me", v: 2 }]);
  assert.equal(removeJsonItems(updated, ["hooks", "Stop"], mine, 2), base);

  const created = upsertJsonItem("{}\n", ["hooks", "Stop"], { id: "me" }, mine);
  assert.deepEqual(JSON.parse(created), { hooks: { Stop: [{ id: "me" }] } });
  assert.equal(removeJsonItems(created, ["hooks", "Stop"], mine, 2), "{}\n");

  const dup = '{"l": [{"id": "me"}, 1, {"id": "me"}]}';
  assert.deepEqual(JSON.parse(upsertJsonItem(dup, ["l"], { id: "me" }, mine)).l, [{ id: "me" }, 1]);
});

Deno.test("bad JSON and wrong shapes are refused, never rewritten", () => {
  const bad: [string | null, string[]][] = [
    ["{", ["a"]],
    ['{"a": 1,}', ["a"]],
    ["[1]", ["a"]],
    ['{"a": 1} x', ["a"]],
    ['{"a": 1}', ["a", "b"]],
  ];
  for (const [text, path] of bad) {
    assert.throws(() => setJson(text, path, 1), MemoryossError, String(text));
  }
  assert.throws(() => upsertJsonItem('{"a": {}}', ["a"], 1, () => false), /not an array/);
});

Deno.test("isEmptyJson", () => {
  const cases: [string, boolean][] = [
    ["{}", true],
    ['{"a": {}, "b": []}', true],
    ['{"a": 0}', false],
    ["not json", false],
  ];
  for (const [text, want] of cases) assert.equal(isEmptyJson(text), want, text);
});

Deno.test("comments (JSONC, as VS Code-style settings files carry) are kept, not refused", () => {
  const text = '{\n  // the user\'s note\n  "theme": "dark", /* inline */\n  "x": 1\n}\n';
  const added = setJson(text, ["mcp", "k"], 1);
  assert.equal(
    added,
    '{\n  // the user\'s note\n  "theme": "dark", /* inline */\n  "x": 1,\n  "mcp": {\n    "k": 1\n  }\n}\n',
  );
  assert.equal(removeJson(added, ["mcp", "k"], 1), text);
  assert.deepEqual(parseJsonSpans(text).value, { theme: "dark", x: 1 });
  assert.throws(() => setJson('{"a": 1 /* open', ["b"], 1), /not valid JSON: .* at offset/);
});
