/**
 * Admin routes (memoryOSS §2.4), all `admin` role and confined to the caller's namespaces:
 * keys (list, create, rotate, revoke), tokens, review queue and actions, lifecycle, recent
 * activity, query explain, index health and the team governance view.
 */
import { Hono } from "hono";
import {
  createApiKey,
  CreateKeyInputSchema,
  defaultNamespace,
  getApiKey,
  isSubScope,
  listApiKeys,
  MintTokenInputSchema,
  type Principal,
  resolveNamespace,
  revokeKey,
  rotateApiKey,
  RotateKeyInputSchema,
  type Scope,
} from "../../auth/mod.ts";
import { MemoryossError } from "../../errors/mod.ts";
import {
  indexHealth,
  LifecycleInputSchema,
  lifecycleSummary,
  parseInput,
  parseRecallRequest,
  queryExplain,
  recentView,
  reviewAction,
  ReviewActionInputSchema,
  reviewQueue,
  ReviewQueueInputSchema,
  validateStoreInput,
} from "../../memory/mod.ts";
import { proposalInput, ProposeInputSchema, teamGovernance } from "../../portable/mod.ts";
import { compileTaskState, detectTaskContext } from "../../proxy/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput, queryNamespace } from "./_helpers.ts";

function scopeFrom(p: Principal, namespaces?: Scope, namespace?: string): Scope {
  const s: Scope = namespaces ?? (namespace ? [namespace] : [defaultNamespace(p)]);
  if (!isSubScope(s, p.namespaces)) {
    throw new MemoryossError(
      "FORBIDDEN_NAMESPACE",
      "cannot access namespace outside your scope",
      [namespaces ? "namespaces" : "namespace"],
    );
  }
  return s;
}

/** A key the caller may manage (its namespaces lie inside the caller's), else 404. */
function visibleKey(state: ServerState, p: Principal, keyId: string) {
  const k = getApiKey(state.rt.store, keyId, state.rt.now());
  if (!k || !isSubScope(k.namespaces, p.namespaces)) {
    throw new MemoryossError("NOT_FOUND", `no API key ${keyId}`, ["key_id"]);
  }
  return k;
}

/** API keys and tokens: list, create, rotate, revoke, mint. */
function keyRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue } = state;
  const r = new Hono<AppEnv>();
  r.get("/keys", (c) => {
    queryInput(c, {});
    const keys = listApiKeys(rt.store, c.get("principal").namespaces, rt.now());
    return c.json({
      keys,
      retired_keys: keys.filter((k) => k.state === "retired").map((k) => ({
        id: k.key_id,
        namespace: k.namespaces === "*" ? "*" : k.namespaces[0],
        namespaces: k.namespaces,
        retired_at: null,
        rotated_to: k.rotated_to,
        expires_at: k.expires_at,
      })),
    });
  });

  r.post("/keys", async (c) => {
    const p = c.get("principal");
    const input = parseInput(CreateKeyInputSchema, body(c));
    const namespaces = scopeFrom(p, input.namespaces, input.namespace);
    const now = rt.now();
    const made = await queue.run(() =>
      createApiKey(rt.store, {
        role: input.role,
        namespaces,
        label: input.label ?? null,
        expires_at: input.expires_in_secs
          ? new Date(now.getTime() + input.expires_in_secs * 1000).toISOString()
          : null,
      }, now)
    );
    return c.json({ key: made!.key, ...made!.info }, 201);
  });

  r.post("/keys/rotate", async (c) => {
    const p = c.get("principal");
    const input = parseInput(RotateKeyInputSchema, body(c));
    if (input.namespace !== undefined) resolveNamespace(p, input.namespace);
    const keyId = input.key_id ?? p.key_id;
    visibleKey(state, p, keyId);
    const grace = input.grace_period_secs ?? 86_400;
    const res = await queue.run(() => rotateApiKey(rt.store, keyId, grace, rt.now()));
    return c.json({
      rotated: true,
      key_id: res.info.key_id,
      key: res.key,
      role: res.info.role,
      namespaces: res.info.namespaces,
      namespace: res.info.namespaces === "*" ? "*" : res.info.namespaces[0],
      previous_key_id: res.previous.key_id,
      previous_expires_at: res.previous.expires_at,
      grace_period_secs: grace,
    });
  });

  r.delete("/keys/:id", async (c) => {
    const p = c.get("principal");
    const keyId = c.req.param("id");
    visibleKey(state, p, keyId);
    await queue.run(() => revokeKey(rt.store, keyId, { now: rt.now() }));
    return c.json({ revoked: true, key_id: keyId });
  });

  r.post("/tokens", async (c) => {
    const p = c.get("principal");
    const input = parseInput(MintTokenInputSchema, body(c));
    const namespaces = scopeFrom(p, input.namespaces, input.namespace);
    const auth = await state.auth;
    const t = await auth.mintToken(p, {
      role: input.role,
      namespaces,
      ttlSecs: input.expires_in_secs ?? 86_400,
    });
    return c.json(t);
  });
  return r;
}

/** The review queue and its actions, lifecycle and recent activity. */
function reviewRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue, metrics } = state;
  const r = new Hono<AppEnv>();
  r.get("/review-queue", (c) => {
    const input = parseInput(
      ReviewQueueInputSchema,
      queryInput(c, { namespace: "string", limit: "int" }),
    );
    const namespace = resolveNamespace(c.get("principal"), input.namespace);
    return c.json(reviewQueue(rt, { ...input, namespace }));
  });

  r.post("/review/action", async (c) => {
    const p = c.get("principal");
    const input = parseInput(ReviewActionInputSchema, body(c));
    const scope = input.namespace === undefined
      ? p.namespaces
      : [resolveNamespace(p, input.namespace)];
    const res = await queue.run(() => reviewAction(rt, input, { scope, actor: p.sub }));
    metrics.inc("feedback_total", res.namespace);
    return c.json(res);
  });

  r.get("/lifecycle", (c) => {
    const input = parseInput(
      LifecycleInputSchema,
      queryInput(c, {
        namespace: "string",
        status: "list",
        limit: "int",
        include_archived: "bool",
      }),
    );
    const namespace = resolveNamespace(c.get("principal"), input.namespace);
    return c.json(lifecycleSummary(rt, { ...input, namespace }));
  });

  r.get("/recent", (c) => {
    const p = c.get("principal");
    const q = queryInput(c, { namespace: "string", limit: "int" });
    const input = parseInput(ReviewQueueInputSchema, q);
    const namespace = input.namespace === undefined
      ? undefined
      : resolveNamespace(p, input.namespace);
    return c.json(recentView(rt, { scope: p.namespaces, namespace, limit: input.limit }));
  });
  return r;
}

/** Query explain, team governance and index health. */
function insightRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue, metrics } = state;
  const r = new Hono<AppEnv>();
  r.post("/query-explain", async (c) => {
    const p = c.get("principal");
    const input = parseRecallRequest(body(c));
    const namespace = resolveNamespace(p, input.namespace);
    const explained = await queryExplain(rt, { ...input, namespace });
    // memoryOSS's task context and the <task_state> the proxy would compile from these results.
    const task_context = detectTaskContext(input.query);
    const inputs = explained.final_results.flatMap((f) => {
      const rec = rt.store.getById(f.id)?.record;
      return rec
        ? [{
          id: f.id,
          content: rec.content,
          tags: rec.tags,
          status: f.status,
          score: f.final_score,
        }]
        : [];
    });
    const task_state = task_context ? compileTaskState(inputs, task_context) : null;
    return c.json({ ...explained, task_context, task_state });
  });

  r.get("/team/governance", (c) => c.json(teamGovernance(rt, queryNamespace(c))));

  r.post("/team/governance/propose", async (c) => {
    const p = c.get("principal");
    const input = parseInput(ProposeInputSchema, body(c));
    const namespace = resolveNamespace(p, input.namespace);
    const store = validateStoreInput(rt, proposalInput(input, namespace, p.sub, rt.now()));
    const [res] = await queue.store([store], { sourceKey: p.key_id });
    metrics.inc("stores_total", namespace);
    const status = rt.store.getById(res.id)?.record.status ?? store.status;
    return c.json({ ...res, namespace, status, review_key: `review:${res.id}` });
  });

  r.get("/index-health", async (c) => {
    const p = c.get("principal");
    const q = parseInput(
      LifecycleInputSchema.pick({ namespace: true }),
      queryInput(c, { namespace: "string" }),
    );
    const scope = q.namespace === undefined ? p.namespaces : [resolveNamespace(p, q.namespace)];
    // The FTS integrity check is a write statement: run it in queue order.
    const health = await queue.run(() => indexHealth(rt, scope));
    return c.json(scope === "*" ? { ...health, write_queue: queue.stats() } : health);
  });
  return r;
}

/** The admin routes, mounted under `/v1/admin` (all `admin` role). */
export function adminRoutes(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.use("*", requireRole("admin"));
  r.route("/", keyRoutes(state));
  r.route("/", reviewRoutes(state));
  r.route("/", insightRoutes(state));
  return r;
}
