import assert from "node:assert/strict";
import {
  chronoJsonTimestamp,
  chronoToRfc3339,
  compactReceived,
  compactSortedValue,
  compareCodePoints,
  encodeJsonString,
  formatF64,
  isRfc3339,
  jcs,
  type JsonValue,
  parseJson,
  prettyJson,
  serdeValueNumber,
  sha256Hex,
} from "../../lib/portable/mod.ts";
import { needsPython, python } from "./_python.ts";

Deno.test("encodeJsonString: minimal escaping, no ASCII escaping", () => {
  const table: [string, string][] = [
    ["plain", '"plain"'],
    ["café 😀 \u2028 \u007f", '"café 😀 \u2028 \u007f"'],
    ['q"b\\', '"q\\"b\\\\"'],
    ["\b\f\n\r\t", '"\\b\\f\\n\\r\\t"'],
    ["\u0000\u001f\u000b", '"\\u0000\\u001f\\u000b"'],
    ["/", '"/"'],
  ];
  for (const [input, want] of table) assert.equal(encodeJsonString(input), want);
  assert.throws(() => encodeJsonString("\ud800"), /lone surrogate/);
});

Deno.test("compareCodePoints is UTF-8 byte order, not UTF-16 order", () => {
  const keys = ["b", "\u{1F600}", "\uFFFD", "a", "B", "aa", ""];
  assert.deepEqual([...keys].sort(compareCodePoints), [
    "",
    "B",
    "a",
    "aa",
    "b",
    "\uFFFD",
    "\u{1F600}",
  ]);
  assert.deepEqual([...keys].sort().slice(-2), ["\u{1F600}", "\uFFFD"], "JS default differs");
});

Deno.test("compact forms: received order vs sorted serde Value", () => {
  const tree = parseJson('{"z":{"y":1.0,"x":[1.50,-0,1e2,10]},"a":null,"m":"é"}');
  assert.equal(compactReceived(tree), '{"z":{"y":1.0,"x":[1.50,-0,1e2,10]},"a":null,"m":"é"}');
  assert.equal(
    compactSortedValue(tree),
    '{"a":null,"m":"é","z":{"x":[1.5,-0.0,100.0,10],"y":1.0}}',
  );
});

Deno.test("prettyJson matches serde_json to_string_pretty layout", () => {
  const tree = parseJson('{"a":[],"b":{},"c":[1,{"d":"x"}]}');
  assert.equal(
    prettyJson(tree),
    '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": "x"\n    }\n  ]\n}',
  );
});

Deno.test("formatF64 prints like ryu / serde_json", () => {
  const table: [number, string][] = [
    [1, "1.0"],
    [0.94, "0.94"],
    [-2.5, "-2.5"],
    [100, "100.0"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e16"],
    [1.5e16, "1.5e16"],
    [123456789012345680000, "1.2345678901234568e20"],
    [1e-5, "0.00001"],
    [1.25e-5, "0.0000125"],
    [1e-6, "1e-6"],
    [1.5e-7, "1.5e-7"],
    [0, "0.0"],
    [-0, "-0.0"],
    [0.1 + 0.2, "0.30000000000000004"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e308"],
  ];
  for (const [n, want] of table) assert.equal(formatF64(n), want, String(n));
  assert.throws(() => formatF64(Infinity), /non-finite/);
});

Deno.test("serdeValueNumber follows serde_json Value parsing", () => {
  const table: [string, string][] = [
    ["10", "10"],
    ["18446744073709551615", "18446744073709551615"],
    ["18446744073709551616", "1.8446744073709552e19"],
    ["-9223372036854775808", "-9223372036854775808"],
    ["-9223372036854775809", "-9.223372036854776e18"],
    ["-0", "-0.0"],
    ["1.0", "1.0"],
    ["1.50", "1.5"],
    ["1e2", "100.0"],
    ["1E-7", "1e-7"],
  ];
  for (const [lexeme, want] of table) assert.equal(serdeValueNumber(lexeme), want, lexeme);
});

Deno.test("isRfc3339 validates date-time text and the calendar", () => {
  const good = [
    "2026-03-13T09:00:00Z",
    "2026-03-13t09:00:00z",
    "2026-03-13T09:00:00.1Z",
    "2026-03-13T09:00:00.123456789012Z",
    "2026-03-13T09:00:00+05:30",
    "2024-02-29T00:00:00Z",
  ];
  const bad = [
    "2026-03-13 09:00:00Z",
    "2026-03-13T09:00:00",
    "2026-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-03-13T24:00:00Z",
    "2026-03-13T09:60:00Z",
    "2026-03-13T09:00:60Z",
    "2026-03-13T09:00:00.Z",
    "2026-03-13T09:00:00+24:00",
    "26-03-13T09:00:00Z",
  ];
  for (const t of good) assert.ok(isRfc3339(t), t);
  for (const t of bad) assert.ok(!isRfc3339(t), t);
});

Deno.test("chronoToRfc3339: UTC, +00:00, AutoSi fractional digits", () => {
  const table: [string, string][] = [
    ["2026-03-13T09:00:00Z", "2026-03-13T09:00:00+00:00"],
    ["2026-03-13T09:00:00.000Z", "2026-03-13T09:00:00+00:00"],
    ["2026-03-13T09:00:00.12Z", "2026-03-13T09:00:00.120+00:00"],
    ["2026-03-13T09:00:00.1234Z", "2026-03-13T09:00:00.123400+00:00"],
    ["2026-03-13T09:00:00.123456789Z", "2026-03-13T09:00:00.123456789+00:00"],
    ["2026-03-13T09:00:00.1234567891Z", "2026-03-13T09:00:00.123456789+00:00"],
    ["2026-03-13T10:30:00+01:30", "2026-03-13T09:00:00+00:00"],
    ["2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00+00:00"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"],
  ];
  for (const [input, want] of table) assert.equal(chronoToRfc3339(input), want, input);
  assert.throws(() => chronoToRfc3339("yesterday"), /not an RFC 3339/);
  assert.equal(chronoJsonTimestamp("2026-03-13T09:00:00.120000+00:00"), "2026-03-13T09:00:00.120Z");
  assert.equal(
    chronoJsonTimestamp(new Date(Date.UTC(2026, 2, 13, 9, 0, 0, 5))),
    "2026-03-13T09:00:00.005Z",
  );
  assert.equal(chronoJsonTimestamp(new Date(Date.UTC(2026, 2, 13, 9))), "2026-03-13T09:00:00Z");
  assert.throws(() => chronoJsonTimestamp(new Date(NaN)), /invalid Date/);
});

Deno.test("jcs (RFC 8785) for our own lines", () => {
  assert.equal(
    jcs({ b: 1.0, a: "x", c: [3, { e: null, d: true }] }),
    '{"a":"x","b":1,"c":[3,{"d":true,"e":null}]}',
  );
  assert.equal(
    jcs(parseJson('{"z":1.50,"\u{1F600}":1,"\uFFFD":2}')),
    '{"z":1.5,"\u{1F600}":1,"\uFFFD":2}',
  );
  assert.equal(jcs({ n: 1e21, m: 1e-7 }), '{"m":1e-7,"n":1e+21}');
  assert.equal(jcs({ nested: new Map([["b", 1], ["a", 2]]) }), '{"nested":{"a":2,"b":1}}');
  assert.throws(() => jcs({ x: NaN }), /cannot canonicalize/);
  assert.throws(() => jcs(undefined), /no JSON form/);
});

Deno.test("sha256Hex of UTF-8 text", () => {
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  // printf 'é' | sha256sum
  const e = "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c";
  assert.equal(sha256Hex("é"), e);
  assert.equal(sha256Hex(new Uint8Array([0xc3, 0xa9])), e);
});

// Strings and numbers where JSON writers disagree; Python's json is the reference here.
const TRICKY_STRINGS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  '"',
  "\\",
  "/",
  "\u007f",
  "\u2028\u2029",
  "\ufeff",
  "\uffff",
  "\u{1F600}",
  "\u{10FFFF}",
  "e\u0301 \u00e9",
  "</script>",
  "\u00e9\u0000\u00ff",
];
const CANONICAL_NUMBERS = "[1.0,-0.0,0.5,100.0,1e-07,1e+16,5e-324,12345678901234567890,0,-1,0.1]";
const KEYS = new Map<string, JsonValue>([
  ["\u{1F600}", "astral key"],
  ["\uFFFD", "bmp key"],
  ["a", []],
  ["b", new Map()],
]);

Deno.test(
  needsPython("string escaping, key order, numbers and pretty layout match Python's json"),
  async () => {
    const doc = new Map<string, JsonValue>([
      ["z", TRICKY_STRINGS],
      ["2", parseJson(CANONICAL_NUMBERS)],
      ["1", KEYS],
    ]);
    const text = compactReceived(doc);
    const out = await python(
      "import json,sys; d=json.loads(sys.stdin.buffer.read().decode('utf-8'));" +
        "sys.stdout.write(json.dumps([json.dumps(d, ensure_ascii=False, separators=(',', ':'))," +
        " json.dumps(d, ensure_ascii=False, indent=2)," +
        " json.dumps(d, ensure_ascii=False, separators=(',', ':'), sort_keys=True)]))",
      [],
      text,
    );
    const [compact, pretty, sorted] = JSON.parse(out) as string[];
    assert.equal(text, compact, "compact, received order, lexemes kept");
    assert.equal(prettyJson(doc), pretty, "two-space layout");
    // Sorted by code point as Python's sort_keys does (serde_json's BTreeMap too); numbers here
    // are already in the form a serde Value prints, except Python's exponent spelling.
    assert.equal(
      compactSortedValue(doc).replace("1e-7", "1e-07").replace("1e16", "1e+16"),
      sorted,
    );
  },
);
