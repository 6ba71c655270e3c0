/**
 * History show / export / replay / branch against an open runtime (`memoryoss history`).
 * Replay and branch restore every node (archived ones too) and only into an empty namespace.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  contractExportMetadata,
  idInUse,
  namespaceRecords,
  NamespaceSchema,
  namespaceSize,
  parseInput,
  reconcileDecisions,
  recordActivity,
  type RecordedDecision,
  requireMemory,
  type Runtime,
  writeRecords,
} from "../memory/mod.ts";
import { uuidv7 } from "../store/mod.ts";
import { type JsonObject, type JsonValue, toPlain } from "./json.ts";
import { buildHistory, type HistoryView, historyView } from "./history.ts";
import { remapLineage } from "./import_apply.ts";
import { readExtras, recordFromEntry } from "./passport.ts";
import { admitReceived, verifiedPayload } from "./passport_ops.ts";
import { HistoryBundle } from "./schemas.ts";

function lineageOf(rt: Runtime, id: string, namespace?: string) {
  const root = requireMemory(rt, id, namespace).record;
  const records = namespaceRecords(rt, root.namespace).map((m) => m.record);
  return { root, records };
}

/**
 * `history show`: the lineage component of a memory with edges and timeline.
 *
 * @example
 * ```ts
 * showHistory(rt, id).timeline.map((e) => e.kind);
 * ```
 */
export function showHistory(
  rt: Runtime,
  id: string,
  namespace?: string,
): HistoryView & { decisions: RecordedDecision[] } {
  const { root, records } = lineageOf(rt, id, namespace);
  const view = historyView(root.namespace, root.id, records);
  // The drain's reconciliation decisions (with their source: llm, rules or fallback) about
  // these memories; part of the view only, never of an exported history.
  return { ...view, decisions: reconcileDecisions(rt.store, view.nodes.map((n) => n.id)) };
}

/**
 * `history export`: the hashed history bundle of a memory's lineage.
 *
 * @example
 * ```ts
 * verify(exportHistory(rt, id)).ok; // true
 * ```
 */
export function exportHistory(rt: Runtime, id: string, namespace?: string): JsonObject {
  const { root, records } = lineageOf(rt, id, namespace);
  const now = rt.now();
  return buildHistory(root.id, records, {
    namespace: root.namespace,
    historyId: uuidv7(now.getTime()),
    exportedAt: now,
    contract: contractExportMetadata(),
  });
}

/** memoryOSS replay preview. */
export interface ReplayPreview {
  target_namespace: string;
  root_id: string;
  integrity_valid: boolean;
  can_replay: boolean;
  create_count: number;
  visible_count: number;
  blocked_reason?: string;
}

/** `history replay` / `history branch` output. */
export interface ReplayResult {
  dry_run: boolean;
  replayed: boolean;
  preview: ReplayPreview;
  imported_ids: string[];
  /** History id → id used here, for ids already taken in this home (always, for a branch). */
  renamed_ids: Record<string, string>;
}

/**
 * Replays a history bundle (or an envelope carrying one) into an empty namespace (default:
 * the bundle's). Throws INTEGRITY for a bad bundle, FORBIDDEN for an envelope whose signature
 * does not verify or whose key is revoked (also for a dry run), and CONFLICT when the namespace
 * is not empty, unless `dryRun`, which reports `can_replay` and `blocked_reason` instead.
 *
 * @example
 * ```ts
 * const r = await replayHistory(rt, parseJson(text), { namespace: "clean" });
 * r.imported_ids.length;
 * ```
 */
export async function replayHistory(
  rt: Runtime,
  input: JsonValue,
  o: { namespace?: string; dryRun?: boolean; allowUntrusted?: boolean; flag?: string },
): Promise<ReplayResult> {
  const tree = verifiedPayload(input, "history");
  await admitReceived(rt, input, {
    dryRun: o.dryRun,
    allowUntrusted: o.allowUntrusted ?? false,
    ...(o.flag ? { flag: o.flag } : {}),
  });
  const history = HistoryBundle.parse(toPlain(tree));
  const extras = readExtras(tree);
  const target = parseInput(NamespaceSchema, o.namespace ?? history.namespace);
  const size = namespaceSize(rt, target);
  const preview: ReplayPreview = {
    target_namespace: target,
    root_id: history.root_id.toLowerCase(),
    integrity_valid: true,
    can_replay: size === 0,
    create_count: history.memories.length,
    visible_count: history.memories.filter((m) => !m.archived).length,
    ...(size > 0
      ? { blocked_reason: `target namespace '${target}' is not empty (${size} memories)` }
      : {}),
  };
  const result: ReplayResult = {
    dry_run: o.dryRun ?? false,
    replayed: false,
    preview,
    imported_ids: [],
    renamed_ids: {},
  };
  if (o.dryRun) return result;
  if (!preview.can_replay) throw new MemoryossError("CONFLICT", preview.blocked_reason!);
  const records = history.memories.map((e) =>
    recordFromEntry(e, target, extras.get(e.id) ?? extras.get(e.id.toLowerCase()))
  );
  const ids = new Map<string, string>();
  for (const r of records) {
    if (!idInUse(rt, r.id)) continue;
    const id = uuidv7(Date.parse(r.created_at));
    ids.set(r.id, id);
    result.renamed_ids[r.id] = id;
  }
  const out = records.map((r) => remapLineage(r, ids));
  await writeRecords(rt, { insert: out });
  result.imported_ids = out.map((r) => r.id);
  result.preview.root_id = ids.get(preview.root_id) ?? preview.root_id;
  result.replayed = true;
  recordActivity(rt, {
    namespace: target,
    kind: "history_replay",
    memory_id: result.preview.root_id,
    detail: { history_id: history.history_id, created: out.length },
  });
  return result;
}

/**
 * `history branch`: copy a memory's whole lineage into an empty namespace of this home
 * (fresh ids, lineage rewired), leaving the source untouched.
 *
 * @example
 * ```ts
 * await branchHistory(rt, id, { target: "experiment" });
 * ```
 */
export async function branchHistory(
  rt: Runtime,
  id: string,
  o: { namespace?: string; target: string; dryRun?: boolean },
): Promise<ReplayResult> {
  const bundle = exportHistory(rt, id, o.namespace);
  // built here from this home's own memories: nothing received, nothing to trust
  return await replayHistory(rt, bundle, {
    namespace: o.target,
    dryRun: o.dryRun,
    allowUntrusted: true,
  });
}
