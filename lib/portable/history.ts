/**
 * Histories (`memoryoss.history.v1alpha1`, memoryOSS §5.3): the lineage component around one
 * memory, its edges and a synthesized timeline, as a view and as a hashed bundle. Pure.
 *
 * @module
 */
import type { MemoryRecord } from "../store/mod.ts";
import type { JsonObject } from "./json.ts";
import { byCreation, entryFromRecord, finishBundleTree } from "./passport.ts";
import { chronoJsonTimestamp } from "./rust_format.ts";
import {
  HISTORY_VERSION,
  HistoryBundle,
  type HistoryEdge,
  type HistoryEvent,
  type PassportEntry,
  type RuntimeExportMetadata,
} from "./schemas.ts";
import { historyTree } from "./typed.ts";

/**
 * The memories connected to `rootId` through derived_from, contradicts_with and
 * superseded_by, followed both ways (breadth first), sorted by (created_at, id). Archived
 * memories are included. Empty when the root is not in `records`.
 *
 * @example
 * ```ts
 * historyNodes(newId, records).map((r) => r.id); // [oldId, newId]
 * ```
 */
export function historyNodes(rootId: string, records: readonly MemoryRecord[]): MemoryRecord[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const links = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!byId.has(a) || !byId.has(b) || a === b) return;
    for (const [x, y] of [[a, b], [b, a]]) {
      if (!links.has(x)) links.set(x, new Set());
      links.get(x)!.add(y);
    }
  };
  for (const r of records) {
    for (const s of r.derived_from) link(r.id, s);
    for (const c of r.contradicts_with) link(r.id, c);
    if (r.superseded_by) link(r.id, r.superseded_by);
  }
  if (!byId.has(rootId)) return [];
  const seen = new Set([rootId]);
  const queue = [rootId];
  while (queue.length) {
    for (const next of links.get(queue.shift()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return [...seen].map((id) => byId.get(id)!).sort(byCreation);
}

/**
 * Lineage edges among `nodes`: derived (source→derived), superseded (old→new), contradicts
 * (lower id→higher id); deduplicated, sorted by (from, to, kind).
 *
 * @example
 * ```ts
 * historyEdges(nodes); // [{ from: oldId, to: newId, kind: "superseded_by" }]
 * ```
 */
export function historyEdges(nodes: readonly MemoryRecord[]): HistoryEdge[] {
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map<string, HistoryEdge>();
  const add = (from: string, to: string, kind: HistoryEdge["kind"]) => {
    if (ids.has(from) && ids.has(to) && from !== to) {
      out.set(`${from}|${to}|${kind}`, { from, to, kind });
    }
  };
  for (const n of nodes) {
    for (const s of n.derived_from) add(s, n.id, "derived_from");
    if (n.superseded_by) add(n.id, n.superseded_by, "superseded_by");
    for (const c of n.contradicts_with) {
      add(n.id < c ? n.id : c, n.id < c ? c : n.id, "contradicts_with");
    }
  }
  return [...out.values()].sort((a, b) =>
    a.from !== b.from ? cmp(a.from, b.from) : a.to !== b.to ? cmp(a.to, b.to) : cmp(a.kind, b.kind)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const REVIEW_STATUS = { confirm: "active", reject: "contested", supersede: "stale" } as const;

/**
 * The synthesized timeline: created, derived, one review per review event, superseded,
 * archived (or a state snapshot when updated without reviews) and one contradicted per pair;
 * sorted by (at, memory_id, summary).
 *
 * @example
 * ```ts
 * historyTimeline(nodes)[0].kind; // "created"
 * ```
 */
export function historyTimeline(nodes: readonly MemoryRecord[]): HistoryEvent[] {
  const ids = new Set(nodes.map((n) => n.id));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const events: HistoryEvent[] = [];
  const ev = (e: Omit<HistoryEvent, "related_ids"> & { related_ids?: string[] }) =>
    events.push({ related_ids: [], ...e });
  for (const n of nodes) {
    ev({ at: n.created_at, memory_id: n.id, kind: "created", summary: "memory created" });
    if (n.derived_from.length > 0) {
      ev({
        at: n.created_at,
        memory_id: n.id,
        kind: "derived",
        summary: `derived from ${n.derived_from.length} memor${
          n.derived_from.length === 1 ? "y" : "ies"
        }`,
        related_ids: [...n.derived_from].sort(),
      });
    }
    for (const r of n.review_events) {
      ev({
        at: r.at,
        memory_id: n.id,
        kind: "review",
        summary: `review: ${r.action}`,
        to_status: REVIEW_STATUS[r.action],
        actor: r.actor,
        via: r.via,
        related_ids: r.superseded_by ? [r.superseded_by] : [],
      });
    }
    if (n.superseded_by) {
      const review = n.review_events.findLast((r) => r.action === "supersede");
      ev({
        at: review?.at ?? n.updated_at,
        memory_id: n.id,
        kind: "superseded",
        summary: "superseded",
        to_status: "stale",
        ...(review ? { actor: review.actor, via: review.via } : {}),
        related_ids: [n.superseded_by],
      });
    }
    if (n.archived) {
      ev({ at: n.updated_at, memory_id: n.id, kind: "archived", summary: "archived" });
    } else if (Date.parse(n.updated_at) > Date.parse(n.created_at) && !n.review_events.length) {
      ev({
        at: n.updated_at,
        memory_id: n.id,
        kind: "state_snapshot",
        summary: `state: ${n.status}`,
        to_status: n.status,
      });
    }
    for (const c of n.contradicts_with) {
      if (!ids.has(c) || c < n.id) continue; // once per pair, from the lower id
      const other = byId.get(c)!;
      const at = Date.parse(other.created_at) > Date.parse(n.created_at)
        ? other.created_at
        : n.created_at;
      ev({ at, memory_id: n.id, kind: "contradicted", summary: "contradiction", related_ids: [c] });
    }
  }
  return events.sort((a, b) =>
    Date.parse(a.at) - Date.parse(b.at) || cmp(a.memory_id, b.memory_id) ||
    cmp(a.summary, b.summary)
  );
}

/** `MemoryHistoryView` (`history show`). */
export interface HistoryView {
  namespace: string;
  root_id: string;
  visible_memory_ids: string[];
  nodes: PassportEntry[];
  edges: HistoryEdge[];
  timeline: HistoryEvent[];
  branch_safe: true;
}

/**
 * The history of `rootId` as a view (no hash).
 *
 * @example
 * ```ts
 * historyView("proj", id, records).edges.length;
 * ```
 */
export function historyView(
  namespace: string,
  rootId: string,
  records: readonly MemoryRecord[],
): HistoryView {
  const nodes = historyNodes(rootId, records);
  return {
    namespace,
    root_id: rootId,
    visible_memory_ids: nodes.filter((n) => !n.archived).map((n) => n.id),
    nodes: nodes.map(entryFromRecord),
    edges: historyEdges(nodes),
    timeline: historyTimeline(nodes),
    branch_safe: true,
  };
}

/** Options for {@link buildHistory}. */
export interface BuildHistoryOptions {
  namespace: string;
  historyId: string;
  exportedAt: Date;
  contract: RuntimeExportMetadata;
}

/**
 * A history bundle tree (Rust typed form) with its integrity hash set; category and
 * metadata travel in the additive `x_memoryoss` field, and kept additive fields are written
 * back, as in passports.
 *
 * @example
 * ```ts
 * verify(buildHistory(id, records, { namespace: "proj", historyId, exportedAt, contract })).ok;
 * ```
 */
export function buildHistory(
  rootId: string,
  records: readonly MemoryRecord[],
  o: BuildHistoryOptions,
): JsonObject {
  const nodes = historyNodes(rootId, records);
  const plain = {
    bundle_version: HISTORY_VERSION,
    history_id: o.historyId,
    root_id: rootId,
    runtime_contract: o.contract,
    namespace: o.namespace,
    exported_at: chronoJsonTimestamp(o.exportedAt),
    memories: nodes.map(entryFromRecord),
    edges: historyEdges(nodes),
    timeline: historyTimeline(nodes),
    integrity: { algorithm: "sha256", payload_sha256: "" },
  };
  return finishBundleTree(historyTree(HistoryBundle.parse(plain)), nodes, "history");
}
