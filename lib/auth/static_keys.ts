/**
 * API keys from the config's `[[auth.api_keys]]` (memoryOSS's static keys). They are held in
 * memory as SHA-256 digests only, never written or printed, and authenticate like keys from
 * the `api_keys` table: same id (`hex(sha256(key))[0..16]`), role and namespace scope. They
 * cannot be revoked or rotated over the API; remove them from the config instead.
 */
import { constantTimeEqual, sha256, toHex } from "../crypto/mod.ts";
import type { ApiKeyInfo } from "./keys.ts";
import type { Role } from "./roles.ts";

/** One `[[auth.api_keys]]` entry; `namespace = "*"` binds every namespace. */
export interface StaticKeySpec {
  key: string;
  role: Role;
  namespace: string;
}

interface Held {
  digest: Uint8Array;
  info: ApiKeyInfo;
}

/** The config's keys, looked up in constant time. */
export class StaticKeys {
  readonly #held: Held[];

  private constructor(held: Held[]) {
    this.#held = held;
  }

  /**
   * Digest the configured keys; the raw secrets are not kept.
   *
   * @example
   * ```ts
   * const keys = await StaticKeys.from([{ key: "ek_example-0001", role: "admin", namespace: "default" }]);
   * ```
   */
  static async from(specs: readonly StaticKeySpec[]): Promise<StaticKeys> {
    const held: Held[] = [];
    for (const s of specs) {
      const digest = await sha256(s.key);
      held.push({
        digest,
        info: {
          key_id: toHex(digest).slice(0, 16),
          role: s.role,
          namespaces: s.namespace === "*" ? "*" : [s.namespace],
          label: "config (auth.api_keys)",
          created_at: new Date(0).toISOString(),
          expires_at: null,
          revoked_at: null,
          rotated_to: null,
          last_used_at: null,
          state: "active",
        },
      });
    }
    return new StaticKeys(held);
  }

  /** The key whose SHA-256 is `digest`; every key is compared, so timing tells nothing. */
  find(digest: Uint8Array): ApiKeyInfo | null {
    let found: ApiKeyInfo | null = null;
    for (const h of this.#held) {
      if (constantTimeEqual(h.digest, digest) && !found) found = h.info;
    }
    return found;
  }

  /** The key with this id (a token's `kid`), or null. */
  byId(keyId: string): ApiKeyInfo | null {
    return this.#held.find((h) => h.info.key_id === keyId)?.info ?? null;
  }

  get size(): number {
    return this.#held.length;
  }
}
