/**
 * Core memory routes (memoryOSS §2.2–2.3): store, batch store, recall, batch recall, update,
 * feedback, forget (and certified forget), consolidate, export, memories, inspect, peek. Each validates with the lib
 * zod schemas, confines the request to the caller's namespaces and calls `lib/memory`.
 * Writes go through the runtime's write queue.
 */
import { type Context, Hono } from "hono";
import { defaultNamespace, resolveNamespace, resolveReadNamespace } from "../../auth/mod.ts";
import {
  applyFeedback,
  consolidate,
  ConsolidateInputSchema,
  contractExportMetadata,
  exportNamespace,
  FeedbackInputSchema,
  forget,
  ForgetInputSchema,
  inScope,
  inspectMemory,
  ListInputSchema,
  listMemories,
  parseInput,
  parseRecallRequest,
  peekMemory,
  recall,
  RecallBatchInputSchema,
  type RecallInput,
  requireMemoryIn,
  reviewQueueKind,
  suggestedReviewAction,
  toScored,
  trustScore,
  UpdateInputSchema,
  updateMemory,
  validateStoreBatch,
  validateStoreInput,
} from "../../memory/mod.ts";
import type { Principal } from "../../auth/mod.ts";
import { certifiedForget } from "../../portable/mod.ts";
import { MemoryossError } from "../../errors/mod.ts";
import { expandForRecall } from "../../llm/mod.ts";
import { announceStores } from "./sharing.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput } from "./_helpers.ts";

/** The memory routes, mounted under `/v1`. */
export function memoryRoutes(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  storeRoutes(r, state);
  recallRoutes(r, state);
  changeRoutes(r, state);
  forgetRoutes(r, state);
  readRoutes(r, state);
  return r;
}

/** `/store` and `/store/batch`: through the write queue, namespaces confined to the caller's. */
function storeRoutes(r: Hono<AppEnv>, state: ServerState): void {
  const { rt, queue, metrics } = state;
  r.post("/store", requireRole("writer"), async (c) => {
    const p = c.get("principal");
    const input = validateStoreInput(rt, body(c));
    input.namespace = resolveNamespace(p, input.namespace);
    const [res] = await queue.store([input], { sourceKey: p.key_id });
    metrics.inc("stores_total", input.namespace);
    announceStores(state, [{ namespace: input.namespace, id: res.id }]);
    return c.json(res);
  });

  r.post("/store/batch", requireRole("writer"), async (c) => {
    const p = c.get("principal");
    const inputs = validateStoreBatch(rt, body(c));
    inputs.forEach((input, i) => {
      input.namespace = resolveNamespace(p, input.namespace, ["memories", i, "namespace"]);
    });
    const res = await queue.store(inputs, { sourceKey: p.key_id });
    for (const input of inputs) metrics.inc("stores_total", input.namespace!);
    announceStores(state, res.map((x, i) => ({ namespace: inputs[i].namespace!, id: x.id })));
    return c.json({ stored: res });
  });
}

/** `/recall` and `/recall/batch`, each query with memman's optional `expand`. */
function recallRoutes(r: Hono<AppEnv>, state: ServerState): void {
  const { rt, metrics } = state;
  const runRecall = async (p: Principal, input: RecallInput) => {
    const namespace = resolveReadNamespace(p, input.namespace);
    const res = toScored(rt, await recall(rt, { ...input, namespace }));
    metrics.inc("recalls_total", namespace);
    return res;
  };

  /** One recall request as `/v1/recall` takes it, checked (namespace too) before any model call. */
  const checkRecall = (p: Principal, raw: unknown, path: (string | number)[] = []) => {
    const { expand, raw: rest } = expandOption(raw, path);
    const input = parseRecallRequest(rest, path);
    resolveReadNamespace(p, input.namespace, path.length ? [...path, "namespace"] : undefined);
    return { expand, input };
  };
  /** memman's `expand`: the one expansion path (lib/llm), then the recall with its query. */
  const answerRecall = async (p: Principal, q: { expand: boolean; input: RecallInput }) => {
    if (!q.expand) return await runRecall(p, q.input);
    const x = await expandForRecall(rt.config, rt.loaded.home, q.input.query);
    return { ...await runRecall(p, { ...q.input, query: x.query_expansion.query }), ...x };
  };

  r.post("/recall", requireRole("reader"), async (c) => {
    const p = c.get("principal");
    return c.json(await answerRecall(p, checkRecall(p, body(c))));
  });

  r.post("/recall/batch", requireRole("reader"), async (c) => {
    const p = c.get("principal");
    const { queries } = parseInput(RecallBatchInputSchema, body(c));
    const checked = queries.map((q, i) => checkRecall(p, q, ["queries", i]));
    return c.json({ results: await Promise.all(checked.map((q) => answerRecall(p, q))) });
  });
}

/** `/update` (PATCH or POST) and `/feedback`: changes to one memory, through the write queue. */
function changeRoutes(r: Hono<AppEnv>, state: ServerState): void {
  const { rt, queue, metrics } = state;
  const update = requireRole("writer");
  const updateHandler = async (c: Context<AppEnv>) => {
    const p = c.get("principal");
    const input = parseInput(UpdateInputSchema, body(c));
    const ns = input.namespace === undefined ? undefined : resolveNamespace(p, input.namespace);
    const rec = await queue.run(async () => {
      // updateMemory validates first, then answers NOT_FOUND for ids outside `namespace`.
      const m = rt.store.getById(input.id);
      const namespace = ns ??
        (m && inScope(p.namespaces, m.record.namespace) ? m.record.namespace : defaultNamespace(p));
      return await updateMemory(rt, { ...input, namespace });
    });
    metrics.inc("updates_total", rec.namespace);
    return c.json({
      id: rec.id,
      version: rec.version,
      updated_at: rec.updated_at,
      status: rec.status,
      eligible_for_injection: rec.status === "active" && !rec.archived,
      contradicts_with: rec.contradicts_with,
    });
  };
  r.patch("/update", update, updateHandler);
  r.post("/update", update, updateHandler);

  r.post("/feedback", requireRole("writer"), async (c) => {
    const p = c.get("principal");
    const input = parseInput(FeedbackInputSchema, body(c));
    if (input.namespace !== undefined) resolveNamespace(p, input.namespace);
    const res = await queue.run(() =>
      applyFeedback(rt, input, {
        scope: p.namespaces,
        actor: p.sub,
        via: "api",
        confirmReplacement: true,
      })
    );
    metrics.inc("feedback_total", res.namespace);
    return c.json(res);
  });
}

/** `/forget`, memoryOSS's `/forget/certified` and `/consolidate`: the admin's deletions. */
function forgetRoutes(r: Hono<AppEnv>, state: ServerState): void {
  const { rt, queue, metrics } = state;
  const forgetHandler = async (c: Context<AppEnv>) => {
    const p = c.get("principal");
    const input = parseInput(ForgetInputSchema, body(c));
    if (input.namespace !== undefined) resolveNamespace(p, input.namespace);
    const res = await queue.run(() =>
      forget(rt, input, {
        scope: p.namespaces,
        actor: p.sub,
        via: "api",
        defaultNamespace: defaultNamespace(p),
      })
    );
    if (!res.dry_run) {
      for (const [ns, n] of Object.entries(res.deleted_by_namespace)) {
        metrics.inc("forgets_total", ns, n);
      }
    }
    return c.json(res);
  };
  r.delete("/forget", requireRole("admin"), forgetHandler);
  r.post("/forget", requireRole("admin"), forgetHandler);

  // memoryOSS's certified forget: one namespace, a signed deletion certificate, 404 on no match.
  const certified = async (c: Context<AppEnv>) => {
    const p = c.get("principal");
    const raw = body(c);
    const namespace = resolveNamespace(p, parseInput(ForgetInputSchema, raw).namespace);
    const caller = { scope: p.namespaces, actor: p.sub, via: "api" as const };
    const res = await queue.run(() => certifiedForget(rt, raw, namespace, caller));
    metrics.inc("forgets_total", namespace, res!.deleted);
    return c.json(res);
  };
  r.delete("/forget/certified", requireRole("admin"), certified);
  r.post("/forget/certified", requireRole("admin"), certified);

  r.post("/consolidate", requireRole("admin"), async (c) => {
    const p = c.get("principal");
    const input = parseInput(ConsolidateInputSchema, body(c));
    const namespace = resolveNamespace(p, input.namespace);
    const res = await queue.run(() => consolidate(rt, { ...input, namespace }, { actor: p.sub }));
    metrics.inc("consolidations_total", namespace, res.derived_created);
    return c.json(res);
  });
}

/** `/export`, `/memories`, `/inspect/:id` and `/peek/:id`: reads within the caller's scope. */
function readRoutes(r: Hono<AppEnv>, state: ServerState): void {
  const { rt } = state;
  r.get("/export", requireRole("reader"), (c) => {
    const q = queryInput(c, { namespace: "string" });
    const namespace = resolveReadNamespace(
      c.get("principal"),
      parseInput(ListInputSchema.pick({ namespace: true }), q).namespace,
    );
    return c.json({
      runtime_contract: contractExportMetadata(),
      ...exportNamespace(rt, namespace),
    });
  });

  r.get("/memories", requireRole("reader"), (c) => {
    const q = queryInput(c, {
      namespace: "string",
      agent: "string",
      session: "string",
      tags: "list",
      status: "list",
      memory_type: "string",
      category: "string",
      before: "string",
      after: "string",
      include_archived: "bool",
      limit: "int",
      offset: "int",
      order: "string",
    });
    const input = parseInput(ListInputSchema, { include_archived: true, limit: 1000, ...q });
    const namespace = resolveReadNamespace(c.get("principal"), input.namespace);
    const res = listMemories(rt, { ...input, namespace });
    return c.json({
      namespace,
      // An empty filter is no filter (lib/memory filters): echo it as none.
      agent: input.agent || null,
      session: input.session || null,
      count: res.memories.length,
      total: res.total,
      offset: res.offset,
      next_offset: res.next_offset,
      memories: res.memories,
    });
  });

  r.get("/inspect/:id", requireRole("reader"), (c) => {
    const p = c.get("principal");
    const q = queryInput(c, { namespace: "string" });
    const ns = parseInput(ListInputSchema.pick({ namespace: true }), q).namespace;
    const m = requireMemoryIn(
      rt,
      c.req.param("id"),
      p.namespaces,
      ns === undefined ? undefined : resolveNamespace(p, ns),
    );
    const base = inspectMemory(rt, m.record.id, m.record.namespace);
    const t = trustScore(m.record, rt.now());
    return c.json({
      ...base,
      trust_score: t.score,
      trust_signals: t.signals,
      low_trust: t.low_trust,
      review_queue_kind: reviewQueueKind(m.record),
      suggested_review_action: suggestedReviewAction(m.record),
    });
  });

  r.get("/peek/:id", requireRole("reader"), (c) => {
    queryInput(c, {});
    return c.json(peekMemory(rt, c.req.param("id"), c.get("principal").namespaces));
  });
}

/**
 * memman's query expansion on `/v1/recall` and each query of `/v1/recall/batch`: `expand` is
 * taken out before the strict schema (`path`: where the request sits in the body).
 */
function expandOption(
  raw: unknown,
  path: (string | number)[] = [],
): { expand: boolean; raw: unknown } {
  if (!raw || typeof raw !== "object" || Array.isArray(raw) || !("expand" in raw)) {
    return { expand: false, raw };
  }
  const { expand, ...rest } = raw as Record<string, unknown>;
  if (typeof expand !== "boolean") {
    const at = [...path, "expand"];
    throw new MemoryossError("INVALID_INPUT", `${at.join(".")}: expected true or false`, at);
  }
  return { expand, raw: rest };
}
