/**
 * `recall` on validated input, and a plain-input check that vouches for the CLI's shapes
 * without the schema. `read.ts` adds the schema (`recall(rt, raw)`, what HTTP and MCP call);
 * `cli/recall.ts` imports this module directly, so a recall from the shell loads neither zod
 * nor the rest of the lib/memory barrel (start-up: docs/benchmarks.md "Start-up").
 *
 * @module
 */
import {
  CATEGORIES,
  MEMORY_TYPES,
  type MemoryRecord,
  openSealedAsync,
  STATUSES,
} from "../store/mod.ts";
import { identifierOnly, type RecallHit, recallHybrid, type RecallOutcome } from "../recall/mod.ts";
import { graphExpander } from "../graph/expand.ts";
import { filterFrom } from "./filters.ts";
import { oneOf, plainNamespace } from "./store_plain.ts";
import type { Runtime } from "./runtime.ts";
import type { RecallInput } from "./schemas.ts";

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
    /** Vector mode only: why other channels answered ({@link VectorFallback}). */
    fallback?: VectorFallback;
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

const PLAIN_KEYS = [
  "query",
  "limit",
  "namespace",
  "tags",
  "agent",
  "session",
  "memory_type",
  "category",
  "status",
  "include_archived",
  "explain",
  "mode",
  "graph",
];
const text = (v: unknown): v is string => typeof v === "string" && v.isWellFormed();

/**
 * `raw` as `RecallInputSchema` would return it when it is plainly valid: only the fields the
 * CLI builds (`query`, `limit`, `namespace`, the filters but the time bounds, `status`,
 * `include_archived`, `explain`, `mode`, `graph`), each well within the schema's rules.
 * Anything else is null and the caller validates with the schema, which accepts or names the
 * problem; so this never accepts what the schema refuses (tests/recall/plain_input_test.ts).
 */
export function plainRecallInput(raw: unknown): RecallInput | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!PLAIN_KEYS.includes(k)) return null;
  const has = (k: string) => Object.hasOwn(r, k);
  const { query, limit, namespace, tags, status } = r;
  if (!text(query) || query.trim().length === 0) return null;
  if (
    has("limit") && !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= 100)
  ) {
    return null;
  }
  if (has("namespace") && !plainNamespace(namespace)) return null;
  if (
    has("tags") &&
    !(Array.isArray(tags) && tags.every((t) => text(t) && t.length >= 1 && t.length <= 256))
  ) return null;
  if (has("agent") && typeof r.agent !== "string") return null;
  if (has("session") && typeof r.session !== "string") return null;
  if (has("memory_type") && !oneOf(MEMORY_TYPES, r.memory_type)) return null;
  if (has("category") && !oneOf(CATEGORIES, r.category)) return null;
  if (has("status") && !(Array.isArray(status) && status.every((s) => oneOf(STATUSES, s)))) {
    return null;
  }
  for (const k of ["include_archived", "explain", "graph"]) {
    if (has(k) && typeof r[k] !== "boolean") return null;
  }
  if (has("mode") && !oneOf(["hybrid", "bm25", "vector"], r.mode)) return null;
  // The schema's field order, and fresh arrays (the schema's output is a copy).
  const out: Record<string, unknown> = {};
  for (const k of PLAIN_KEYS) {
    if (has(k)) out[k] = Array.isArray(r[k]) ? [...(r[k] as unknown[])] : r[k];
  }
  return out as RecallInput;
}

/**
 * Hybrid recall of validated input. By default active and contested, non-archived memories
 * (what an agent should see); `status` and `include_archived` opt in to more.
 */
export async function recallValid(rt: Runtime, input: RecallInput): Promise<RecallResponse> {
  rt.syncIndex();
  // Contested memories stay visible (down-weighted, status shown): hiding both sides of a
  // conflict would make a fact the user just stored vanish.
  const filter = filterFrom(input, ["active", "contested"]);
  const cfg = rt.config.recall;
  const mode = input.mode ?? "hybrid";
  const run = (channels?: { vector?: boolean; fts?: boolean; exact?: boolean }) =>
    recallHybrid({
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
      channels,
    });
  let out = await run(
    mode === "bm25"
      ? { vector: false, exact: false }
      : mode === "vector"
      ? { fts: false, exact: false }
      : undefined,
  );
  const fallback = mode === "vector" ? await vectorFallback(input.query, out, run) : null;
  if (fallback) out = fallback.out;
  // The results' sealed fields in one WebCrypto batch (no Node crypto loaded to read them).
  await openSealedAsync(out.hits.map((h) => h.record));
  return {
    namespace: filter.namespace,
    query: input.query,
    memories: out.hits.map((h) => ({
      ...publicFields(h.record),
      score: round(h.score),
      provenance: h.provenance,
      ...(input.explain ? { explain: explainOf(h) } : {}),
    })),
    ...(input.explain
      ? {
        explain: {
          intent: out.intent,
          expansion: out.expansion ?? null,
          ...(out.time ? { time: out.time } : {}),
          ...(out.speakers ? { speakers: out.speakers } : {}),
          ...(out.entities ? { entities: out.entities } : {}),
          ...(fallback ? { fallback: fallback.why } : {}),
        },
      }
      : {}),
  };
}

/** Why vector mode answered from other channels (`explain.fallback`). */
export interface VectorFallback {
  /** `identifier`: the query is only identifiers; `no_vector_hits`: nothing passed the gate. */
  reason: "identifier" | "no_vector_hits";
  /** The channels that answered instead. */
  channels: ["exact", "fts"];
}

/**
 * Vector mode falls back rather than answering nothing or noise: a query that is only
 * identifiers (a commit hash, a hostname: no word the embedder can place), or one whose vector
 * channel finds nothing above its gate, is answered by the exact and bm25 channels when they find
 * something; each hit's provenance starts with `fallback:exact` or `fallback:bm25`. Any other
 * query keeps its vector-only answer (null).
 */
async function vectorFallback(
  query: string,
  vector: RecallOutcome,
  run: (channels: { vector: boolean }) => Promise<RecallOutcome>,
): Promise<{ out: RecallOutcome; why: VectorFallback } | null> {
  const reason = vector.hits.length === 0
    ? "no_vector_hits"
    : identifierOnly(query)
    ? "identifier"
    : null;
  if (!reason) return null;
  const out = await run({ vector: false });
  if (out.hits.length === 0) return null;
  for (const h of out.hits) {
    h.provenance.unshift(h.provenance.includes("exact") ? "fallback:exact" : "fallback:bm25");
  }
  return { out, why: { reason, channels: ["exact", "fts"] } };
}

/** One hit's channel scores (rounded), raw scores and graph path, as `explain` shows them. */
function explainOf(h: RecallHit): NonNullable<RecalledMemory["explain"]> {
  const c = h.channels;
  return {
    channels: {
      vector: round(c.vector),
      fts: round(c.fts),
      exact: round(c.exact),
      recency: round(c.recency),
      // Episode windows (lib/recall/episode.ts), when they ran.
      ...(c.context === undefined ? {} : {
        context: round(c.context),
        context_vector: round(c.context_vector ?? 0),
      }),
      // The time channel (lib/recall/time.ts), when the query names a time.
      ...(c.time === undefined ? {} : { time: round(c.time) }),
      // Conversation channels (lib/recall/speaker.ts, cooccur.ts), when they ran.
      ...(c.speaker === undefined ? {} : { speaker: c.speaker }),
      ...(c.entity === undefined ? {} : { entity: round(c.entity) }),
      // Word bridges (lib/recall/bridge.ts), when the query has some.
      ...(c.bridge === undefined ? {} : { bridge: round(c.bridge) }),
    },
    raw: h.raw,
    ...(h.graph ? { graph: h.graph } : {}),
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
