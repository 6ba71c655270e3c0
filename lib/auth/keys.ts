/**
 * API keys: random `ek_…` secrets of which only the SHA-256 digest is stored (table
 * `api_keys`). A presented key is hashed and compared against every live digest in constant
 * time. `key_id` is the first 8 bytes of the digest in hex (memoryOSS provenance format).
 */
import { base64url } from "jose";
import { MemoryossError } from "../errors/mod.ts";
import {
  type ApiKeyRow,
  apiKeyRow,
  apiKeyRows,
  countLiveApiKeys,
  insertApiKey,
  markApiKeyRevoked,
  markApiKeyRotated,
  markApiKeyUsed,
  type Store,
  unrevokedApiKeyRows,
} from "../store/mod.ts";
import { constantTimeEqual, fromHex, sha256, toHex } from "../crypto/mod.ts";
import { isSubScope, type Role, ROLES, type Scope } from "./roles.ts";

/** A key as listed (never the secret or its digest). */
export interface ApiKeyInfo {
  key_id: string;
  role: Role;
  namespaces: Scope;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  /** Set when the key was rotated: the id of its replacement. */
  rotated_to: string | null;
  last_used_at: string | null;
  /** active, retired (rotated, still valid until expires_at), expired or revoked. */
  state: "active" | "retired" | "expired" | "revoked";
}

function info(row: ApiKeyRow, now: Date): ApiKeyInfo {
  const expired = row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime();
  return {
    key_id: row.key_id,
    role: row.role as Role,
    namespaces: JSON.parse(row.namespaces) as Scope,
    label: row.label,
    created_at: row.created_at,
    expires_at: row.expires_at,
    revoked_at: row.revoked_at,
    rotated_to: row.rotated_to,
    last_used_at: row.last_used_at,
    state: row.revoked_at ? "revoked" : expired ? "expired" : row.rotated_to ? "retired" : "active",
  };
}

/** A new random key: `ek_` + 43 base64url characters (256 bits). */
export function generateApiKey(): string {
  return `ek_${base64url.encode(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** `hex(sha256(key))[0..16]`: the public id of a key. */
export async function keyIdFor(raw: string): Promise<string> {
  return toHex(await sha256(raw)).slice(0, 16);
}

/** What to create. */
export interface NewKey {
  role: Role;
  namespaces: Scope;
  label?: string | null;
  expires_at?: string | null;
}

/**
 * Create a key; returns the secret (shown once) and its listing.
 *
 * @example
 * ```ts
 * const { key } = await createApiKey(rt.store, { role: "reader", namespaces: ["team-a"] });
 * ```
 */
export async function createApiKey(
  store: Store,
  k: NewKey,
  now: Date = new Date(),
  onlyIfNone = false,
): Promise<{ key: string; info: ApiKeyInfo } | null> {
  if (!ROLES.includes(k.role)) throw new MemoryossError("INVALID_INPUT", `unknown role ${k.role}`);
  if (k.namespaces !== "*" && k.namespaces.length === 0) {
    throw new MemoryossError("INVALID_INPUT", "a key needs at least one namespace", [
      "namespaces",
    ]);
  }
  const key = generateApiKey();
  const digest = toHex(await sha256(key));
  const row: ApiKeyRow = {
    key_id: digest.slice(0, 16),
    hash: digest,
    role: k.role,
    namespaces: JSON.stringify(k.namespaces === "*" ? "*" : [...new Set(k.namespaces)]),
    label: k.label ?? null,
    created_at: now.toISOString(),
    expires_at: k.expires_at ?? null,
    revoked_at: null,
    rotated_to: null,
    last_used_at: null,
  };
  return insertApiKey(store, row, onlyIfNone) ? { key, info: info(row, now) } : null;
}

/** Number of keys ever created and not revoked. */
export function countKeys(store: Store): number {
  return countLiveApiKeys(store);
}

/** One key by id, or null. */
export function getApiKey(store: Store, keyId: string, now: Date = new Date()): ApiKeyInfo | null {
  const row = apiKeyRow(store, keyId);
  return row ? info(row, now) : null;
}

/** Keys whose namespaces lie inside `scope` (all keys for `"*"`), newest first. */
export function listApiKeys(
  store: Store,
  scope: Scope = "*",
  now: Date = new Date(),
): ApiKeyInfo[] {
  const rows = apiKeyRows(store);
  return rows.map((r) => info(r, now)).filter((k) => isSubScope(k.namespaces, scope));
}

/**
 * The live key matching `raw`, or null. Every live digest is compared, in constant time, so
 * the time taken does not depend on which key (if any) matched.
 */
export async function findApiKey(
  store: Store,
  raw: string,
  now: Date = new Date(),
): Promise<ApiKeyInfo | null> {
  const digest = await sha256(raw);
  const rows = unrevokedApiKeyRows(store);
  let found: ApiKeyRow | null = null;
  for (const r of rows) {
    if (constantTimeEqual(fromHex(r.hash) ?? "", digest) && !found) found = r;
  }
  if (!found) return null;
  return info(found, now);
}

/** Revoke a key; returns false when there is no such key. */
export function revokeApiKey(store: Store, keyId: string, now: Date = new Date()): boolean {
  return markApiKeyRevoked(store, keyId, now.toISOString());
}

/** Options for {@link revokeKey}. */
export interface RevokeKeyOptions {
  /** Revoke even the last owner key (the CLI's `--force`; never offered over HTTP). */
  force?: boolean;
  now?: Date;
}

/**
 * THE revoke rule of every door (CLI `keys revoke`, `DELETE /v1/admin/keys/:id`): NOT_FOUND
 * for an unknown id, CONFLICT for a key already revoked, and CONFLICT for the last active
 * owner key (admin on every namespace) unless `force`, so nobody locks themselves out.
 *
 * @example
 * ```ts
 * revokeKey(store, "k_123"); // throws CONFLICT when k_123 is the last owner key
 * ```
 */
export function revokeKey(store: Store, keyId: string, o: RevokeKeyOptions = {}): void {
  const now = o.now ?? new Date();
  store.transaction(() => {
    const k = getApiKey(store, keyId, now);
    if (!k) throw new MemoryossError("NOT_FOUND", `no API key ${keyId}`, ["key_id"]);
    if (k.state === "revoked") {
      throw new MemoryossError("CONFLICT", `API key ${keyId} is already revoked`, ["key_id"]);
    }
    const owners = listApiKeys(store, "*", now).filter((x) =>
      x.role === "admin" && x.namespaces === "*" && x.state === "active"
    );
    if (!o.force && owners.length === 1 && owners[0].key_id === keyId) {
      throw new MemoryossError(
        "CONFLICT",
        "refusing to revoke the last owner key (admin on every namespace); create another " +
          "admin key first (memoryoss keys create --role admin), or pass --force on the CLI",
        ["key_id"],
      );
    }
    revokeApiKey(store, keyId, now);
  });
}

/**
 * Replace a key by a new one with the same role, namespaces and label. The old key keeps
 * working for `graceSecs` (0 = stops now), then expires.
 */
export async function rotateApiKey(
  store: Store,
  keyId: string,
  graceSecs: number,
  now: Date = new Date(),
): Promise<{ key: string; info: ApiKeyInfo; previous: ApiKeyInfo }> {
  const old = getApiKey(store, keyId, now);
  if (!old || old.state === "revoked" || old.state === "expired") {
    throw new MemoryossError("NOT_FOUND", `no live API key ${keyId}`, ["key_id"]);
  }
  if (old.rotated_to) {
    throw new MemoryossError(
      "CONFLICT",
      `API key ${keyId} was already rotated to ${old.rotated_to}`,
      ["key_id"],
    );
  }
  const graceEnd = new Date(now.getTime() + graceSecs * 1000).toISOString();
  const expires = old.expires_at && old.expires_at < graceEnd ? old.expires_at : graceEnd;
  const made = (await createApiKey(store, {
    role: old.role,
    namespaces: old.namespaces,
    label: old.label,
    expires_at: old.expires_at,
  }, now))!;
  markApiKeyRotated(store, keyId, made.info.key_id, expires);
  return { key: made.key, info: made.info, previous: getApiKey(store, keyId, now)! };
}

/** Record that a key was used (callers throttle this). */
export function touchApiKey(store: Store, keyId: string, now: Date = new Date()): void {
  markApiKeyUsed(store, keyId, now.toISOString());
}
