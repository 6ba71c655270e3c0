/**
 * A lossless JSON reader for portable artifacts. Objects become `Map`s so the received key
 * order survives exactly (plain JS objects move integer-like keys such as `"2"` to the front),
 * numbers become `LosslessNumber`s holding their source lexeme (`1.0` stays `1.0`), and strings
 * keep their exact decoded value. Duplicate keys, lone surrogates, non-finite numbers and
 * nesting deeper than serde_json's limit are refused, because the references cannot hash them.
 *
 * @module
 */
import { isLosslessNumber, LosslessNumber } from "lossless-json";
import { MemoryossError } from "../errors/mod.ts";

export { isLosslessNumber, LosslessNumber };

/** A JSON object with its received key order. */
export type JsonObject = Map<string, JsonValue>;
/** A parsed JSON value: numbers keep their lexeme, objects their key order. */
export type JsonValue = null | boolean | string | LosslessNumber | JsonValue[] | JsonObject;
/** A zod-style location inside a JSON document. */
export type JsonPath = (string | number)[];

/** Deepest nesting accepted; serde_json (the memoryOSS runtime) refuses deeper documents. */
export const MAX_DEPTH = 128;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WS = /[ \t\n\r]*/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** True for a JSON object node. */
export function isJsonObject(v: unknown): v is JsonObject {
  return v instanceof Map;
}

/**
 * Parses JSON text (or UTF-8 bytes) without losing number lexemes or key order.
 * Throws `MemoryossError("INVALID_INPUT")` whose message carries line and column.
 *
 * @example
 * ```ts
 * const v = parseJson('{"b":1.0,"a":2}') as Map<string, unknown>;
 * [...v.keys()]; // ["b", "a"]
 * String(v.get("b")); // "1.0"
 * ```
 */
export function parseJson(input: string | Uint8Array): JsonValue {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      throw new MemoryossError("INVALID_INPUT", "input is not valid UTF-8");
    }
  }
  return new Reader(text).document();
}

/** The outcome of {@link tryParseJson}. */
export type ParseOutcome =
  | { ok: true; value: JsonValue }
  | { ok: false; error: { path: JsonPath; message: string } };

/**
 * Like {@link parseJson} but never throws: failures come back as a value.
 *
 * @example
 * ```ts
 * tryParseJson("{").ok; // false
 * ```
 */
export function tryParseJson(input: string | Uint8Array): ParseOutcome {
  try {
    return { ok: true, value: parseJson(input) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { path: [], message } };
  }
}

class Reader {
  #pos = 0;
  constructor(readonly text: string) {}

  document(): JsonValue {
    this.#ws();
    const v = this.#value(0);
    this.#ws();
    if (this.#pos < this.text.length) this.#fail("unexpected text after the JSON value");
    return v;
  }

  #fail(what: string): never {
    const before = this.text.slice(0, this.#pos);
    const line = before.split("\n").length;
    const col = this.#pos - before.lastIndexOf("\n");
    throw new MemoryossError(
      "INVALID_INPUT",
      `invalid JSON at line ${line} column ${col}: ${what}`,
    );
  }

  #ws(): void {
    WS.lastIndex = this.#pos;
    WS.exec(this.text);
    this.#pos = WS.lastIndex;
  }

  #value(depth: number): JsonValue {
    const c = this.text[this.#pos];
    if (c === "{" || c === "[") {
      if (depth >= MAX_DEPTH) this.#fail(`nesting deeper than ${MAX_DEPTH}`);
      return c === "{" ? this.#object(depth + 1) : this.#array(depth + 1);
    }
    if (c === '"') return this.#string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.#number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.#pos)) {
        this.#pos += word.length;
        return v;
      }
    }
    this.#fail(
      c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`,
    );
  }

  #object(depth: number): JsonObject {
    const out: JsonObject = new Map();
    this.#pos++;
    this.#ws();
    if (this.text[this.#pos] === "}") {
      this.#pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.#pos] !== '"') this.#fail("expected a string key");
      const keyAt = this.#pos;
      const key = this.#string();
      this.#ws();
      if (this.text[this.#pos] !== ":") this.#fail("expected ':'");
      this.#pos++;
      this.#ws();
      const v = this.#value(depth);
      if (out.has(key)) {
        this.#pos = keyAt;
        this.#fail(`duplicate key ${JSON.stringify(key)}`);
      }
      out.set(key, v);
      this.#ws();
      const c = this.text[this.#pos++];
      if (c === "}") return out;
      if (c !== ",") this.#fail("expected ',' or '}'");
      this.#ws();
    }
  }

  #array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.#pos++;
    this.#ws();
    if (this.text[this.#pos] === "]") {
      this.#pos++;
      return out;
    }
    for (;;) {
      out.push(this.#value(depth));
      this.#ws();
      const c = this.text[this.#pos++];
      if (c === "]") return out;
      if (c !== ",") this.#fail("expected ',' or ']'");
      this.#ws();
    }
  }

  #number(): LosslessNumber {
    NUMBER.lastIndex = this.#pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.#fail("malformed number");
    const lexeme = m[0];
    // serde_json refuses out-of-range numbers and Python would hash them as `Infinity`.
    if (!Number.isFinite(Number(lexeme))) this.#fail(`number out of range: ${lexeme}`);
    this.#pos += lexeme.length;
    return new LosslessNumber(lexeme);
  }

  #string(): string {
    const t = this.text;
    let i = this.#pos + 1;
    let out = "";
    let start = i;
    for (;;) {
      if (i >= t.length) {
        this.#pos = i;
        this.#fail("unterminated string");
      }
      const code = t.charCodeAt(i);
      if (code === 0x22) break;
      if (code < 0x20) {
        this.#pos = i;
        this.#fail("control character in string");
      }
      if (code !== 0x5c) {
        i++;
        continue;
      }
      out += t.slice(start, i);
      const e = t[i + 1];
      if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        i += 2;
      } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        this.#pos = i;
        this.#fail("invalid escape in string");
      }
      start = i;
    }
    out += t.slice(start, i);
    if (!out.isWellFormed()) {
      this.#pos = start;
      this.#fail("lone surrogate in string (not representable in UTF-8)");
    }
    this.#pos = i + 1;
    return out;
  }
}

/** Options for {@link toPlain}. */
export interface ToPlainOptions {
  /** `"number"` (default) turns lexemes into JS numbers; `"lossless"` keeps `LosslessNumber`. */
  numbers?: "number" | "lossless";
}

/**
 * Converts a parsed tree into plain JS values (for zod and typed code). Key order of the plain
 * objects is not meaningful; hash over the tree, never over this.
 *
 * @example
 * ```ts
 * toPlain(parseJson('{"a":[1.5]}')); // { a: [1.5] }
 * ```
 */
export function toPlain(value: JsonValue, options: ToPlainOptions = {}): unknown {
  if (isLosslessNumber(value)) {
    return options.numbers === "lossless" ? value : Number(value.value);
  }
  if (Array.isArray(value)) return value.map((v) => toPlain(v, options));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      // defineProperty so a "__proto__" key stays an ordinary own property.
      Object.defineProperty(out, k, {
        value: toPlain(v, options),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * Builds a tree from plain JS values, keeping object insertion order. JS numbers have no
 * source text: integers print as integers, others in shortest form. Use the typed builders
 * (`typedTree`) when a Rust-exact lexeme such as `1.0` matters.
 *
 * @example
 * ```ts
 * const tree = fromPlain({ a: 1, b: [true, null] });
 * ```
 */
export function fromPlain(value: unknown, path: JsonPath = []): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (isLosslessNumber(value)) return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new MemoryossError("INVALID_INPUT", "non-finite number has no JSON form", path);
    }
    return new LosslessNumber(String(value));
  }
  if (Array.isArray(value)) return value.map((v, i) => fromPlain(v ?? null, [...path, i]));
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [String(k), fromPlain(v, [...path, String(k)])]));
  }
  if (typeof value === "object") {
    const out: JsonObject = new Map();
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out.set(k, fromPlain(v, [...path, k]));
    }
    return out;
  }
  throw new MemoryossError("INVALID_INPUT", `${typeof value} has no JSON form`, path);
}

/**
 * Reads the node at `path`, or `undefined` when any step is missing.
 *
 * @example
 * ```ts
 * getPath(parseJson('{"a":[{"b":1}]}'), ["a", 0, "b"]); // LosslessNumber "1"
 * ```
 */
export function getPath(root: JsonValue, path: JsonPath): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const step of path) {
    if (cur instanceof Map && typeof step === "string") cur = cur.get(step);
    else if (Array.isArray(cur) && typeof step === "number") cur = cur[step];
    else return undefined;
  }
  return cur;
}

/**
 * Deep copy of a tree (maps and arrays are new; leaves are immutable and shared).
 *
 * @example
 * ```ts
 * const copy = cloneJson(parseJson("[1]"));
 * ```
 */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  if (value instanceof Map) {
    const out: JsonObject = new Map();
    for (const [k, v] of value as JsonObject) out.set(k, cloneJson(v));
    return out as T;
  }
  return value;
}

/**
 * Renders a path for messages: `memories[0].content`.
 *
 * @example
 * ```ts
 * formatPath(["memories", 0, "content"]); // "memories[0].content"
 * ```
 */
export function formatPath(path: JsonPath): string {
  if (path.length === 0) return "(root)";
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`).join("");
}
