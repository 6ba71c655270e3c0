/**
 * Additive fields: members that a newer producer added to a passport or history entry, or to
 * the document's top level, and that the v1alpha1 structs do not know. The LTS policy says a
 * reader ignores them; memoryOSS's reference normalizers (Python, TypeScript) keep them, since
 * they print the received object, and so do we.
 *
 * An import stores them with each memory, in the metadata key {@link ADDITIVE_KEY}, as compact
 * JSON text so number lexemes (`1.0`), key order and strings survive exactly. An export writes
 * them back: entry fields at the end of their entry (inside the integrity hash, which is
 * computed afterwards), document fields at the top level (outside the hash, first memory wins).
 *
 * @module
 */
import type { MemoryRecord } from "../store/mod.ts";
import { compactReceived } from "./canonical.ts";
import { type HashedKind, HISTORY_HASH_FIELDS, PASSPORT_HASH_FIELDS } from "./integrity.ts";
import { isJsonObject, type JsonObject, type JsonValue, tryParseJson } from "./json.ts";
import { HISTORY_VERSION, PassportEntry } from "./schemas.ts";

/** Top-level additive field carrying record fields a PassportEntry has no place for. */
export const EXTRAS_FIELD = "x_memoryoss";

/** Metadata key holding a memory's additive fields (reserved: written by imports only). */
export const ADDITIVE_KEY = "portable_additive";

/**
 * What a memory keeps of its source document: its entry's unknown members and the unknown
 * top-level members of the passport or history it came from, each as compact JSON object text.
 */
export interface AdditiveFields {
  entry?: string;
  passport?: string;
  history?: string;
}

const ENTRY_KNOWN: ReadonlySet<string> = new Set(Object.keys(PassportEntry.shape));
const TOP_KNOWN: Record<HashedKind, ReadonlySet<string>> = {
  passport: new Set([...PASSPORT_HASH_FIELDS, "integrity", EXTRAS_FIELD]),
  history: new Set([...HISTORY_HASH_FIELDS, "integrity", EXTRAS_FIELD]),
};

/** The members of `obj` not in `known`, in received order, as compact text (or undefined). */
function unknownText(obj: JsonObject, known: ReadonlySet<string>): string | undefined {
  const out: JsonObject = new Map([...obj].filter(([k]) => !known.has(k)));
  return out.size ? compactReceived(out) : undefined;
}

/**
 * The additive fields of a passport or history tree, keyed by lowercase memory id. Only
 * memories with something to keep are listed.
 *
 * @example
 * ```ts
 * readAdditive(parseJson(text)).get(id)?.entry; // '{"x_additive":{"score":1.0}}'
 * ```
 */
export function readAdditive(tree: JsonValue): Map<string, AdditiveFields> {
  const out = new Map<string, AdditiveFields>();
  if (!isJsonObject(tree)) return out;
  const kind: HashedKind = tree.get("bundle_version") === HISTORY_VERSION ? "history" : "passport";
  const top = unknownText(tree, TOP_KNOWN[kind]);
  const memories = tree.get("memories");
  if (!Array.isArray(memories)) return out;
  for (const m of memories) {
    const id = isJsonObject(m) ? m.get("id") : undefined;
    if (!isJsonObject(m) || typeof id !== "string") continue;
    const entry = unknownText(m, ENTRY_KNOWN);
    if (entry === undefined && top === undefined) continue;
    out.set(id.toLowerCase(), {
      ...(entry === undefined ? {} : { entry }),
      ...(top === undefined ? {} : { [kind]: top }),
    });
  }
  return out;
}

/**
 * The additive block of a record's metadata, or undefined when there is none (or it is not
 * one we wrote: anything but strings is ignored).
 *
 * @example
 * ```ts
 * storedAdditive(record.metadata)?.entry;
 * ```
 */
export function storedAdditive(metadata: Record<string, unknown>): AdditiveFields | undefined {
  const v = metadata[ADDITIVE_KEY];
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: AdditiveFields = {};
  for (const k of ["entry", "passport", "history"] as const) {
    const text = (v as Record<string, unknown>)[k];
    if (typeof text === "string") out[k] = text;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Metadata without the additive block (what travels in {@link EXTRAS_FIELD}).
 *
 * @example
 * ```ts
 * withoutAdditive({ a: 1, portable_additive: {} }); // { a: 1 }
 * ```
 */
export function withoutAdditive(metadata: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(metadata, ADDITIVE_KEY)) return metadata;
  const { [ADDITIVE_KEY]: _, ...rest } = metadata;
  return rest;
}

/** The stored members of `text` (a JSON object) that are not `known`, or none. */
function storedMembers(
  text: string | undefined,
  known: ReadonlySet<string>,
): [string, JsonValue][] {
  if (text === undefined) return [];
  const r = tryParseJson(text);
  if (!r.ok || !isJsonObject(r.value)) return [];
  return [...r.value].filter(([k]) => !known.has(k));
}

/**
 * Writes the records' stored additive fields back into a passport or history tree built from
 * them: entry fields after the struct fields of their entry (matched by id, never replacing a
 * known field), then the document's fields at the top level (first memory in the tree wins a
 * name). Call it before computing the integrity hash.
 *
 * @example
 * ```ts
 * attachAdditive(tree, chosen, "passport");
 * tree.get("integrity").set("payload_sha256", payloadSha256("passport", tree));
 * ```
 */
export function attachAdditive(
  tree: JsonObject,
  records: readonly MemoryRecord[],
  kind: HashedKind,
): void {
  const byId = new Map(records.map((r) => [r.id.toLowerCase(), storedAdditive(r.metadata)]));
  const memories = tree.get("memories");
  if (!Array.isArray(memories)) return;
  const top: JsonObject = new Map();
  for (const m of memories) {
    const id = isJsonObject(m) ? m.get("id") : undefined;
    const stored = typeof id === "string" ? byId.get(id.toLowerCase()) : undefined;
    if (!isJsonObject(m) || !stored) continue;
    for (const [k, v] of storedMembers(stored.entry, ENTRY_KNOWN)) if (!m.has(k)) m.set(k, v);
    for (const [k, v] of storedMembers(stored[kind], TOP_KNOWN[kind])) {
      if (!top.has(k)) top.set(k, v);
    }
  }
  for (const [k, v] of top) if (!tree.has(k)) tree.set(k, v);
}
