/**
 * Surgical edits of JSON (and JSON-with-comments) text: set or remove one member, upsert or
 * remove array items, and leave every other byte (the user's order, spacing, line breaks,
 * comments) as it was. A change that is already there (deep-equal) leaves the text untouched,
 * so repeated setups change nothing. Parsing is `jsonc-parser`'s; the splicing keeps the file's
 * own indentation style.
 */
import { isDeepStrictEqual } from "node:util";
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { MemoryossError } from "../errors/mod.ts";

/** A parsed JSON value with its source span. */
export interface JsonNode {
  kind: "object" | "array" | "scalar";
  start: number;
  end: number;
  value: unknown;
  members: { key: string; start: number; value: JsonNode }[];
  items: JsonNode[];
}

function toJsonNode(n: Node): JsonNode {
  const span = { start: n.offset, end: n.offset + n.length, members: [], items: [] };
  if (n.type === "object") {
    const members = (n.children ?? []).map((p) => {
      const [key, value] = p.children!;
      return { key: key.value as string, start: key.offset, value: toJsonNode(value) };
    });
    const value = Object.fromEntries(members.map((m) => [m.key, m.value.value]));
    return { ...span, kind: "object", value, members };
  }
  if (n.type === "array") {
    const items = (n.children ?? []).map(toJsonNode);
    return { ...span, kind: "array", value: items.map((it) => it.value), items };
  }
  return { ...span, kind: "scalar", value: n.value };
}

/**
 * Parse JSON keeping spans; `//` and block comments are allowed, trailing commas are not.
 * Throws INVALID_INPUT naming the first error and its offset on bad input.
 *
 * @example
 * ```ts
 * parseJsonSpans('{"a": [1]} // note').members[0].value.kind; // "array"
 * ```
 */
export function parseJsonSpans(text: string): JsonNode {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  const e = errors[0];
  if (e || !root) {
    const what = e ? printParseErrorCode(e.error) : "no value";
    throw new MemoryossError(
      "INVALID_INPUT",
      `not valid JSON: ${what} at offset ${e?.offset ?? 0}`,
    );
  }
  return toJsonNode(root);
}

/** Leading whitespace of the line that holds `pos`. */
function lineIndent(text: string, pos: number): string {
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The file's indent unit ("" for one-line JSON); two spaces when nothing says otherwise. */
function indentUnit(text: string): string {
  if (!text.includes("\n")) return text.trim().length > 2 ? "" : "  ";
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
}

function render(value: unknown, indent: string, unit: string): string {
  if (unit === "") return JSON.stringify(value);
  return JSON.stringify(value, null, unit).replaceAll("\n", `\n${indent}`);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Insert `entry(indent)` as the last member/item of the container `c`. */
function appendTo(text: string, c: JsonNode, entry: (indent: string) => string): string {
  const unit = indentUnit(text);
  const last = c.kind === "object"
    ? c.members.map((m) => ({ start: m.start, end: m.value.end })).at(-1)
    : c.items.at(-1);
  if (last) {
    const lastEnd = last.end;
    const multiline = text.slice(c.start, last.start).includes("\n");
    if (!multiline) return splice(text, lastEnd, lastEnd, `, ${entry("")}`);
    const indent = lineIndent(text, last.start);
    return splice(text, lastEnd, lastEnd, `,\n${indent}${entry(indent)}`);
  }
  if (unit === "") return splice(text, c.start + 1, c.end - 1, entry(""));
  const outer = lineIndent(text, c.start);
  const inner = outer + unit;
  return splice(text, c.start + 1, c.end - 1, `\n${inner}${entry(inner)}\n${outer}`);
}

/** Remove entry `idx` of container `c` with its separator. */
function removeAt(text: string, c: JsonNode, idx: number): string {
  const spans = c.kind === "object"
    ? c.members.map((m) => ({ start: m.start, end: m.value.end }))
    : c.items.map((it) => ({ start: it.start, end: it.end }));
  if (idx > 0) return splice(text, spans[idx - 1].end, spans[idx].end, "");
  if (spans.length > 1) return splice(text, spans[0].start, spans[1].start, "");
  return splice(text, c.start + 1, c.end - 1, "");
}

function rootObject(text: string | null): { text: string; root: JsonNode } {
  const t = text === null || text.trim() === "" ? "{}\n" : text;
  const root = parseJsonSpans(t);
  if (root.kind !== "object") {
    throw new MemoryossError("INVALID_INPUT", "the top level is not a JSON object");
  }
  return { text: t, root };
}

/** The node at `path` (object keys), or null. */
export function jsonAt(root: JsonNode, path: readonly string[]): JsonNode | null {
  let n: JsonNode | undefined = root;
  for (const key of path) {
    if (!n || n.kind !== "object") return null;
    n = n.members.findLast((m) => m.key === key)?.value;
  }
  return n ?? null;
}

/**
 * Set `path` to `value`, creating missing objects on the way. `null` text means a new file.
 *
 * @example
 * ```ts
 * setJson('{\n  "a": 1\n}\n', ["mcp", "x"], { on: true });
 * // '{\n  "a": 1,\n  "mcp": {\n    "x": {\n      "on": true\n    }\n  }\n}\n'
 * ```
 */
export function setJson(text: string | null, path: readonly string[], value: unknown): string {
  const { text: t, root } = rootObject(text);
  let n = root;
  for (let i = 0; i < path.length; i++) {
    if (n.kind !== "object") {
      throw new MemoryossError("INVALID_INPUT", `${path.slice(0, i).join(".")} is not an object`);
    }
    const m = n.members.findLast((x) => x.key === path[i]);
    if (!m) {
      const nested = path.slice(i + 1).reduceRight<unknown>((v, k) => ({ [k]: v }), value);
      const unit = indentUnit(t);
      return appendTo(t, n, (ind) => `${JSON.stringify(path[i])}: ${render(nested, ind, unit)}`);
    }
    if (i === path.length - 1) {
      if (isDeepStrictEqual(m.value.value, value)) return t;
      const ind = lineIndent(t, m.start);
      return splice(t, m.value.start, m.value.end, render(value, ind, indentUnit(t)));
    }
    n = m.value;
  }
  return t;
}

/**
 * Remove the member at `path`; then drop ancestors (up to `pruneDepth` levels) left empty.
 *
 * @example
 * ```ts
 * removeJson('{"a": 1, "m": {"x": 2}}', ["m", "x"], 1); // '{"a": 1}'
 * ```
 */
export function removeJson(text: string, path: readonly string[], pruneDepth = 0): string {
  const root = parseJsonSpans(text);
  const parent = jsonAt(root, path.slice(0, -1));
  if (!parent || parent.kind !== "object") return text;
  const idx = parent.members.findLastIndex((m) => m.key === path.at(-1));
  if (idx < 0) return text;
  const out = removeAt(text, parent, idx);
  return pruneEmpty(out, path.slice(0, -1), pruneDepth);
}

function pruneEmpty(text: string, path: readonly string[], depth: number): string {
  if (depth <= 0 || path.length === 0) return text;
  const n = jsonAt(parseJsonSpans(text), path);
  if (!n || (n.kind === "object" ? n.members.length : n.items.length) > 0 || n.kind === "scalar") {
    return text;
  }
  return removeJson(text, path, depth - 1);
}

/**
 * Make the array at `path` hold `value` once: replace the first item `match` accepts (and
 * drop later matches), or append. Creates the array when missing.
 */
export function upsertJsonItem(
  text: string | null,
  path: readonly string[],
  value: unknown,
  match: (item: unknown) => boolean,
): string {
  const { text: t, root } = rootObject(text);
  const arr = jsonAt(root, path);
  if (!arr) return setJson(t, path, [value]);
  if (arr.kind !== "array") {
    throw new MemoryossError("INVALID_INPUT", `${path.join(".")} is not an array`);
  }
  const hits = arr.items.map((it, i) => (match(it.value) ? i : -1)).filter((i) => i >= 0);
  if (hits.length === 0) {
    return appendTo(t, arr, (ind) => render(value, ind, indentUnit(t)));
  }
  let out = t;
  for (const i of hits.slice(1).reverse()) out = removeAt(out, arr, i);
  const first = arr.items[hits[0]];
  if (isDeepStrictEqual(first.value, value)) return out;
  return splice(
    out,
    first.start,
    first.end,
    render(value, lineIndent(out, first.start), indentUnit(t)),
  );
}

/** Remove every item of the array at `path` that `match` accepts; prune emptied ancestors. */
export function removeJsonItems(
  text: string,
  path: readonly string[],
  match: (item: unknown) => boolean,
  pruneDepth = 0,
): string {
  const arr = jsonAt(parseJsonSpans(text), path);
  if (!arr || arr.kind !== "array") return text;
  const hits = arr.items.map((it, i) => (match(it.value) ? i : -1)).filter((i) => i >= 0);
  if (hits.length === 0) return text;
  let out = text;
  for (const i of hits.reverse()) out = removeAt(out, arr, i);
  return pruneEmpty(out, path, pruneDepth);
}

/** True when `text` holds only empty objects/arrays (what is left of a file setup created). */
export function isEmptyJson(text: string): boolean {
  const empty = (v: unknown): boolean =>
    Array.isArray(v)
      ? v.every(empty)
      : v !== null && typeof v === "object"
      ? Object.values(v).every(empty)
      : false;
  try {
    return empty(parseJsonSpans(text).value);
  } catch {
    return false;
  }
}
