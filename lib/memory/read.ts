/** Read operations: recall, list, inspect, export and status. */
import type { MemoryFilter, MemoryRecord } from "../store/mod.ts";
import { filterFrom } from "./filters.ts";
import { embedderStats, namespaceStats, SCHEMA_VERSION } from "../store/mod.ts";
import { type RecallHit, recallHybrid, type RecallOutcome } from "../recall/mod.ts";
import { graphExpander } from "../graph/mod.ts";
import type { Runtime } from "./runtime.ts";
import {
  type ListInput,
  ListInputSchema,
  parseInput,
  type RecallInput,
  RecallInputSchema,
} from "./schemas.ts";
import { DEFAULT_NAMESPACE, requireMemory } from "./write.ts";

/** One recalled memory as every surface returns it (no raw embeddings). */
export interface RecalledMemory {
  id: string;
  content: string;
  tags: string[];
  score: number;
  created_at: string;
  updated_at: string;
  namespace: string;
  agent: string | null;
  session: string | null;
  memory_type: string;
  category: string | null;
  status: string;
  metadata: Record<string, unknown>;
  provenance: string[];
  explain?: {
    channels: RecallHit["channels"];
    raw: RecallHit["raw"];
    graph?: RecallHit["graph"];
  };
}

/** `recall` output. */
export interface RecallResponse {
  namespace: string;
  query: string;
  memories: RecalledMemory[];
  /** With `explain`: the query's intent and what graph expansion did. */
  explain?: {
    intent: RecallOutcome["intent"];
    expansion: RecallOutcome["expansion"] | null;
    /** The time windows the query names (the time channel ran for these). */
    time?: RecallOutcome["time"];
    /** Speakers the query names, and names of the best hits searched again (lib/recall). */
    speakers?: string[];
    entities?: string[];
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Hybrid recall. By default active and contested, non-archived memories (what an agent should see);
 * `status` and `include_archived` opt in to more.
 */
export async function recall(rt: Runtime, raw: unknown): Promise<RecallResponse> {
  const input: RecallInput = parseInput(RecallInputSchema, raw);
  rt.syncIndex();
  // Contested memories stay visible (down-weighted, status shown): hiding both sides of a
  // conflict would make a fact the user just stored vanish.
  const filter = filterFrom(input, ["active", "contested"]);
  const cfg = rt.config.recall;
  const mode = input.mode ?? "hybrid";
  const out = await recallHybrid({
    store: rt.store,
    index: rt.index,
    embedder: rt.embedder,
    stats: rt.stats,
    now: rt.now,
    graph: mode === "hybrid" && (input.graph ?? cfg.graph) ? graphExpander(rt.store) : undefined,
  }, {
    query: input.query,
    filter,
    limit: input.limit ?? cfg.default_limit,
    weights: { ...cfg.weights, ...input.weights },
    min_channel_score: input.min_channel_score ?? cfg.min_channel_score,
    diversity_factor: input.diversity_factor ?? cfg.diversity_factor,
    channels: mode === "bm25"
      ? { vector: false, exact: false }
      : mode === "vector"
      ? { fts: false, exact: false }
      : undefined,
  });
  return {
    namespace: filter.namespace,
    query: input.query,
    memories: out.hits.map((h) => ({
      ...publicFields(h.record),
      score: round(h.score),
      provenance: h.provenance,
      ...(input.explain
        ? {
          explain: {
            channels: {
              vector: round(h.channels.vector),
              fts: round(h.channels.fts),
              exact: round(h.channels.exact),
              recency: round(h.channels.recency),
              // Episode windows (lib/recall/episode.ts), when they ran.
              ...(h.channels.context === undefined ? {} : {
                context: round(h.channels.context),
                context_vector: round(h.channels.context_vector ?? 0),
              }),
              // The time channel (lib/recall/time.ts), when the query names a time.
              ...(h.channels.time === undefined ? {} : { time: round(h.channels.time) }),
              // Conversation channels (lib/recall/speaker.ts, cooccur.ts), when they ran.
              ...(h.channels.speaker === undefined ? {} : { speaker: h.channels.speaker }),
              ...(h.channels.entity === undefined ? {} : { entity: round(h.channels.entity) }),
            },
            raw: h.raw,
            ...(h.graph ? { graph: h.graph } : {}),
          },
        }
        : {}),
    })),
    ...(input.explain
      ? {
        explain: {
          intent: out.intent,
          expansion: out.expansion ?? null,
          ...(out.time ? { time: out.time } : {}),
          ...(out.speakers ? { speakers: out.speakers } : {}),
          ...(out.entities ? { entities: out.entities } : {}),
        },
      }
      : {}),
  };
}

function publicFields(r: MemoryRecord): Omit<RecalledMemory, "score" | "provenance"> {
  return {
    id: r.id,
    content: r.content,
    tags: r.tags,
    created_at: r.created_at,
    updated_at: r.updated_at,
    namespace: r.namespace,
    agent: r.agent,
    session: r.session,
    memory_type: r.memory_type,
    category: r.category,
    status: r.status,
    metadata: r.metadata,
  };
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
  const row = rt.store.db.prepare("SELECT embedder_id, dim FROM memories WHERE pk = ?").get(
    m.pk,
  ) as { embedder_id: string | null; dim: number | null };
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
  return {
    home: rt.loaded.home,
    config_path: rt.loaded.configPath,
    db_path: rt.loaded.dbPath,
    db_bytes: dbBytes,
    schema_version: SCHEMA_VERSION,
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
