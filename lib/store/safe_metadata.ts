/**
 * Reading a row's `metadata` safely. Inputs are limited at the door (lib/memory input checks),
 * but a home written before those limits may hold metadata nested thousands of levels deep:
 * one such row made every list, recall and export of its namespace fail ("Maximum call stack
 * size exceeded" when the answer is serialised). Such metadata, or metadata that is not a JSON
 * object at all, is shown as a marker object with a warning on stderr, and the stored text is
 * written back unchanged if the record is rewritten (a merge, a status change), so nothing is
 * lost.
 */

/**
 * Deepest nesting accepted when reading stored metadata. Far above the input limit (64), far
 * below what `JSON.stringify` and the recursive walkers downstream can handle.
 */
export const MAX_STORED_METADATA_DEPTH = 256;

/** The single key of the marker that stands in for metadata that cannot be shown. */
export const UNREADABLE_METADATA_KEY = "memoryoss_unreadable_metadata";

/** Marker objects → the stored text they stand for (written back as is). */
const STORED_TEXT = new WeakMap<object, string>();
/** Ids already warned about in this process (one warning per memory, not per read). */
const warned = new Set<string>();

/**
 * The path to the first value nested deeper than `max` levels (an object or array is one
 * level; scalars add none), or null when `value` stays within `max`. Iterative, so any depth
 * can be measured.
 *
 * @example
 * ```ts
 * deepestPath({ a: { b: {} } }, 2); // ["a", "b"]
 * deepestPath({ a: 1 }, 2); // null
 * ```
 */
export function deepestPath(value: unknown, max: number): (string | number)[] | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (path.length + 1 > max) return path;
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : Object.entries(v);
    for (const [k, x] of entries) {
      if (x !== null && typeof x === "object") stack.push({ v: x, path: [...path, k] });
    }
  }
  return null;
}

function marker(id: string, text: string, why: string): Record<string, unknown> {
  if (!warned.has(id)) {
    if (warned.size < 10_000) warned.add(id);
    console.warn(
      `memoryoss: warning: memory ${id}: metadata ${why}; shown as a marker, kept unchanged in the store`,
    );
  }
  const m = { [UNREADABLE_METADATA_KEY]: `metadata ${why}; kept unchanged in the store` };
  STORED_TEXT.set(m, text);
  return m;
}

/**
 * A row's metadata from its stored JSON text: the object, or a marker (with a warning) when
 * the text is not a JSON object or nests deeper than {@link MAX_STORED_METADATA_DEPTH}.
 */
export function readMetadata(id: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text); // V8 parses iteratively: any depth is safe here
  } catch {
    return marker(id, text, "is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return marker(id, text, "is not a JSON object");
  }
  if (deepestPath(value, MAX_STORED_METADATA_DEPTH)) {
    return marker(id, text, `is nested deeper than ${MAX_STORED_METADATA_DEPTH} levels`);
  }
  return value as Record<string, unknown>;
}

/** True when `metadata` is a marker standing for stored metadata that cannot be shown. */
export function isUnreadableMetadata(metadata: unknown): boolean {
  return typeof metadata === "object" && metadata !== null && STORED_TEXT.has(metadata);
}

/** The JSON text to store for a record's metadata: a marker's original text, else its JSON. */
export function metadataText(metadata: Record<string, unknown>): string {
  return STORED_TEXT.get(metadata) ?? JSON.stringify(metadata);
}
