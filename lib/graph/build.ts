/**
 * Automatic edges for one memory. Bounded work, so it can run inside the write transaction:
 * two indexed look-ups for temporal order, one unranked FTS phrase query per entity (at most
 * 5), one unranked FTS query per causal clause (at most 3), and — only when a vector index is
 * passed — one nearest-neighbour search for semantic edges (bulk imports skip it; `graph
 * rebuild` and the drain add them).
 *
 * One {@link linkMemories} call (an import batch, a rebuild) shares its look-ups: the memories
 * do not change during the call, so an FTS query, a loaded record or a word set computed for
 * one memory is reused for the next, and an edge both ends compute is sealed and written once.
 */
import type { Store, StoredMemory } from "../store/mod.ts";
import {
  contentWords,
  ftsPhraseQuery,
  ftsQuote,
  type TermStats,
  type VectorIndex,
  words,
} from "../recall/mod.ts";
import { deleteAutoEdges, deleteAutoTemporalEdge, type Edge, type EdgeKind } from "../store/mod.ts";
import { extractEntities, mentions } from "./entities.ts";
import { causalClauses, clauseStems, stemOverlap } from "./causal.ts";
import { LinkContext } from "./link_context.ts";

/** Tunables; the defaults are what the eval in docs/benchmarks.md measured. */
export const GRAPH_LIMITS = {
  /** Entities of one memory that get edges (each costs one FTS look-up on the write path). */
  maxEntities: 5,
  /** Other memories linked per entity (the nearest in time). */
  perEntity: 5,
  /** An entity in more memories than this is a hub ("Denver" in a move diary): no edges. */
  maxEntityDf: 24,
  /** Causal clauses of one memory that are resolved. */
  maxClauses: 3,
  /** Share of a clause's content words another memory must state to be its cause/effect. */
  causalOverlap: 0.5,
  /** Semantic neighbours per memory, and the cosine they need. */
  semanticK: 3,
  semanticThreshold: 0.72,
};

/** Above this many memories (any namespace) with its rarest word, an entity is a hub. */
const HUB_DF = 400;

/** What {@link linkMemories} needs besides the store. */
export interface LinkOptions {
  /** Vector index for semantic edges; without it no semantic edges are built. */
  index?: Pick<VectorIndex, "search" | "get">;
  /**
   * The memories are new, or the namespace's automatic edges were just cleared (rebuild): skip
   * the per-memory delete, which in a rebuild would also drop edges that earlier memories of
   * the rebuild made to this one.
   */
  fresh?: boolean;
  now?: string;
  /**
   * Term statistics: causal candidates then come from an AND of the clause's two rarest words
   * (cheap at any size) instead of an OR of all of them ranked by bm25.
   */
  stats?: Pick<TermStats, "df">;
  /**
   * Memories the caller just wrote (pk and plaintext record; others may be among them): used
   * instead of loading and opening them again. Only id, namespace, session, created_at and
   * content are read.
   */
  records?: readonly StoredMemory[];
  /**
   * Remember hub entities across calls on this store (the write path: an import asks about
   * the same popular names batch after batch). Adding memories never makes a hub rare again;
   * a hard delete anywhere drops what was remembered. A content update that removes a hub
   * entity from memories is only seen by a later rebuild or process (rebuilds recount).
   */
  rememberHubs?: boolean;
}

/** Edges written per kind. */
export type EdgeTally = Record<EdgeKind, number>;

/** A tally with every kind at 0. */
export function emptyTally(): EdgeTally {
  return { temporal: 0, entity: 0, causal: 0, semantic: 0 };
}

/**
 * (Re)compute the automatic edges of the memories `ids`. Manual edges are never touched. Call
 * inside the transaction that wrote the memories, so edges and memories commit together.
 */
export function linkMemories(store: Store, ids: readonly string[], opts: LinkOptions = {}) {
  const tally = emptyTally();
  const ctx = new LinkContext(store, opts.records);
  if (opts.rememberHubs) ctx.rememberHubs();
  const mems = ctx.byIds(ids);
  ctx.placeAll(mems, opts.fresh ?? false);
  for (const m of mems) {
    const id = m.record.id;
    if (!opts.fresh) {
      // Edges computed so far must land before this memory's are cleared (sequential order).
      ctx.flush();
      deleteAutoEdges(store, id);
    }
    const now = opts.now ?? new Date().toISOString();
    for (const e of autoEdges(ctx, m, opts)) {
      ctx.put({ ...e, namespace: m.record.namespace, origin: "auto", created_at: now });
      tally[e.kind]++;
    }
  }
  ctx.flush();
  return tally;
}

type Draft = Pick<Edge, "src" | "dst" | "kind" | "weight" | "detail">;

function autoEdges(ctx: LinkContext, m: StoredMemory, opts: LinkOptions): Draft[] {
  return [
    ...temporalEdges(ctx, m),
    ...entityEdges(ctx, m, opts.stats),
    ...causalEdges(ctx, m, opts.stats),
    ...(opts.index ? semanticEdges(ctx.store, opts.index, m) : []),
  ];
}

const hoursBetween = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 3_600_000;

/** The previous and next memory of the same session: a chain in time order. */
function temporalEdges(ctx: LinkContext, m: StoredMemory): Draft[] {
  const r = m.record;
  if (!r.session) return [];
  const { prev, next } = ctx.place(m);
  const out: Draft[] = [];
  const edge = (src: string, dst: string, gap: number): Draft => ({
    src,
    dst,
    kind: "temporal",
    // Same-sitting neighbours weigh ~1; a gap of days within a long session weighs less.
    weight: Math.max(0.2, 1 / (1 + gap / 24)),
    detail: { session: r.session, gap_hours: Math.round(gap * 100) / 100 },
  });
  if (prev) out.push(edge(prev.id, r.id, hoursBetween(prev.created_at, r.created_at)));
  if (next) out.push(edge(r.id, next.id, hoursBetween(r.created_at, next.created_at)));
  if (prev && next && !ctx.isNew(prev.id) && !ctx.isNew(next.id)) {
    // A memory inserted between two others splits their link: the chain stays a chain. (An
    // automatic edge to a memory of this call that is new can only have been made by it.)
    deleteAutoTemporalEdge(ctx.store, prev.id, next.id);
  }
  return out;
}

/** Memories sharing a rare entity, the nearest in time per entity; weight by rarity. */
function entityEdges(ctx: LinkContext, m: StoredMemory, stats?: LinkOptions["stats"]): Draft[] {
  const r = m.record;
  const byOther = new Map<string, { weight: number; entities: string[] }>();
  const at = Date.parse(r.created_at);
  for (const e of extractEntities(r.content, GRAPH_LIMITS.maxEntities)) {
    const match = ftsPhraseQuery(e.text);
    if (!match) continue;
    // Cached document frequencies bound the phrase count from above: a word in thousands of
    // memories would make this a hub anyway, so skip it without touching the index.
    const parts = words(e.text);
    const dfs = stats ? parts.map((w) => ctx.df(stats, w)) : [];
    if (stats && Math.min(...dfs) > HUB_DF) continue;
    if (ctx.isHub(r.namespace, match)) continue;
    if (stats && (parts.length > 1 || dfs[0] <= 2)) {
      // Most entities ("ENG-5295", "v1-delta-4321", a commit hash) are in this memory alone.
      // Whether any other memory has its two rarest words, which every phrase match contains,
      // is one plain index look-up: far cheaper than the phrase query in the namespace. The
      // cached counts only pick the words and the path; the index decides.
      const rare = parts.map((w, i) => ({ w, df: dfs[i] })).sort((a, b) => a.df - b.df);
      const probe = rare.slice(0, 2).map((x) => ftsQuote(x.w)).join(" AND ");
      if (!ctx.elsewhere(probe, m.pk)) continue;
    }
    const all = ctx.matches(match, r.namespace, GRAPH_LIMITS.maxEntityDf + 2);
    if (all.length >= GRAPH_LIMITS.maxEntityDf + 2) ctx.markHub(r.namespace, match);
    const pks = all.filter((pk) => pk !== m.pk);
    // More phrase matches than a rare entity has: a hub, skipped before loading any row.
    if (pks.length === 0 || pks.length > GRAPH_LIMITS.maxEntityDf) continue;
    const weight = 1 / (1 + Math.log(pks.length));
    // Nearest in time first; rows are loaded (and opened) only until enough really mention it.
    const times = [...ctx.times(pks)].map(([pk, t]) => ({ pk, t }));
    times.sort((a, b) => Math.abs(a.t - at) - Math.abs(b.t - at) || a.pk - b.pk);
    let linked = 0;
    for (let i = 0; i < times.length && linked < GRAPH_LIMITS.perEntity; i += 8) {
      for (const o of ctx.records(times.slice(i, i + 8).map((t) => t.pk))) {
        if (linked >= GRAPH_LIMITS.perEntity || !mentions(o.record.content, e)) continue;
        const cur = byOther.get(o.record.id) ?? { weight: 0, entities: [] };
        cur.weight = Math.min(1, cur.weight + weight);
        cur.entities.push(e.key);
        byOther.set(o.record.id, cur);
        linked++;
      }
    }
  }
  return [...byOther].map(([other, v]) => {
    const [src, dst] = other < r.id ? [other, r.id] : [r.id, other];
    return {
      src,
      dst,
      kind: "entity" as const,
      weight: v.weight,
      detail: { entities: v.entities },
    };
  });
}

const EFFECT_CUES = new Set([
  "therefore",
  "thus",
  "hence",
  "which is why",
  "which meant",
  "which means",
  "as a result",
  "that's why",
  "that is why",
  "led to",
  "leads to",
  "resulted in",
  "results in",
  "caused",
  "so that",
]);

/** Cause → effect links from "because / due to / so / therefore / as a result" clauses. */
function causalEdges(ctx: LinkContext, m: StoredMemory, stats?: LinkOptions["stats"]): Draft[] {
  const r = m.record;
  const out: Draft[] = [];
  for (const c of causalClauses(r.content).slice(0, GRAPH_LIMITS.maxClauses)) {
    // "X because Y": this memory states X, so look for the one stating Y (its cause). "X, so
    // Y": look for the one stating Y (its effect). The side this memory itself states would
    // only find near-duplicates of it.
    const side = c.cue === "so" || EFFECT_CUES.has(c.cue) ? "effect" : "cause";
    {
      const clause = c[side];
      const opposite = c[side === "cause" ? "effect" : "cause"];
      if (!clause || contentWords(clause).length < 2) continue;
      const best = bestStatement(ctx, r.namespace, r.id, clause, opposite, stats);
      if (!best) continue;
      const [src, dst] = side === "cause" ? [best.id, r.id] : [r.id, best.id];
      out.push({
        src,
        dst,
        kind: "causal",
        weight: best.overlap,
        detail: { cue: c.cue, clause: clause.slice(0, 160) },
      });
    }
  }
  return out;
}

/** The other memory that best states `clause` on its own, if one states enough of it. */
function bestStatement(
  ctx: LinkContext,
  namespace: string,
  selfId: string,
  clause: string,
  opposite: string | null,
  stats?: LinkOptions["stats"],
): { id: string; overlap: number } | null {
  const words = [...new Set(contentWords(clause))];
  let pks: number[];
  if (stats) {
    // A memory stating at least half the clause almost always shares its two rarest words.
    // Words only this memory has (df 1: itself) cannot lead anywhere, so they are skipped.
    const rare = words.map((w) => ({ w, df: ctx.df(stats, w) })).filter((x) => x.df >= 2)
      .sort((a, b) => a.df - b.df).slice(0, 2).map((x) => x.w);
    if (rare.length === 0) return null;
    pks = ctx.matches(rare.map(ftsQuote).join(" AND "), namespace, 16);
  } else {
    const match = words.slice(0, 10).map(ftsQuote).join(" OR ");
    if (!match) return null;
    pks = ctx.store.fts(match, { namespace, archived: "include" }, 8).map((h) => h.pk);
  }
  const want = clauseStems(clause);
  const against = opposite ? clauseStems(opposite) : null;
  let best: { id: string; overlap: number } | null = null;
  for (const o of ctx.records(pks)) {
    if (o.record.id === selfId) continue;
    const have = ctx.stems(o);
    const overlap = stemOverlap(want, have);
    // A memory stating both sides restates this one; it is not a separate cause or effect.
    if (against && stemOverlap(against, have) >= 0.7) continue;
    if (overlap >= GRAPH_LIMITS.causalOverlap && (!best || overlap > best.overlap)) {
      best = { id: o.record.id, overlap };
    }
  }
  return best;
}

/** The nearest memories by cosine, above the threshold. */
function semanticEdges(
  store: Store,
  index: NonNullable<LinkOptions["index"]>,
  m: StoredMemory,
): Draft[] {
  const vec = index.get(m.pk);
  if (!vec) return [];
  const near = index.search(m.record.namespace, vec, GRAPH_LIMITS.semanticK + 1)
    .filter((h) => h.pk !== m.pk && h.score >= GRAPH_LIMITS.semanticThreshold)
    .slice(0, GRAPH_LIMITS.semanticK);
  const cos = new Map(near.map((h) => [h.pk, h.score]));
  return store.getMany(near.map((h) => h.pk)).map((o) => {
    const [src, dst] = o.record.id < m.record.id ? [o.record.id, m.record.id] : [
      m.record.id,
      o.record.id,
    ];
    const weight = cos.get(o.pk)!;
    return { src, dst, kind: "semantic" as const, weight, detail: { cosine: weight } };
  });
}
