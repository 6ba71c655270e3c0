/**
 * Routes outside the memory API proper: `/health` (no auth), `/metrics` (Prometheus text,
 * scoped to the caller), `/v1/auth/token`, `/v1/runtime/contract` and `/v1/namespaces`.
 */
import { Hono } from "hono";
import { defaultNamespace, TokenRequestSchema } from "../../auth/mod.ts";
import { namespaceCounts, parseInput, runtimeContract } from "../../memory/mod.ts";
import { MemoryossError } from "../../errors/mod.ts";
import { memoryCount } from "../../store/mod.ts";
import { VERSION } from "../../version.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput } from "./_helpers.ts";
import { indexReadiness } from "../warm.ts";

/** `GET /health`: liveness without credentials, and whether the index is warm yet. */
export function healthRoute(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get("/health", (c) => {
    // Cheap on purpose (load balancers poll it): one count, no per-namespace stats.
    return c.json({
      status: "ok",
      version: VERSION,
      memory_mode: "full",
      total_memories: memoryCount(state.rt.store),
      embedder: state.rt.embedder.id,
      // Serve's warm start: "warming" until the vector index is loaded (queries work anyway).
      index: indexReadiness(state.rt, state.warm),
    });
  });
  return r;
}

/** Where this runtime's source lives (`GET /v1/source`, memoryOSS's AGPL source offer). */
export const SOURCE_INFO = {
  /** SPDX: the repository declares no licence yet, so none is asserted. */
  license: "NOASSERTION",
  source: "https://github.com/memoryoss/memoryoss",
  notice:
    "memoryoss re-implements memoryOSS's HTTP API and formats; the source of this runtime is at the URL above.",
} as const;

/** `GET /v1/source`: the source offer, no credentials (memoryOSS §2.2). */
export function sourceRoute(): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get("/source", (c) => {
    queryInput(c, {});
    return c.json(SOURCE_INFO);
  });
  return r;
}

/** `POST /v1/auth/token`: exchange an API key for a JWT. */
export function tokenRoute(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.post("/token", async (c) => {
    const input = parseInput(TokenRequestSchema, body(c));
    const auth = await state.auth;
    return c.json(await auth.tokenForKey(input.api_key, input.expires_in_secs));
  });
  return r;
}

/** `GET /metrics` (any authenticated caller). */
export function metricsRoute(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get("/metrics", (c) => {
    queryInput(c, {});
    state.rt.syncIndex();
    const text = state.metrics.render(state.rt, state.queue, c.get("principal").namespaces);
    return c.text(text, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return r;
}

/** Each app's route table, bound once the app is built (see {@link bindRouteTable}). */
const routeTables = new WeakMap<ServerState, () => readonly { method: string; path: string }[]>();

/**
 * Tell the contract route where the finished app's route table is: the contract lists the
 * routes actually registered, read when it is requested (so routes mounted later count).
 */
export function bindRouteTable(state: ServerState, app: Hono<AppEnv>): void {
  routeTables.set(state, () => app.routes);
}

/** `/v1/runtime/contract` and `/v1/namespaces`, mounted under `/v1`. */
export function infoRoutes(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get("/runtime/contract", requireRole("reader"), (c) => {
    const table = routeTables.get(state);
    if (!table) throw new MemoryossError("INTERNAL", "the app's route table was never bound");
    return c.json(runtimeContract(table()));
  });
  r.get("/namespaces", requireRole("reader"), (c) => {
    queryInput(c, {});
    const p = c.get("principal");
    return c.json({
      scope: p.namespaces,
      role: p.role,
      default_namespace: defaultNamespace(p),
      namespaces: namespaceCounts(state.rt, p.namespaces),
    });
  });
  return r;
}
