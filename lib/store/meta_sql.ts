/**
 * The `meta` table: small named values the store keeps beside the memories (the last drain
 * run, the embedder swap mark, the imported memories still waiting for graph links).
 */
import type { Store } from "./store.ts";

/** The value stored under `key`, or undefined when there is none. */
export function metaValue(store: Store, key: string): string | undefined {
  const row = store.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
    | { value: string }
    | undefined;
  return row?.value;
}

/** Store `value` under `key`, replacing what was there. */
export function setMetaValue(store: Store, key: string, value: string): void {
  store.prepare(
    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(key, value);
}

/** Forget the value under `key` (nothing when there is none). */
export function deleteMetaValue(store: Store, key: string): void {
  store.prepare("DELETE FROM meta WHERE key = ?").run(key);
}
