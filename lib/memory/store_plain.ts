/**
 * `store`'s plain-input check: the CLI's shapes, vouched for without loading the input schema
 * (zod), so `memoryoss store` starts small (docs/benchmarks.md "Start-up"). What it does not
 * vouch for goes through `StoreInputSchema` (lib/memory's `storeMemory`), which accepts it or
 * names the problem; it never accepts what the schema refuses (tests/memory/store_plain_test.ts).
 *
 * @module
 */
import { CATEGORIES, MEMORY_TYPES } from "../store/record.ts"; // a leaf: start-up
import type { StoreInput } from "./schemas.ts";

/** What `NamespaceSchema` accepts (its length aside). */
const NAMESPACE = /^[\p{L}\p{N}_-]+$/u;
/** The fields the plain check knows, in the schema's order (its output's key order). */
const PLAIN_KEYS = [
  "content",
  "tags",
  "namespace",
  "agent",
  "session",
  "memory_type",
  "category",
  "created_at",
];
/** A well-formed string of at most `max` UTF-16 units. */
export const text = (v: unknown, max: number): v is string =>
  typeof v === "string" && v.length <= max && v.isWellFormed();
/** Whether `v` is one of `list`'s strings. */
export const oneOf = (list: readonly string[], v: unknown): boolean =>
  typeof v === "string" && list.includes(v);
/** Whether `v` is a namespace name `NamespaceSchema` accepts. */
export const plainNamespace = (v: unknown): boolean => text(v, 128) && NAMESPACE.test(v);
const isTimestamp = (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s);

/**
 * Whether the fields `store` and `remember` share (`content`, `tags`, `namespace`, `agent`,
 * `session`) are plainly valid in `r`; `has` says whether the caller counts a field as given.
 */
export function plainSharedFields(
  r: Record<string, unknown>,
  has: (k: string) => boolean,
): boolean {
  const { content, tags, namespace } = r;
  if (!text(content, Infinity) || content.trim().length === 0) return false;
  if (
    has("tags") &&
    !(Array.isArray(tags) && tags.length <= 50 &&
      tags.every((t) => text(t, 256) && t.length > 0))
  ) return false;
  if (has("namespace") && !plainNamespace(namespace)) return false;
  if (has("agent") && !text(r.agent, 256)) return false;
  if (has("session") && !text(r.session, 256)) return false;
  return true;
}

/**
 * `raw` as `StoreInputSchema` would return it when it is plainly valid: only `content`,
 * `tags`, `namespace`, `agent`, `session`, `memory_type`, `category` and `created_at`, each
 * well within the schema's rules (the shapes the CLI builds). Anything else (metadata, nulls,
 * a doubtful value) is null, and the caller validates with the schema.
 */
export function plainStoreInput(raw: unknown): StoreInput | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!PLAIN_KEYS.includes(k)) return null;
  const has = (k: string) => Object.hasOwn(r, k);
  const { tags, created_at } = r;
  if (!plainSharedFields(r, has)) return null;
  if (has("memory_type") && !oneOf(MEMORY_TYPES, r.memory_type)) return null;
  if (has("category") && !oneOf(CATEGORIES, r.category)) return null;
  if (has("created_at") && !(typeof created_at === "string" && isTimestamp(created_at))) {
    return null;
  }
  const out: Record<string, unknown> = {};
  for (const k of PLAIN_KEYS) {
    if (has(k)) out[k] = k === "tags" ? [...(tags as string[])] : r[k];
  }
  return out as StoreInput;
}
