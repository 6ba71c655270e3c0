/**
 * Roles and namespace scopes (memoryOSS §2.1): `reader` reads, `writer` also stores, updates
 * and gives feedback, `admin` also forgets, consolidates and uses `/v1/admin/*`. Every key and
 * token is bound to namespaces (`"*"` = all, for the owner's bootstrap key) and every request
 * is confined to them.
 */
import { MemoryossError } from "../errors/mod.ts";

export const ROLES = ["reader", "writer", "admin"] as const;
export type Role = typeof ROLES[number];

/** `"*"` or the namespaces a principal is bound to (never empty). */
export type Scope = "*" | readonly string[];

/** An authenticated caller. */
export interface Principal {
  /** memoryOSS `sub`: the key id for API keys, the token's subject for JWTs. */
  sub: string;
  /** The API key behind the request (a JWT's issuing key). */
  key_id: string;
  role: Role;
  namespaces: Scope;
  via: "api_key" | "jwt";
  /** Token expiry (seconds since epoch) for JWTs. */
  exp?: number;
  /** For keys on every namespace: where requests naming none go (set by the server). */
  default_namespace?: string;
  /**
   * Namespaces shared with one of this principal's namespaces (`lib/sharing`, set by the
   * server): readable through {@link resolveReadNamespace}, never writable.
   */
  shared?: readonly string[];
}

const RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

/** True when `have` includes everything `need` may do. */
export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/** Throw FORBIDDEN unless `p` has at least `need`. */
export function requireRole(p: Principal, need: Role): void {
  if (!roleAllows(p.role, need)) {
    throw new MemoryossError(
      "FORBIDDEN",
      `this needs the ${need} role; your credential has ${p.role}`,
    );
  }
}

/** True when `scope` includes `namespace`. */
export function scopeIncludes(scope: Scope, namespace: string): boolean {
  return scope === "*" || scope.includes(namespace);
}

/** True when every namespace of `inner` is in `outer`. */
export function isSubScope(inner: Scope, outer: Scope): boolean {
  if (outer === "*") return true;
  if (inner === "*") return false;
  return inner.every((ns) => outer.includes(ns));
}

/**
 * The namespace used when a request names none: the first bound one, else the server's
 * default for keys on every namespace (`default` unless `serve` was given another).
 */
export function defaultNamespace(p: Pick<Principal, "namespaces" | "default_namespace">): string {
  return p.namespaces === "*" ? p.default_namespace ?? "default" : p.namespaces[0];
}

/**
 * The namespace a request acts on: the one it names (if the principal may use it) or the
 * default. Refuses outside namespaces with the same message whether they exist or not.
 *
 * @example
 * ```ts
 * resolveNamespace({ namespaces: ["a"] }, "b"); // throws FORBIDDEN_NAMESPACE
 * ```
 */
export function resolveNamespace(
  p: Pick<Principal, "namespaces" | "default_namespace">,
  requested?: string | null,
  path: (string | number)[] = ["namespace"],
): string {
  const ns = requested ?? defaultNamespace(p);
  if (!scopeIncludes(p.namespaces, ns)) {
    throw new MemoryossError(
      "FORBIDDEN_NAMESPACE",
      "cannot access namespace outside your scope",
      requested ? path : [],
    );
  }
  return ns;
}

/**
 * The namespace a READ acts on: as {@link resolveNamespace}, and also a namespace shared with
 * the principal (read-only grants). Writes keep using `resolveNamespace`, so a shared
 * namespace is never writable by its grantees.
 *
 * @example
 * ```ts
 * resolveReadNamespace({ namespaces: ["b"], shared: ["a"] }, "a"); // "a"
 * resolveNamespace({ namespaces: ["b"], shared: ["a"] }, "a"); // throws FORBIDDEN_NAMESPACE
 * ```
 */
export function resolveReadNamespace(
  p: Pick<Principal, "namespaces" | "default_namespace" | "shared">,
  requested?: string | null,
  path: (string | number)[] = ["namespace"],
): string {
  if (requested && p.shared?.includes(requested)) return requested;
  return resolveNamespace(p, requested, path);
}
