/**
 * Turns an `Authorization: Bearer …` value into a {@link Principal}: tried as an HS256 JWT
 * first, then as a raw API key (the `api_keys` table, then the config's `[[auth.api_keys]]`).
 * Tokens stay tied to their issuing key: revoking the key (or its expiry after rotation) ends
 * its tokens too.
 */
import { MemoryossError } from "../errors/mod.ts";
import type { Store } from "../store/mod.ts";
import { type ApiKeyInfo, findApiKey, getApiKey } from "./keys.ts";
import { StaticKeys, type StaticKeySpec } from "./static_keys.ts";
import { sha256 } from "../crypto/mod.ts";
import { importJwtKey, JWT_AUDIENCE, JWT_ISSUER, looksLikeJwt, signJwt, verifyJwt } from "./jwt.ts";
import {
  defaultNamespace,
  isSubScope,
  type Principal,
  type Role,
  roleAllows,
  ROLES,
  type Scope,
} from "./roles.ts";

/** Options for {@link Authenticator}. */
export interface AuthenticatorOptions {
  now?: () => Date;
  /** Lifetime of tokens from `/v1/auth/token` (default 3600 s). */
  tokenTtlSecs?: number;
  /** Called (at most once a minute per key) when a key from the table authenticates. */
  onKeyUsed?: (keyId: string) => void;
  /** Keys from the config (`[[auth.api_keys]]`); the table wins for the same key. */
  staticKeys?: readonly StaticKeySpec[];
}

/** A signed token and what it grants. */
export interface IssuedToken {
  token: string;
  token_type: "Bearer";
  expires_in: number;
  expires_at: string;
  role: Role;
  namespace: string;
  namespaces: Scope;
}

const unauthorized = (m: string) => new MemoryossError("UNAUTHORIZED", m);

/** Verifies credentials against the `api_keys` table and the JWT secret. */
export class Authenticator {
  readonly #store: Store;
  readonly #key: CryptoKey;
  readonly #now: () => Date;
  readonly #ttl: number;
  readonly #onKeyUsed?: (keyId: string) => void;
  readonly #touched = new Map<string, number>();
  readonly #static: StaticKeys;

  private constructor(
    store: Store,
    key: CryptoKey,
    statics: StaticKeys,
    opts: AuthenticatorOptions,
  ) {
    this.#store = store;
    this.#key = key;
    this.#static = statics;
    this.#now = opts.now ?? (() => new Date());
    this.#ttl = opts.tokenTtlSecs ?? 3600;
    this.#onKeyUsed = opts.onKeyUsed;
  }

  /** Build one from the store and a ≥ 32-byte secret. */
  static async create(
    store: Store,
    secret: Uint8Array,
    opts: AuthenticatorOptions = {},
  ): Promise<Authenticator> {
    const statics = await StaticKeys.from(opts.staticKeys ?? []);
    return new Authenticator(store, await importJwtKey(secret), statics, opts);
  }

  /**
   * The principal for an Authorization header value.
   *
   * @example
   * ```ts
   * const p = await auth.authenticate(req.headers.get("authorization"));
   * ```
   */
  async authenticate(header: string | null | undefined): Promise<Principal> {
    if (!header) {
      throw unauthorized("missing credentials: send 'Authorization: Bearer <api key or token>'");
    }
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!m) throw unauthorized("malformed Authorization header: expected 'Bearer <credential>'");
    const cred = m[1];
    if (looksLikeJwt(cred)) return await this.#fromJwt(cred);
    const key = await this.#findKey(cred);
    if (!key) throw unauthorized("invalid API key or token");
    this.#live(key);
    return {
      sub: key.key_id,
      key_id: key.key_id,
      role: key.role,
      namespaces: key.namespaces,
      via: "api_key",
    };
  }

  /** Exchange a raw API key for a token (`POST /v1/auth/token`). */
  async tokenForKey(rawKey: string, ttlSecs?: number): Promise<IssuedToken> {
    const key = await this.#findKey(rawKey);
    if (!key) throw unauthorized("invalid API key");
    this.#live(key);
    return await this.#issue({
      sub: key.key_id,
      kid: key.key_id,
      role: key.role,
      namespaces: key.namespaces,
      ttl: ttlSecs ?? this.#ttl,
      keyExpiresAt: key.expires_at,
    });
  }

  /**
   * Mint a token for a narrower role and scope (`POST /v1/admin/tokens`). The role may not
   * exceed the caller's and the namespaces must lie inside the caller's.
   */
  async mintToken(
    caller: Principal,
    req: { role: Role; namespaces: Scope; ttlSecs: number },
  ): Promise<IssuedToken & { sub: string }> {
    if (!roleAllows(caller.role, req.role)) {
      throw new MemoryossError("FORBIDDEN", `cannot mint a ${req.role} token as ${caller.role}`, [
        "role",
      ]);
    }
    if (!isSubScope(req.namespaces, caller.namespaces)) {
      throw new MemoryossError(
        "FORBIDDEN_NAMESPACE",
        "cannot access namespace outside your scope",
        ["namespaces"],
      );
    }
    const parent = this.#keyById(caller.key_id);
    const sub = `scoped:${defaultNamespace({ namespaces: req.namespaces })}`;
    const t = await this.#issue({
      sub,
      kid: caller.key_id,
      role: req.role,
      namespaces: req.namespaces,
      ttl: req.ttlSecs,
      keyExpiresAt: parent?.expires_at ?? null,
      capAt: caller.exp,
    });
    return { ...t, sub };
  }

  async #issue(
    p: {
      sub: string;
      kid: string;
      role: Role;
      namespaces: Scope;
      ttl: number;
      keyExpiresAt: string | null;
      capAt?: number;
    },
  ): Promise<IssuedToken> {
    const now = Math.floor(this.#now().getTime() / 1000);
    let exp = now + p.ttl;
    // A token never outlives the key (or token) it came from.
    if (p.keyExpiresAt) exp = Math.min(exp, Math.floor(Date.parse(p.keyExpiresAt) / 1000));
    if (p.capAt) exp = Math.min(exp, p.capAt);
    const namespace = defaultNamespace({ namespaces: p.namespaces });
    const token = await signJwt(this.#key, {
      sub: p.sub,
      role: p.role,
      namespace,
      namespaces: p.namespaces,
      kid: p.kid,
      iat: now,
      exp,
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      jti: crypto.randomUUID(),
    });
    return {
      token,
      token_type: "Bearer",
      expires_in: exp - now,
      expires_at: new Date(exp * 1000).toISOString(),
      role: p.role,
      namespace,
      namespaces: p.namespaces,
    };
  }

  async #fromJwt(token: string): Promise<Principal> {
    const now = this.#now();
    const c = await verifyJwt(this.#key, token, Math.floor(now.getTime() / 1000));
    const role = c.role as Role;
    const ns = c.namespaces ?? (typeof c.namespace === "string" ? [c.namespace] : undefined);
    const namespaces: Scope | null = ns === "*"
      ? "*"
      : Array.isArray(ns) && ns.length > 0 && ns.every((x) => typeof x === "string")
      ? ns as string[]
      : null;
    if (
      typeof c.sub !== "string" || typeof c.kid !== "string" || !ROLES.includes(role) ||
      !namespaces
    ) {
      throw unauthorized("malformed token claims");
    }
    const key = this.#keyById(c.kid);
    if (!key) throw unauthorized("token's API key no longer exists");
    this.#live(key);
    if (!roleAllows(key.role, role) || !isSubScope(namespaces, key.namespaces)) {
      throw unauthorized("token exceeds its API key's rights");
    }
    return {
      sub: c.sub,
      key_id: key.key_id,
      role,
      namespaces,
      via: "jwt",
      exp: c.exp as number,
    };
  }

  /** A raw key: the table first (and noted as used), else the config's keys. */
  async #findKey(raw: string): Promise<ApiKeyInfo | null> {
    const key = await findApiKey(this.#store, raw, this.#now());
    if (key) {
      if (key.state !== "expired") this.#touch(key.key_id);
      return key;
    }
    return this.#static.size ? this.#static.find(await sha256(raw)) : null;
  }

  #keyById(keyId: string): ApiKeyInfo | null {
    return getApiKey(this.#store, keyId, this.#now()) ?? this.#static.byId(keyId);
  }

  #live(key: ApiKeyInfo): void {
    if (key.state === "revoked") throw unauthorized("API key revoked");
    if (key.state === "expired") throw unauthorized("API key expired");
  }

  #touch(keyId: string): void {
    if (!this.#onKeyUsed) return;
    const t = this.#now().getTime();
    if (t - (this.#touched.get(keyId) ?? 0) < 60_000) return;
    this.#touched.set(keyId, t);
    this.#onKeyUsed(keyId);
  }
}
