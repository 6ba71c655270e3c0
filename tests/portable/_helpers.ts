/**
 * Shared test helpers for the portable-format tests: fixture access, leaf paths, a PRNG and the
 * seeded mutations of the fuzz tests.
 */
import {
  cloneJson,
  isJsonObject,
  isLosslessNumber,
  type JsonPath,
  type JsonValue,
  LosslessNumber,
  parseJson,
  prettyJson,
} from "../../lib/portable/mod.ts";

/** The repo copy of the published conformance kit (byte-identical to /work/shared). */
export const CONFORMANCE = new URL("../../conformance/", import.meta.url);

/** Reads a file under `conformance/`. */
export function readConformance(rel: string): string {
  return Deno.readTextFileSync(new URL(rel, CONFORMANCE));
}

/** The three published fixtures with the kind each is read as. */
export const FIXTURES = [
  { file: "fixtures/passport-bundle.json", kind: "passport" },
  { file: "fixtures/history-bundle.json", kind: "history" },
  { file: "fixtures/runtime-contract.json", kind: "runtime_contract" },
] as const;

/** Every leaf (string, number, boolean, null, empty container) path of a tree. */
export function leafPaths(v: JsonValue, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(v)) {
    return v.length ? v.flatMap((x, i) => leafPaths(x, [...at, i])) : [at];
  }
  if (isJsonObject(v)) {
    return v.size ? [...v].flatMap(([k, x]) => leafPaths(x, [...at, k])) : [at];
  }
  return [at];
}

/** Every node path (containers included), root excluded. */
export function nodePaths(v: JsonValue, at: JsonPath = []): JsonPath[] {
  const here = at.length ? [at] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => nodePaths(x, [...at, i]))];
  if (isJsonObject(v)) return [...here, ...[...v].flatMap(([k, x]) => nodePaths(x, [...at, k]))];
  return here;
}

/** Replaces the node at `path` (in place) and returns the root. */
export function setPath(root: JsonValue, path: JsonPath, value: JsonValue): JsonValue {
  const parent = path.slice(0, -1).reduce<JsonValue>((cur, step) => {
    if (Array.isArray(cur)) return cur[step as number];
    return (cur as Map<string, JsonValue>).get(step as string)!;
  }, root);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent[last as number] = value;
  else (parent as Map<string, JsonValue>).set(last as string, value);
  return root;
}

/** Removes the node at `path` (object key or array element) in place. */
export function deletePath(root: JsonValue, path: JsonPath): void {
  const parent = path.slice(0, -1).reduce<JsonValue>((cur, step) => {
    if (Array.isArray(cur)) return cur[step as number];
    return (cur as Map<string, JsonValue>).get(step as string)!;
  }, root);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else (parent as Map<string, JsonValue>).delete(last as string);
}

/**
 * A one-byte change to a leaf's serialised value: one ASCII character of a string swapped for
 * another, the last digit of a number changed; booleans toggle and nulls become "x" (no
 * one-byte edit of those keeps the JSON valid).
 */
export function mutateLeaf(v: JsonValue): JsonValue {
  if (typeof v === "string") {
    const chars = [...v];
    if (chars.length === 0) return "x";
    let i = Math.floor(chars.length / 2);
    while (i < chars.length && chars[i].charCodeAt(0) > 0x7e) i++;
    if (i === chars.length) i = chars.findIndex((c) => c.charCodeAt(0) <= 0x7e);
    if (i < 0) return v + "x";
    const c = chars[i];
    chars[i] = c === "a"
      ? "b"
      : c === "0"
      ? "1"
      : c === "9"
      ? "8"
      : /[A-Za-z0-9]/.test(c)
      ? String.fromCharCode(c.charCodeAt(0) - 1)
      : c === "x"
      ? "y"
      : "x";
    return chars.join("");
  }
  if (isLosslessNumber(v)) {
    const s = v.value;
    const d = Number(s[s.length - 1]);
    return new LosslessNumber(s.slice(0, -1) + String((d + 1) % 10));
  }
  if (typeof v === "boolean") return !v;
  if (v === null) return "x";
  return v; // empty containers are handled by callers
}

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Same path, compared element-wise. */
export function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The mutations the fuzz tests draw from. */
export type Mutation = "byte_flip" | "truncate" | "field_delete" | "type_swap";
export const MUTATIONS: Mutation[] = ["byte_flip", "truncate", "field_delete", "type_swap"];

/** One value of each JSON type; a swap picks one whose type differs from the original. */
const SWAPS: JsonValue[] = [
  null,
  true,
  new LosslessNumber("1.0"),
  "x",
  [],
  new Map(),
  [new LosslessNumber("-0")],
  new Map([["k", "v"]]),
];
const typeOf = (v: JsonValue) =>
  v === null ? "null" : Array.isArray(v) ? "array" : v instanceof Map ? "object" : typeof v;

/**
 * One seeded mutation of an artifact's text: 1-3 bit flips, a truncation, a deleted node, or a
 * node replaced by a value of another type (tree mutations come back as a tree or its text).
 */
export function mutate(
  text: string,
  m: Mutation,
  rand: () => number,
): string | Uint8Array | JsonValue {
  const pick = (n: number) => Math.floor(rand() * n);
  switch (m) {
    case "byte_flip": {
      const bytes = new TextEncoder().encode(text);
      for (let i = 1 + pick(3); i > 0; i--) bytes[pick(bytes.length)] ^= 1 << pick(8);
      return bytes;
    }
    case "truncate":
      return text.slice(0, pick(text.length));
    case "field_delete": {
      const tree = parseJson(text);
      const paths = nodePaths(tree);
      deletePath(tree, paths[pick(paths.length)]);
      return rand() < 0.5 ? tree : prettyJson(tree);
    }
    case "type_swap": {
      const tree = parseJson(text);
      const paths = nodePaths(tree);
      const path = paths[pick(paths.length)];
      let old: JsonValue = tree;
      for (const step of path) {
        old = Array.isArray(old)
          ? old[step as number]
          : (old as Map<string, JsonValue>).get(step as string)!;
      }
      const choices = SWAPS.filter((v) => typeOf(v) !== typeOf(old));
      setPath(tree, path, cloneJson(choices[pick(choices.length)]));
      return tree;
    }
  }
}
