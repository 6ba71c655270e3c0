/**
 * Authentication and role checks. `authenticate` resolves the bearer credential into a
 * principal (401 otherwise), with the namespaces shared with it; `requireRole` guards a route
 * (403 otherwise).
 */
import type { MiddlewareHandler } from "hono";
import { requireRole as check, type Role } from "../../auth/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";

/** Require a valid API key or token. */
export function authenticate(state: ServerState): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await state.auth;
    const p = await auth.authenticate(c.req.header("authorization"));
    const ns = state.defaultNamespace;
    if (ns && p.namespaces === "*") {
      c.set("principal", { ...p, default_namespace: ns });
    } else if (p.namespaces !== "*" && state.sharingEnabled) {
      // Namespaces shared with this key's (read-only, lib/sharing).
      const shared = (await state.sharing).readableBy(p.namespaces, state.rt.now());
      c.set("principal", shared.length ? { ...p, shared } : p);
    } else c.set("principal", p);
    await next();
  };
}

/** Require at least `role` (after {@link authenticate}). */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    check(c.get("principal"), role);
    await next();
  };
}
