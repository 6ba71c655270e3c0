/**
 * The input checks every door applies (CLI, HTTP, MCP, import, passport import), so text is
 * valid or refused the same way everywhere: input bytes must be UTF-8, strings well-formed
 * Unicode (no lone surrogates such as `"\ud800"`), and JSON values stay within a depth and
 * size limit (one deeply nested metadata object once broke every read of its namespace).
 */
import { MemoryossError } from "../errors/mod.ts";
import { deepestPath } from "../store/safe_metadata.ts"; // a leaf: remember's start-up

/** Deepest nesting of a stored JSON value such as `metadata` (objects and arrays count). */
export const MAX_JSON_DEPTH = 64;
/** Deepest nesting of a whole document: a request body, a passport, an export file. */
export const MAX_DOCUMENT_DEPTH = 100;
/** Largest `metadata` object, as UTF-8 JSON text. */
export const MAX_METADATA_BYTES = 65536;

/** Why a string is refused. */
export const ILL_FORMED = "not well-formed Unicode (it holds a lone surrogate such as \\ud800)";

/** Limits for {@link checkJsonInput}. */
export interface JsonLimits {
  /** Default {@link MAX_JSON_DEPTH}. */
  maxDepth?: number;
  /** Largest JSON text in UTF-8 bytes; unlimited when absent. */
  maxBytes?: number;
  /** What to call the value when the problem is at its root (default "input"). */
  label?: string;
}

/** One problem in a JSON value; `path` is relative to the value. */
export interface InputProblem {
  message: string;
  path: (string | number)[];
}

/** A long path shortened for a one-line message: `a.b.c.….z`. */
function showPath(path: (string | number)[]): string {
  const cut = (p: string | number) => {
    const s = String(p);
    return s.length > 24 ? `${s.slice(0, 23)}…` : s;
  };
  const parts = path.length > 6 ? [...path.slice(0, 4).map(cut), "…", cut(path.at(-1)!)] : path
    .map(cut);
  return parts.join(".") || "the top";
}

/** The first ill-formed key or string in `value` (call only once its depth is bounded). */
function illFormed(value: unknown, path: (string | number)[]): InputProblem | null {
  if (typeof value === "string") return value.isWellFormed() ? null : { message: ILL_FORMED, path };
  if (value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (const [i, x] of value.entries()) {
      const bad = illFormed(x, [...path, i]);
      if (bad) return bad;
    }
    return null;
  }
  for (const [i, [k, x]] of Object.entries(value).entries()) {
    if (!k.isWellFormed()) return { message: `key #${i + 1} is ${ILL_FORMED}`, path };
    const bad = illFormed(x, [...path, k]);
    if (bad) return bad;
  }
  return null;
}

/**
 * The first problem in a JSON value, or null: nested deeper than `maxDepth`, a key or string
 * that is not well-formed Unicode, or JSON text over `maxBytes`.
 *
 * @example
 * ```ts
 * jsonInputProblem({ a: "\ud800" }); // { message: "not well-formed Unicode …", path: ["a"] }
 * ```
 */
export function jsonInputProblem(value: unknown, limits: JsonLimits = {}): InputProblem | null {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const deep = deepestPath(value, maxDepth);
  if (deep) {
    return {
      message: `nested deeper than ${maxDepth} levels (the JSON depth limit), at ${showPath(deep)}`,
      path: [],
    };
  }
  const bad = illFormed(value, []);
  if (bad) return bad;
  if (limits.maxBytes !== undefined) {
    const bytes = new TextEncoder().encode(JSON.stringify(value) ?? "").length;
    if (bytes > limits.maxBytes) {
      return {
        message: `${bytes} bytes as JSON, over the ${limits.maxBytes}-byte limit`,
        path: [],
      };
    }
  }
  return null;
}

/**
 * Throw INVALID_INPUT naming the path and the limit when `value` (found at `path` of the
 * input) fails {@link jsonInputProblem}.
 *
 * @example
 * ```ts
 * checkJsonInput(record.metadata, ["records", 3, "metadata"], { maxBytes: MAX_METADATA_BYTES });
 * checkJsonInput(document, [], { maxDepth: MAX_DOCUMENT_DEPTH, label: "passport" });
 * ```
 */
export function checkJsonInput(
  value: unknown,
  path: (string | number)[],
  limits: JsonLimits = {},
): void {
  const p = jsonInputProblem(value, limits);
  if (!p) return;
  const where = [...path, ...p.path];
  throw new MemoryossError(
    "INVALID_INPUT",
    `${where.join(".") || (limits.label ?? "input")}: ${p.message}`,
    where,
  );
}

/**
 * Throw INVALID_INPUT naming `path` when `text` is not well-formed Unicode.
 *
 * @example
 * ```ts
 * checkText("ok", ["content"]); // fine
 * ```
 */
export function checkText(text: string, path: (string | number)[]): void {
  if (text.isWellFormed()) return;
  throw new MemoryossError("INVALID_INPUT", `${path.join(".") || "text"}: ${ILL_FORMED}`, path);
}

const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Input bytes split into lines (at `\n`; a trailing `\r` stays), each decoded as strict UTF-8:
 * null for a line that is not valid UTF-8. A UTF-8 sequence never contains the byte `\n`, so
 * splitting first is safe.
 */
export function decodeUtf8Lines(bytes: Uint8Array): (string | null)[] {
  const out: (string | null)[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      out.push(strict.decode(bytes.subarray(start, i)));
    } catch {
      out.push(null);
    }
    start = i + 1;
  }
  return out;
}

/**
 * Decode input bytes (stdin, a file, a request body) as strict UTF-8, or throw INVALID_INPUT
 * naming `what` and the first bad line: invalid bytes are refused, never replaced by U+FFFD.
 *
 * @example
 * ```ts
 * const text = decodeUtf8(await Deno.readFile(path), path);
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const line = decodeUtf8Lines(bytes).indexOf(null) + 1;
    throw new MemoryossError(
      "INVALID_INPUT",
      `${what} is not valid UTF-8${line > 0 ? ` (line ${line})` : ""}`,
    );
  }
}
