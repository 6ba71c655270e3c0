/**
 * Authentication and role checks. `authenticate` resolves the bearer credential into a
 * principal (401 otherwise), with the namespaces shared with it; `requireRole` guards a route
 * (403 otherwise).
 */
import type { MiddlewareHandler } from "hono";
import { type Principal, requireRole as check, type Role } from "../../auth/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";

/** memoryOSS `dev` mode: who a request without credentials is (admin in `default`). */
export const DEV_PRINCIPAL: Principal = {
  sub: "dev",
  key_id: "dev",
  role: "admin",
  namespaces: ["default"],
  via: "api_key",
};

/** Require a valid API key or token (in dev mode: unless none is sent at all). */
export function authenticate(state: ServerState): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (state.devAuth && c.req.header("authorization") === undefined) {
      c.set("principal", DEV_PRINCIPAL);
      return await next();
    }
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
