/**
 * The `api_keys` table: one row per API key, holding the SHA-256 digest of the secret (never
 * the secret), its role and namespaces (JSON), and its life (created, expires, revoked,
 * rotated, last used). lib/auth owns what the rows mean; this file reads and writes them.
 */
import type { Store } from "./store.ts";

/** One stored key, as the table holds it. */
export interface ApiKeyRow {
  key_id: string;
  hash: string;
  role: string;
  /** JSON: `"*"` or an array of namespaces. */
  namespaces: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  rotated_to: string | null;
  last_used_at: string | null;
}

const COLS =
  "key_id, hash, role, namespaces, label, created_at, expires_at, revoked_at, rotated_to, last_used_at";

/** Number of keys ever created and not revoked. */
export function countLiveApiKeys(store: Store): number {
  return (store.db.prepare("SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL").get() as {
    n: number;
  }).n;
}

/**
 * Store a new key row; with `onlyIfNone`, only when no live key exists (checked in the same
 * transaction). Returns whether the row was written.
 */
export function insertApiKey(store: Store, row: ApiKeyRow, onlyIfNone = false): boolean {
  return store.transaction(() => {
    if (onlyIfNone && countLiveApiKeys(store) > 0) return false;
    store.db.prepare(
      `INSERT INTO api_keys (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.key_id,
      row.hash,
      row.role,
      row.namespaces,
      row.label,
      row.created_at,
      row.expires_at,
      row.revoked_at,
      row.rotated_to,
      row.last_used_at,
    );
    return true;
  });
}

/** One key's row by id, or undefined. */
export function apiKeyRow(store: Store, keyId: string): ApiKeyRow | undefined {
  return store.db.prepare(`SELECT ${COLS} FROM api_keys WHERE key_id = ?`).get(keyId) as
    | ApiKeyRow
    | undefined;
}

/** Every key's row, newest first. */
export function apiKeyRows(store: Store): ApiKeyRow[] {
  return store.db.prepare(`SELECT ${COLS} FROM api_keys ORDER BY created_at DESC, key_id`)
    .all() as unknown as ApiKeyRow[];
}

/** The rows of keys not revoked (expired ones included), in table order. */
export function unrevokedApiKeyRows(store: Store): ApiKeyRow[] {
  return store.db.prepare(`SELECT ${COLS} FROM api_keys WHERE revoked_at IS NULL`)
    .all() as unknown as ApiKeyRow[];
}

/** Mark a key revoked at `at`; false when there is no such key or it already was. */
export function markApiKeyRevoked(store: Store, keyId: string, at: string): boolean {
  return store.transaction(() => {
    const r = store.db.prepare(
      "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
    ).run(at, keyId);
    return Number(r.changes) > 0;
  });
}

/** Record a key's replacement and the new end of its life. */
export function markApiKeyRotated(
  store: Store,
  keyId: string,
  rotatedTo: string,
  expiresAt: string,
): void {
  store.transaction(() => {
    store.db.prepare("UPDATE api_keys SET rotated_to = ?, expires_at = ? WHERE key_id = ?").run(
      rotatedTo,
      expiresAt,
      keyId,
    );
  });
}

/** Record when a key was last used. */
export function markApiKeyUsed(store: Store, keyId: string, at: string): void {
  store.transaction(() => {
    store.db.prepare("UPDATE api_keys SET last_used_at = ? WHERE key_id = ?").run(at, keyId);
  });
}
