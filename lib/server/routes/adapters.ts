/**
 * Adapter routes (memoryOSS §2.5/§5.6), the twins of `memoryoss adapter import|export`:
 *
 *   GET  /v1/adapters/export?kind=claude_project|cursor_rules|claude_memory&namespace=
 *        → `{artifact: {adapter_kind, namespace, exported_count, content_type, content|files}}`
 *   POST /v1/adapters/import `{kind, source_label, content, namespace?, dry_run}`
 *        → `{dry_run, imported, preview: {adapter_kind, source_label, runtime_contract_id,
 *           normalized_count, preview}, imported_ids, merged_ids, renamed_ids}`
 *
 * Over HTTP the artifact is the request's `content`, so only the text kinds import
 * (claude_project, cursor_rules); git_history and claude_memory read folders on the machine
 * and stay CLI-only. Export is a reader's, import a writer's, in the caller's namespaces.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  ADAPTER_KINDS,
  EXPORT_KINDS,
  exportAdapter,
  importAdapter,
} from "../../../adapters/mod.ts";
import { resolveNamespace } from "../../auth/mod.ts";
import { parseInput } from "../../memory/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput } from "./_helpers.ts";

const ImportBody = z.strictObject({
  kind: z.enum(ADAPTER_KINDS),
  source_label: z.string().trim().min(1).max(256),
  content: z.string().min(1),
  namespace: z.string().min(1).optional(),
  dry_run: z.boolean().optional(),
});

const ExportQuery = z.strictObject({
  kind: z.enum(EXPORT_KINDS),
  namespace: z.string().min(1).optional(),
});

/** The adapter routes, mounted under `/v1`. */
export function adapterRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue } = state;
  const r = new Hono<AppEnv>();

  r.get("/adapters/export", requireRole("reader"), (c) => {
    const q = parseInput(ExportQuery, queryInput(c, { kind: "string", namespace: "string" }));
    const namespace = resolveNamespace(c.get("principal"), q.namespace);
    return c.json({ artifact: exportAdapter(rt, { kind: q.kind, namespace }) });
  });

  r.post("/adapters/import", requireRole("writer"), async (c) => {
    const input = parseInput(ImportBody, body(c));
    const namespace = resolveNamespace(c.get("principal"), input.namespace);
    const run = () =>
      importAdapter(rt, {
        kind: input.kind,
        path: input.source_label,
        label: input.source_label,
        content: input.content,
        namespace,
        dryRun: input.dry_run === true,
      });
    return c.json(input.dry_run === true ? await run() : await queue.run(run));
  });

  return r;
}
