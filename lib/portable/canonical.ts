/**
 * The byte-exact serialisations memoryOSS hashes. All share one string rule: UTF-8, no ASCII
 * escaping; only `"`, `\`, and U+0000..U+001F are escaped (`\b \f \n \r \t` short, the rest as
 * lowercase `\u00xx`). Python `json.dumps(ensure_ascii=False)`, serde_json and JS agree on it.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { isLosslessNumber, type JsonValue } from "./json.ts";
import { serdeValueNumber } from "./rust_format.ts";

/**
 * Encodes a string as a JSON string literal with the shared minimal escaping.
 *
 * @example
 * ```ts
 * encodeJsonString('é "x"\n'); // '"é \\"x\\"\\n"'
 * ```
 */
export function encodeJsonString(s: string): string {
  if (!s.isWellFormed()) {
    throw new MemoryossError("INVALID_INPUT", "lone surrogate in string (not valid UTF-8)");
  }
  // For well-formed strings JSON.stringify escapes exactly the set above, lowercase hex.
  return JSON.stringify(s);
}

/**
 * Orders strings by Unicode code point, which equals UTF-8 byte order (serde_json's BTreeMap
 * and Python's `sort_keys`). JS's default sort uses UTF-16 units and differs above U+FFFF.
 *
 * @example
 * ```ts
 * ["\u{1F600}", "\uFFFD"].sort(compareCodePoints); // ["\uFFFD", "\u{1F600}"]
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** How numbers and key order are rendered by {@link serialize}. */
export interface SerializeOptions {
  /** `"received"` keeps each object's order; `"sorted"` sorts keys by code point. */
  keys: "received" | "sorted";
  /** `"lexeme"` prints the source text; `"serde_value"` prints as a serde_json `Value` would. */
  numbers: "lexeme" | "serde_value";
  /** Indent width; 0 means compact (`,` and `:` without spaces). */
  indent: number;
}

/**
 * Serialises a tree. Compact output has no whitespace at all; pretty output matches serde_json
 * `to_string_pretty` and Python `json.dumps(indent=2)` (`": "`, empty containers as `[]`/`{}`).
 *
 * @example
 * ```ts
 * serialize(parseJson('{"b":1.0,"a":null}'), { keys: "sorted", numbers: "lexeme", indent: 0 });
 * // '{"a":null,"b":1.0}'
 * ```
 */
export function serialize(value: JsonValue, options: SerializeOptions): string {
  const parts: string[] = [];
  write(value, options, "", parts);
  return parts.join("");
}

function write(v: JsonValue, o: SerializeOptions, indent: string, out: string[]): void {
  if (v === null) out.push("null");
  else if (typeof v === "boolean") out.push(v ? "true" : "false");
  else if (typeof v === "string") out.push(encodeJsonString(v));
  else if (isLosslessNumber(v)) {
    out.push(o.numbers === "lexeme" ? v.value : serdeValueNumber(v.value));
  } else if (Array.isArray(v)) {
    if (v.length === 0) return void out.push("[]");
    const inner = o.indent ? indent + " ".repeat(o.indent) : "";
    out.push("[");
    v.forEach((item, i) => {
      if (i > 0) out.push(",");
      if (o.indent) out.push("\n", inner);
      write(item, o, inner, out);
    });
    if (o.indent) out.push("\n", indent);
    out.push("]");
  } else {
    if (v.size === 0) return void out.push("{}");
    const keys = [...v.keys()];
    if (o.keys === "sorted") keys.sort(compareCodePoints);
    const inner = o.indent ? indent + " ".repeat(o.indent) : "";
    out.push("{");
    keys.forEach((k, i) => {
      if (i > 0) out.push(",");
      if (o.indent) out.push("\n", inner);
      out.push(encodeJsonString(k), o.indent ? ": " : ":");
      write(v.get(k)!, o, inner, out);
    });
    if (o.indent) out.push("\n", indent);
    out.push("}");
  }
}

/**
 * Compact JSON in received key order with number lexemes kept: the passport/history rule.
 *
 * @example
 * ```ts
 * compactReceived(parseJson('{ "b": 1.0, "a": "x" }')); // '{"b":1.0,"a":"x"}'
 * ```
 */
export function compactReceived(value: JsonValue): string {
  return serialize(value, { keys: "received", numbers: "lexeme", indent: 0 });
}

/**
 * Compact JSON with keys sorted recursively, nulls kept and numbers as a serde_json `Value`
 * prints them: the bundle-envelope rule.
 *
 * @example
 * ```ts
 * compactSortedValue(parseJson('{"b":1,"a":null}')); // '{"a":null,"b":1}'
 * ```
 */
export function compactSortedValue(value: JsonValue): string {
  return serialize(value, { keys: "sorted", numbers: "serde_value", indent: 0 });
}

/**
 * Two-space pretty JSON in received order with lexemes kept (serde_json `to_string_pretty`).
 *
 * @example
 * ```ts
 * prettyJson(parseJson('{"a":[]}')); // '{\n  "a": []\n}'
 * ```
 */
export function prettyJson(value: JsonValue): string {
  return serialize(value, { keys: "received", numbers: "lexeme", indent: 2 });
}

/** Lowercase hex SHA-256 of UTF-8 text or bytes (the one in lib/crypto). */
export { sha256Hex } from "../crypto/mod.ts";
