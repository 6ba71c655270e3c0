/** Read operations: recall, list, inspect, export and status. */
import type { MemoryFilter, MemoryRecord } from "../store/mod.ts";
import { filterFrom } from "./filters.ts";
import {
  embedderStats,
  embeddingFingerprint,
  namespaceStats,
  SCHEMA_VERSION,
  SqliteEngine,
} from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { type ListInput, ListInputSchema, parseInput, RecallInputSchema } from "./schemas.ts";
import { type RecallResponse, recallValid } from "./recall.ts";
import { DEFAULT_NAMESPACE, requireMemory } from "./write.ts";

export type { RecalledMemory, RecallResponse } from "./recall.ts";

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Hybrid recall. By default active and contested, non-archived memories (what an agent should see);
 * `status` and `include_archived` opt in to more. The work is `recallValid` (recall.ts).
 */
export async function recall(rt: Runtime, raw: unknown): Promise<RecallResponse> {
  return await recallValid(rt, parseInput(RecallInputSchema, raw));
}

/** `list` output. */
export interface ListResponse {
  namespace: string;
  total: number;
  offset: number;
  /** The offset of the next page; null on the last page. */
  next_offset: number | null;
  memories: MemoryRecord[];
}

/** Browse a namespace, newest first, with filters and paging (follow `next_offset`). */
export function listMemories(rt: Runtime, raw: unknown): ListResponse {
  const input: ListInput = parseInput(ListInputSchema, raw);
  const filter = filterFrom(input);
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  const total = rt.store.count(filter);
  const memories = rt.store.list(filter, { limit, offset, order: input.order }).map((m) =>
    m.record
  );
  const next = offset + memories.length;
  return {
    namespace: filter.namespace,
    total,
    offset,
    next_offset: memories.length > 0 && next < total ? next : null,
    memories,
  };
}

/** The full record plus derived facts a person inspecting it wants. */
export function inspectMemory(rt: Runtime, id: string, namespace?: string) {
  const m = requireMemory(rt, id, namespace);
  const r = m.record;
  const row = embeddingFingerprint(rt.store, m.pk);
  return {
    ...r,
    has_embedding: row.embedder_id !== null,
    embedder_id: row.embedder_id,
    embedding_dim: row.dim,
    embedding_current: row.embedder_id === rt.embedder.id,
    eligible_for_injection: r.status === "active" && !r.archived,
    age_hours: round((rt.now().getTime() - Date.parse(r.created_at)) / 3_600_000),
    contradiction_count: r.contradicts_with.length,
  };
}

/** `export` output: every live record of a namespace, without embeddings. */
export function exportNamespace(rt: Runtime, namespace = DEFAULT_NAMESPACE) {
  const filter: MemoryFilter = { namespace };
  const memories: MemoryRecord[] = [];
  for (let offset = 0;; offset += 1000) {
    const page = rt.store.list(filter, { limit: 1000, offset, order: "oldest" });
    memories.push(...page.map((m) => m.record));
    if (page.length < 1000) break;
  }
  return {
    format: "memoryoss.export.v1",
    namespace,
    exported_at: rt.now().toISOString(),
    count: memories.length,
    memories,
  };
}

/** Store-wide status: namespaces, counts, embedder and index health. */
export function status(rt: Runtime) {
  rt.syncIndex();
  let dbBytes = 0;
  for (const suffix of ["", "-wal"]) {
    try {
      dbBytes += Deno.statSync(rt.loaded.dbPath + suffix).size;
    } catch { /* the WAL may not exist */ }
  }
  const embedders = embedderStats(rt.store);
  const stale = embedders.filter((e) => e.embedder_id !== rt.embedder.id)
    .reduce((n, e) => n + e.n, 0);
  const namespaces = namespaceStats(rt.store);
  // The engine serving this home (a Postgres home is refused at config load before this).
  const engine = new SqliteEngine(rt.store).describe();
  return {
    home: rt.loaded.home,
    config_path: rt.loaded.configPath,
    db_path: rt.loaded.dbPath,
    db_bytes: dbBytes,
    schema_version: SCHEMA_VERSION,
    storage: {
      engine: engine.engine,
      path: engine.location,
      schema_version: engine.schema_version,
    },
    embedder: { id: rt.embedder.id, dim: rt.embedder.dim },
    embedders_in_store: embedders,
    needs_reembed: stale,
    vector_index_size: rt.index.size(),
    namespaces,
    total_memories: namespaces.reduce((n, s) => n + s.total, 0),
    last_activity: namespaces.reduce<string | null>(
      (a, s) => (s.last_updated_at && (!a || s.last_updated_at > a) ? s.last_updated_at : a),
      null,
    ),
  };
}
