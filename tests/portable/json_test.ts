import assert from "node:assert/strict";
import { MemoryossError } from "../../lib/errors/mod.ts";
import {
  cloneJson,
  compactReceived,
  formatPath,
  fromPlain,
  getPath,
  isLosslessNumber,
  type JsonObject,
  LosslessNumber,
  MAX_DEPTH,
  parseJson,
  toPlain,
  tryParseJson,
} from "../../lib/portable/mod.ts";
import { needsPython, python } from "./_python.ts";

Deno.test("parseJson keeps number lexemes exactly", () => {
  for (
    const lexeme of ["1.0", "1", "-0", "0.940", "1e5", "1E+05", "-1.5e-7", "12345678901234567890"]
  ) {
    // the spec's rule for a TS reader: the source lexeme, never a re-printed JS number
    const v = parseJson(`[ ${lexeme}\n]`) as LosslessNumber[];
    assert.ok(isLosslessNumber(v[0]));
    assert.equal(v[0].value, lexeme);
    assert.equal(compactReceived(v), `[${lexeme}]`);
  }
  assert.notEqual(
    JSON.stringify(JSON.parse("[1.0,12345678901234567890]")),
    "[1.0,12345678901234567890]",
  );
});

// Source texts whose decoded values Python's json must agree with (lexemes here are the ones
// Python itself prints, so its compact output is comparable byte for byte).
const SOURCES = [
  String.raw`{"caf\u00e9":"\u00E9\/\"\\\b\f\n\r\t\u0000\u001F\u007F\u2028"}`,
  String.raw`["\ud83d\ude00","\uD834\uDD1E","e\u0301","\uFEFFbom","\uffff"]`,
  '{ "b" : 1.0 , "2" : [ -0.0 , 1e-07 , 12345678901234567890 ] , "a" : { } , "1" : [ ] }',
  '"raw UTF-8: 日本語 😀 é \\u0041"',
  "[true,false,null,0,-1,0.5,100.0,1e+16]",
];

Deno.test(
  needsPython("parseJson + compactReceived agree with Python's json on decoded values"),
  async () => {
    const out = await python(
      "import json,sys; srcs=json.loads(sys.stdin.buffer.read().decode('utf-8'));" +
        "sys.stdout.write(json.dumps([json.dumps(json.loads(s), ensure_ascii=False," +
        " separators=(',', ':')) for s in srcs]))",
      [],
      JSON.stringify(SOURCES),
    );
    const want = JSON.parse(out) as string[];
    SOURCES.forEach((src, i) => assert.equal(compactReceived(parseJson(src)), want[i], src));
  },
);

Deno.test("parseJson keeps received key order, integer-like keys included", () => {
  const v = parseJson('{"b":1,"2":2,"a":3,"1":4,"__proto__":5}') as JsonObject;
  assert.deepEqual([...v.keys()], ["b", "2", "a", "1", "__proto__"]);
  assert.equal(compactReceived(v), '{"b":1,"2":2,"a":3,"1":4,"__proto__":5}');
  // A plain JS object would have moved "1" and "2" to the front:
  assert.deepEqual(Object.keys(JSON.parse('{"b":1,"2":2,"1":4}')), ["1", "2", "b"]);
});

Deno.test("parseJson decodes escapes to exact string values", () => {
  const table: [string, string][] = [
    [String.raw`"caf\u00e9"`, "café"],
    [String.raw`"\/v1\/proxy"`, "/v1/proxy"],
    [String.raw`"\ud83d\ude00"`, "😀"],
    [String.raw`"a\tb\nc\r\b\f\\\""`, 'a\tb\nc\r\b\f\\"'],
    [String.raw`"\u001F"`, "\u001f"],
    ['"2026-03-13T09:00:00.120000+00:00"', "2026-03-13T09:00:00.120000+00:00"],
  ];
  for (const [src, want] of table) assert.equal(parseJson(src), want, src);
});

Deno.test("parseJson refuses what the references cannot hash, with positions", () => {
  const bad: [string, RegExp][] = [
    ['{"a":1,"a":2}', /duplicate key "a"/],
    [String.raw`"\ud800"`, /lone surrogate/],
    [String.raw`"\udc00x"`, /lone surrogate/],
    ["1e400", /out of range/],
    ["-1e999", /out of range/],
    ["[1,]", /line 1 column 4/],
    ["01", /unexpected text/],
    ["1.", /unexpected text/],
    ["+1", /unexpected character/],
    ['"a\nb"', /control character/],
    [String.raw`"\x41"`, /invalid escape/],
    ['{"a" 1}', /expected ':'/],
    ['{"a":1 "b":2}', /expected ',' or '}'/],
    ["[1 2]", /expected ',' or ']'/],
    ["{1:2}", /expected a string key/],
    ["", /unexpected end of input/],
    ['"abc', /unterminated string/],
    ["\uFEFF{}", /unexpected character/],
    ["{} {}", /unexpected text after/],
    ["NaN", /unexpected character/],
    ["tru", /unexpected character/],
    ["[".repeat(MAX_DEPTH + 1) + "]".repeat(MAX_DEPTH + 1), /nesting deeper than 128/],
  ];
  for (const [src, re] of bad) {
    assert.throws(() => parseJson(src), (e: unknown) => {
      assert.ok(e instanceof MemoryossError, src);
      assert.equal(e.code, "INVALID_INPUT");
      assert.match(e.message, re, src);
      return true;
    });
  }
  const deepOk = "[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH);
  assert.ok(Array.isArray(parseJson(deepOk)));
});

Deno.test("parseJson reads UTF-8 bytes and refuses invalid UTF-8", () => {
  const bytes = new TextEncoder().encode('{"c":"é"}');
  assert.equal((parseJson(bytes) as JsonObject).get("c"), "é");
  assert.throws(() => parseJson(new Uint8Array([0x22, 0xff, 0x22])), /not valid UTF-8/);
});

Deno.test("parseJson accepts JSON whitespace around tokens", () => {
  const v = parseJson(' \t\r\n{ "a" : [ 1 , true , null ] }\n');
  assert.equal(compactReceived(v), '{"a":[1,true,null]}');
});

Deno.test("tryParseJson returns a structured failure instead of throwing", () => {
  const r = tryParseJson('{"a":');
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.deepEqual(r.error.path, []);
    assert.match(r.error.message, /unexpected end of input/);
  }
  assert.deepEqual(tryParseJson("true"), { ok: true, value: true });
});

Deno.test("toPlain / fromPlain convert between trees and plain values", () => {
  const tree = parseJson('{"a":[1.5,{"__proto__":"x"}],"n":null}');
  const plain = toPlain(tree) as Record<string, unknown>;
  assert.deepEqual(plain.a, [
    1.5,
    Object.defineProperty({}, "__proto__", {
      value: "x",
      enumerable: true,
      writable: true,
      configurable: true,
    }),
  ]);
  assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  const lossless = toPlain(tree, { numbers: "lossless" }) as { a: unknown[] };
  assert.ok(isLosslessNumber(lossless.a[0]));
  assert.equal(
    compactReceived(fromPlain({ b: 2, a: [true, "s", 0.5] })),
    '{"b":2,"a":[true,"s",0.5]}',
  );
  assert.equal(
    compactReceived(fromPlain({ x: undefined, y: new LosslessNumber("1.0") })),
    '{"y":1.0}',
  );
  assert.throws(() => fromPlain({ x: NaN }), /non-finite/);
  assert.throws(() => fromPlain(() => 1), /function has no JSON form/);
});

Deno.test("getPath, cloneJson and formatPath", () => {
  const tree = parseJson('{"m":[{"c":"x"}]}');
  assert.equal(getPath(tree, ["m", 0, "c"]), "x");
  assert.equal(getPath(tree, ["m", "0"]), undefined);
  assert.equal(getPath(tree, ["nope", 1]), undefined);
  const copy = cloneJson(tree) as JsonObject;
  (copy.get("m") as JsonObject[])[0].set("c", "y");
  assert.equal(getPath(tree, ["m", 0, "c"]), "x", "clone is deep");
  assert.equal(formatPath(["memories", 0, "content"]), "memories[0].content");
  assert.equal(formatPath([]), "(root)");
});
