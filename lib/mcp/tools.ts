/**
 * The MCP tools: memoryOSS's four (recall, store, update, forget; input shapes of
 * memoryOSS §6) plus feedback, list, passport export and history. Input schemas are picked from the lib/memory zod
 * schemas, so MCP, HTTP and CLI validate alike; each tool calls one lib/memory function.
 */
import type { z } from "zod";
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { MemoryossError } from "../errors/mod.ts";
import {
  applyFeedback,
  forget,
  listMemories,
  recall,
  requireMemoryIn,
  updateMemory,
  validateStoreInput,
} from "../memory/mod.ts";
import { artifactText, exportPassport, PassportExportInput, showHistory } from "../portable/mod.ts";
import { type McpContext, namespaceFor } from "./context.ts";
import {
  FeedbackArgs,
  ForgetArgs,
  HistoryArgs,
  ListArgs,
  RecallArgs,
  StoreArgs,
  UpdateArgs,
} from "./tool_args.ts";
import { fitToBudget } from "./_budget.ts";
import { expandForRecall } from "../llm/mod.ts";

/** One tool: metadata that goes on the wire, its input schema and what it runs. */
export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  /** The least role a caller needs (over HTTP; the local stdio user holds every role). */
  role: "reader" | "writer" | "admin";
  input: S;
  run(ctx: McpContext, args: z.infer<S>): Promise<unknown>;
}

const defineTool = <S extends z.ZodObject>(def: ToolDef<S>): ToolDef<S> => def;

/** A result that is already text (an artifact, byte-exact), sent as is. */
export class ToolText {
  constructor(readonly text: string) {}
}

/** Omit undefined fields so the strict lib schemas see only what the caller gave. */
function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const recallTool = defineTool({
  name: "memoryoss_recall",
  role: "reader",
  title: "Recall Relevant Memories",
  description: "Search persistent memory (vectors + keywords + exact identifiers + recency). " +
    "Call it at the start of a task and before decisions, with a focused query.",
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: RecallArgs,
  async run(ctx, args) {
    const { expand, ...rest } = args;
    const namespace = namespaceFor(ctx, rest.namespace);
    const x = expand
      ? await expandForRecall(ctx.rt.config, ctx.rt.loaded.home, rest.query)
      : undefined;
    const query = x?.query_expansion.query ?? rest.query;
    const res = await recall(
      ctx.rt,
      defined({ ...rest, query, namespace, limit: rest.limit ?? 10 }),
    );
    const items = res.memories.map((m) => ({
      id: m.id,
      content: m.content,
      tags: m.tags,
      score: m.score,
      memory_type: m.memory_type,
      category: m.category,
      agent: m.agent,
      created_at: m.created_at,
    }));
    const fit = fitToBudget(items, ctx.maxResultChars);
    return {
      namespace,
      query: res.query,
      ...x,
      count: fit.kept.length,
      memories: fit.kept,
      ...(fit.omitted || fit.clipped
        ? {
          omitted: fit.omitted,
          note: "result cut to fit the size budget: use a narrower query or a smaller limit",
        }
        : {}),
    };
  },
});

const storeTool = defineTool({
  name: "memoryoss_store",
  role: "writer",
  title: "Store New Memory",
  description: "Save one durable fact, decision or preference for later sessions. A near-" +
    "duplicate is merged into the existing memory instead of stored twice.",
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  input: StoreArgs,
  async run(ctx, args) {
    const input = validateStoreInput(
      ctx.rt,
      defined({ ...args, namespace: namespaceFor(ctx, args.namespace) }),
    );
    const [r] = await ctx.queue.store([input], { sourceKey: ctx.sourceKey });
    return { ...r, stored: true, namespace: input.namespace };
  },
});

const updateTool = defineTool({
  name: "memoryoss_update",
  role: "writer",
  title: "Update Existing Memory",
  description: "Change a memory's content or tags (content is re-embedded). Prefer this over " +
    "storing a second, conflicting memory.",
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  input: UpdateArgs,
  async run(ctx, args) {
    const ns = args.namespace === undefined ? undefined : namespaceFor(ctx, args.namespace);
    const rec = await ctx.queue.run(async () => {
      const m = requireMemoryIn(ctx.rt, args.id, ctx.scope, ns);
      return await updateMemory(ctx.rt, defined({ ...args, namespace: m.record.namespace }));
    });
    return { id: rec.id, version: rec.version, updated: true, status: rec.status };
  },
});

const forgetTool = defineTool({
  name: "memoryoss_forget",
  role: "admin",
  title: "Delete Stored Memory",
  description: "Delete memories by id (found in any namespace you may use unless namespace is " +
    "given; unknown ids are reported). Emptying a whole namespace needs all: true and should " +
    "only happen when the user asked for it. dry_run lists what would go.",
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  input: ForgetArgs,
  async run(ctx, args) {
    const hasIds = (args.ids?.length ?? 0) > 0;
    if (!hasIds && args.all !== true) {
      throw new MemoryossError(
        "INVALID_INPUT",
        "refusing an unscoped forget: give ids (a non-empty list), or all: true to empty the " +
          "namespace; nothing was deleted",
        ["ids"],
      );
    }
    if (hasIds && args.all) {
      throw new MemoryossError("INVALID_INPUT", "give either ids or all: true, not both", ["all"]);
    }
    if (args.namespace !== undefined) namespaceFor(ctx, args.namespace);
    const res = await ctx.queue.run(() =>
      forget(ctx.rt, defined({ ...args }), {
        scope: ctx.scope,
        actor: ctx.actor,
        via: "mcp",
        defaultNamespace: ctx.defaultNamespace,
      })
    );
    if (!res.dry_run) return res;
    // A dry run's list stays within the result budget; its count is always the whole.
    let used = 0;
    const all = res.would_delete.memories;
    const kept = all.filter((m) => (used += JSON.stringify(m).length + 8) <= ctx.maxResultChars);
    if (kept.length === all.length) return res;
    return {
      ...res,
      would_delete: { ...res.would_delete, memories: kept },
      omitted: all.length - kept.length,
      note: "list cut to fit the size budget; count is the full number that would be deleted",
    };
  },
});

const feedbackTool = defineTool({
  name: "memoryoss_feedback",
  role: "writer",
  title: "Give Feedback on a Memory",
  description: "confirm a memory that proved right, reject one that is wrong, or supersede " +
    "one with a newer memory (superseded_by). Recall ranks by this.",
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  input: FeedbackArgs,
  async run(ctx, args) {
    if (args.namespace !== undefined) namespaceFor(ctx, args.namespace);
    return await ctx.queue.run(() =>
      applyFeedback(ctx.rt, defined({ ...args }), {
        scope: ctx.scope,
        actor: ctx.actor,
        via: "mcp",
        confirmReplacement: true,
      })
    );
  },
});

const listTool = defineTool({
  name: "memoryoss_list",
  role: "reader",
  title: "Browse Memories",
  description: "Page through a namespace, newest first. Follow next_offset until it is null.",
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: ListArgs,
  run(ctx, args) {
    const namespace = namespaceFor(ctx, args.namespace);
    const offset = args.offset ?? 0;
    const res = listMemories(ctx.rt, defined({ ...args, namespace, limit: args.limit ?? 20 }));
    const items = res.memories.map((m) => ({
      id: m.id,
      content: m.content,
      tags: m.tags,
      status: m.status,
      memory_type: m.memory_type,
      category: m.category,
      agent: m.agent,
      created_at: m.created_at,
      updated_at: m.updated_at,
    }));
    const fit = fitToBudget(items, ctx.maxResultChars);
    const next = offset + fit.kept.length;
    return Promise.resolve({
      namespace,
      total: res.total,
      offset,
      count: fit.kept.length,
      next_offset: next < res.total ? next : null,
      ...(fit.clipped ? { note: "the memory's content was cut to fit the size budget" } : {}),
      memories: fit.kept,
    });
  },
});

const passportExportTool = defineTool({
  name: "memoryoss_passport_export",
  role: "reader",
  title: "Export Memory Passport",
  description: "Export a namespace's memories as a memoryOSS passport " +
    "(memoryoss.passport.v1alpha1, integrity-hashed JSON) to move them to another tool or " +
    "machine. scope: project (default), personal, team or all.",
  annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
  input: PassportExportInput,
  run(ctx, args) {
    const namespace = namespaceFor(ctx, args.namespace);
    const text = artifactText(exportPassport(ctx.rt, { namespace, scope: args.scope }));
    if (text.length > ctx.maxResultChars) {
      throw new MemoryossError(
        "PAYLOAD_TOO_LARGE",
        `the passport is ${text.length} characters, over this server's result budget ` +
          `(${ctx.maxResultChars}); export a narrower scope, or use 'memoryoss passport export' ` +
          "or POST /v1/passport/export",
      );
    }
    return Promise.resolve(new ToolText(text));
  },
});

const historyTool = defineTool({
  name: "memoryoss_history",
  role: "reader",
  title: "Show Memory History",
  description: "The lineage around a memory: the memories it derives from, supersedes or " +
    "contradicts (nodes), their edges, and a timeline of creation, reviews and supersession.",
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: HistoryArgs,
  run(ctx, args) {
    const ns = args.namespace === undefined ? undefined : namespaceFor(ctx, args.namespace);
    const m = requireMemoryIn(ctx.rt, args.id, ctx.scope, ns);
    const view = showHistory(ctx.rt, m.record.id, m.record.namespace);
    const nodes = fitToBudget(view.nodes, Math.floor(ctx.maxResultChars / 2));
    const room = ctx.maxResultChars - JSON.stringify(nodes.kept).length;
    let used = 0;
    const timeline = view.timeline.filter((e) => (used += JSON.stringify(e).length + 8) <= room);
    const cut = nodes.omitted > 0 || nodes.clipped || timeline.length < view.timeline.length;
    return Promise.resolve({
      ...view,
      nodes: nodes.kept,
      timeline,
      ...(cut
        ? {
          omitted_nodes: nodes.omitted,
          omitted_events: view.timeline.length - timeline.length,
          note: "result cut to fit the size budget: 'memoryoss history show' has it all",
        }
        : {}),
    });
  },
});

/**
 * Every tool, in the order clients list them. (The cast widens each tool's own argument type
 * to the common shape; each `run` still only ever receives what its own schema parsed.)
 */
export const TOOLS: readonly ToolDef[] = [
  recallTool,
  storeTool,
  updateTool,
  forgetTool,
  feedbackTool,
  listTool,
  passportExportTool,
  historyTool,
] as unknown as readonly ToolDef[];
