/**
 * Set one key of a TOML text in place, keeping every other line (comments included) byte for
 * byte: smol-toml's `stringify` would drop the comments. The line holding the key (or the
 * inline table holding it) gets the new value with its trailing comment kept; a missing key is
 * added under its table (or a new table at the end). The result must parse to exactly the old
 * document with that one key changed, or nothing is returned.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { parse as parseToml } from "smol-toml";

type Table = Record<string, unknown>;

const BARE = /^[A-Za-z0-9_-]+$/;
const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const KV_LINE = new RegExp(
  String.raw`^(\s*)(${KEY_PART}(?:\s*\.\s*${KEY_PART})*)(\s*=)(.*)$`,
);
const TABLE_LINE = /^\s*\[\s*([^[\]]+?)\s*\]\s*(?:#.*)?$/;
const ARRAY_TABLE_LINE = /^\s*\[\[/;

/**
 * A dotted key (`a.b`, `a."b.c"`) as its parts, or null when it is not one.
 *
 * @example
 * ```ts
 * parseDottedKey('proxy.model_context_sizes."gpt-4.1"'); // ["proxy", "model_context_sizes", "gpt-4.1"]
 * ```
 */
export function parseDottedKey(s: string): string[] | null {
  const re = new RegExp(String.raw`^\s*(${KEY_PART})\s*(\.|$)`);
  const parts: string[] = [];
  let rest = s;
  while (rest.length) {
    const m = re.exec(rest);
    if (!m) return null;
    const p = m[1];
    parts.push(p.startsWith('"') ? JSON.parse(p) : p.startsWith("'") ? p.slice(1, -1) : p);
    rest = rest.slice(m[0].length);
    if (m[2] === "." && !rest.trim()) return null;
  }
  return parts.length ? parts : null;
}

/** A key part as TOML writes it. */
export function tomlKey(part: string): string {
  return BARE.test(part) ? part : JSON.stringify(part);
}

/**
 * A value as inline TOML (strings, numbers, booleans, arrays, inline tables).
 *
 * @example
 * ```ts
 * inlineToml({ key: "k", n: [1, 2] }); // '{ key = "k", n = [1, 2] }'
 * ```
 */
export function inlineToml(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} in TOML`);
    return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(inlineToml).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const items = Object.entries(v).map(([k, x]) => `${tomlKey(k)} = ${inlineToml(x)}`);
    return items.length ? `{ ${items.join(", ")} }` : "{}";
  }
  throw new Error(`cannot write ${String(v)} in TOML`);
}

function parsesAsValue(s: string): boolean {
  try {
    parseToml(`x = ${s}`);
    return true;
  } catch {
    return false;
  }
}

/** Where a key's value ends: its last line, and the trailing comment of a one-line value. */
function valueExtent(lines: string[], i: number, rest: string): { end: number; comment: string } {
  for (let at = rest.indexOf("#"); at >= 0; at = rest.indexOf("#", at + 1)) {
    if (parsesAsValue(rest.slice(0, at))) {
      const gap = /\s*$/.exec(rest.slice(0, at))![0] || " ";
      return { end: i, comment: gap + rest.slice(at) };
    }
  }
  if (parsesAsValue(rest)) return { end: i, comment: "" };
  // A multi-line array or string: grow until it parses (comments inside it go with it).
  let block = rest;
  for (let j = i + 1; j < lines.length && j < i + 500; j++) {
    block += "\n" + lines[j];
    if (parsesAsValue(block)) return { end: j, comment: "" };
  }
  return { end: i, comment: "" };
}

const startsWith = (a: string[], prefix: string[]) =>
  prefix.length <= a.length && prefix.every((p, i) => a[i] === p);

interface Scan {
  /** The line (and last line) of the key-value whose full key is a prefix of the path. */
  hit?: { line: number; end: number; key: string[]; indent: string; lhs: string; comment: string };
  /** Per table header (dotted, as parts joined by NUL): its line and its last value line. */
  tables: Map<string, { header: number; last: number }>;
}

function scan(lines: string[], path: string[]): Scan {
  const tables = new Map<string, { header: number; last: number }>();
  let table: string[] | null = [];
  let entry: { header: number; last: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (ARRAY_TABLE_LINE.test(line)) {
      table = null; // an array-of-tables element: never the target
      continue;
    }
    const t = TABLE_LINE.exec(line);
    if (t) {
      table = parseDottedKey(t[1]);
      entry = table ? { header: i, last: i } : undefined;
      if (table) tables.set(table.join("\0"), entry!);
      continue;
    }
    const kv = KV_LINE.exec(line);
    if (!kv) continue;
    const { end, comment } = valueExtent(lines, i, kv[4]);
    const key = table && parseDottedKey(kv[2]);
    if (key && table) {
      const full = [...table, ...key];
      if (startsWith(path, full)) {
        return {
          tables,
          hit: { line: i, end, key: full, indent: kv[1], lhs: kv[2] + kv[3], comment },
        };
      }
      if (entry) entry.last = end;
    }
    i = end;
  }
  return { tables };
}

/** smol-toml's tables have a null prototype: compare as plain JSON data. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function getIn(t: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Table | undefined)?.[k], t);
}

/** A deep copy of `doc` with `path` set to `value` (intermediate tables made as needed). */
export function setIn(doc: Table, path: string[], value: unknown): Table {
  const out = structuredClone(doc);
  let t = out;
  for (const k of path.slice(0, -1)) {
    if (t[k] === null || typeof t[k] !== "object" || Array.isArray(t[k])) t[k] = {};
    t = t[k] as Table;
  }
  t[path.at(-1)!] = value;
  return out;
}

/**
 * `text` with `path` set to `value`, or null when the file's layout defeats an in-place edit
 * (the caller then asks for a hand edit). `text` must be valid TOML.
 *
 * @example
 * ```ts
 * setTomlKey("[server]\nport = 8000 # the port\n", ["server", "port"], 9000);
 * // "[server]\nport = 9000 # the port\n"
 * ```
 */
export function setTomlKey(text: string, path: string[], value: unknown): string | null {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  const want = setIn(parseToml(text) as Table, path, value);
  const s = scan(lines, path);
  if (s.hit) {
    const h = s.hit;
    const line = `${h.indent}${h.lhs} ${inlineToml(getIn(want, h.key))}${h.comment}`;
    lines.splice(h.line, h.end - h.line + 1, line);
  } else {
    insertKey(lines, s.tables, path, value);
  }
  const out = lines.join(eol);
  try {
    return isDeepStrictEqual(plain(parseToml(out)), plain(want)) ? out : null;
  } catch {
    return null;
  }
}

/** Add `path = value` under the deepest existing table that holds it, else a new table. */
function insertKey(
  lines: string[],
  tables: Scan["tables"],
  path: string[],
  value: unknown,
): void {
  for (let n = path.length - 1; n >= 1; n--) {
    const t = tables.get(path.slice(0, n).join("\0"));
    if (!t) continue;
    const key = path.slice(n).map(tomlKey).join(".");
    lines.splice(t.last + 1, 0, `${key} = ${inlineToml(value)}`);
    return;
  }
  while (lines.length && lines.at(-1)!.trim() === "") lines.pop();
  const table = path.slice(0, -1).map(tomlKey).join(".");
  const entry = `${tomlKey(path.at(-1)!)} = ${inlineToml(value)}`;
  if (!table) {
    // A top-level key goes before the first table.
    const first = lines.findIndex((l) => TABLE_LINE.test(l) || ARRAY_TABLE_LINE.test(l));
    lines.splice(first < 0 ? lines.length : first, 0, entry);
  } else lines.push(...(lines.length ? [""] : []), `[${table}]`, entry);
  lines.push("");
}
