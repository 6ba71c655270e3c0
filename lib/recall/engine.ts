/**
 * Hybrid recall: vector, bm25 and exact-identifier channels, each restricted to the caller's
 * namespace and filters before top-k, fused with recency and status factors.
 */
import {
  type MemoryFilter,
  type MemoryRecord,
  needsRowLookup,
  statusBit,
  type Store,
} from "../store/mod.ts";
import { ftsOr, ftsPhraseQuery, queryTerms } from "./text.ts";
import type { TermStats } from "./term_stats.ts";
import { recencyScores, temporalIntent } from "./temporal.ts";

/** Recency weight used when the query states a temporal intent. */
const TEMPORAL_RECENCY_WEIGHT = 0.3;
import { extractIdentifiers, type Identifier } from "./identifiers.ts";
import type { VectorIndex } from "./vector_index.ts";
import {
  type ChannelScores,
  compareScored,
  diversify,
  fuse,
  normalizeRelative,
  normalizeVector,
  type Scored,
  type Weights,
} from "./fusion.ts";

/** What the engine needs to embed a query. */
export interface QueryEmbedder {
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Everything recall reads; passed in so tests can use real temp stores and a fake clock. */
export interface RecallDeps {
  store: Store;
  index: VectorIndex;
  embedder: QueryEmbedder;
  /** Term statistics for pruning very common query terms on large stores. */
  stats?: TermStats;
  now?: () => Date;
}

/** A recall request after validation. */
export interface RecallParams {
  query: string;
  filter: MemoryFilter;
  limit: number;
  weights: Weights;
  min_channel_score: number;
  diversity_factor: number;
  /** Which channels run; bm25-only is the benchmark baseline. */
  channels?: { vector?: boolean; fts?: boolean; exact?: boolean };
  query_embedding?: Float32Array;
}

/** One result with its explanation. */
export interface RecallHit {
  record: MemoryRecord;
  score: number;
  channels: ChannelScores;
  /** Raw channel values before normalization (cosine, bm25, exact). */
  raw: { vector: number | null; fts: number | null; exact: number | null };
  provenance: string[];
}

/** The result of {@link recallHybrid}. */
export interface RecallOutcome {
  hits: RecallHit[];
  identifiers: Identifier[];
  candidates: number;
}

/** Run hybrid recall. */
export async function recallHybrid(deps: RecallDeps, p: RecallParams): Promise<RecallOutcome> {
  const now = deps.now?.() ?? new Date();
  const ch = { vector: true, fts: true, exact: true, ...p.channels };
  const k = Math.max(p.limit * 5, 50);
  // Status lives in the vector index; other filters resolve the matching rows once.
  const allow = needsRowLookup(p.filter) ? new Set(deps.store.pks(p.filter)) : undefined;
  const statusMask = p.filter.statuses?.length
    ? p.filter.statuses.reduce((m, s) => m | statusBit(s), 0)
    : undefined;
  const identifiers = ch.exact ? extractIdentifiers(p.query) : [];

  const vecRaw = new Map<number, number>();
  if (ch.vector && (!allow || allow.size > 0)) {
    const q = p.query_embedding ?? (await deps.embedder.embed([p.query]))[0];
    for (const h of deps.index.search(p.filter.namespace, q, k, allow, statusMask)) {
      if (h.score > 0) vecRaw.set(h.pk, h.score);
    }
  }
  const ftsRaw = new Map<number, number>();
  if (ch.fts) {
    const terms = queryTerms(p.query);
    const match = ftsOr(
      deps.stats
        ? deps.stats.selectTerms(terms, { max: 24, maxPostings: 30_000 })
        : terms.slice(0, 24),
    );
    if (match) { for (const h of deps.store.fts(match, p.filter, k)) ftsRaw.set(h.pk, h.score); }
  }
  const exactRaw = new Map<number, number>();
  const exactWhy = new Map<number, string>();
  for (const id of identifiers) {
    const match = ftsPhraseQuery(id.text);
    if (!match) continue;
    const hits = deps.store.fts(match, p.filter, k);
    if (hits.length === 0) continue;
    const recs = new Map(deps.store.getMany(hits.map((h) => h.pk)).map((m) => [m.pk, m.record]));
    const needle = id.text.toLowerCase();
    for (const h of hits) {
      // A literal occurrence beats a phrase match over the identifier's parts.
      const literal = recs.get(h.pk)?.content.toLowerCase().includes(needle) ?? false;
      const s = h.score * (literal ? 1.5 : 1.0) * id.specificity;
      if (s > (exactRaw.get(h.pk) ?? 0)) {
        exactRaw.set(h.pk, s);
        exactWhy.set(h.pk, `identifier_match:${id.text.slice(0, 48)}`);
      }
    }
  }

  const vec = normalizeVector(vecRaw);
  const fts = normalizeRelative(ftsRaw);
  const exact = normalizeRelative(exactRaw);
  const pks = [...new Set([...vec.keys(), ...fts.keys(), ...exact.keys()])];
  const records = deps.store.getMany(pks);
  const intent = temporalIntent(p.query);
  const recency = recencyScores(
    new Map(records.map((m) => [m.pk, m.record.created_at])),
    intent,
    now,
  );
  // A query that asks about time gets a recency weight that can actually reorder candidates.
  const weights = intent.kind === "none"
    ? p.weights
    : { ...p.weights, recency: Math.max(p.weights.recency, TEMPORAL_RECENCY_WEIGHT) };

  const scored: (Scored & { hit: RecallHit })[] = [];
  for (const { pk, record } of records) {
    // Defence in depth: channels already filtered, but the store is shared by processes.
    if (record.namespace !== p.filter.namespace) continue;
    if (allow && !allow.has(pk)) continue;
    if (p.filter.statuses?.length && !p.filter.statuses.includes(record.status)) continue;
    if (record.archived && (p.filter.archived ?? "exclude") === "exclude") continue;
    const c: ChannelScores = {
      vector: vec.get(pk) ?? 0,
      fts: fts.get(pk) ?? 0,
      exact: exact.get(pk) ?? 0,
      recency: recency.get(pk) ?? 0,
    };
    // Recency alone is no reason to return a memory: some channel must relate it to the query.
    const best = Math.max(c.vector, c.fts, c.exact);
    if (best <= 0 || best < p.min_channel_score) continue;
    const provenance: string[] = [];
    if (vecRaw.has(pk)) provenance.push("vector");
    if (ftsRaw.has(pk)) provenance.push("fts");
    if (exactRaw.has(pk)) provenance.push("exact", exactWhy.get(pk)!);
    if (intent.kind !== "none") provenance.push(`temporal:${intent.kind}`);
    const score = fuse(c, weights, record);
    scored.push({
      pk,
      record,
      score,
      hit: {
        record,
        score,
        channels: c,
        raw: {
          vector: vecRaw.get(pk) ?? null,
          fts: ftsRaw.get(pk) ?? null,
          exact: exactRaw.get(pk) ?? null,
        },
        provenance,
      },
    });
  }
  scored.sort(compareScored);
  const picked = diversify(scored, p.limit, p.diversity_factor);
  return { hits: picked.map((s) => s.hit), identifiers, candidates: scored.length };
}
