/**
 * Episode channels (lib/store/context.ts keeps the episodes): a turn of a conversation means
 * little without the turns around it ("I'll take the blue one" answers "which colour?").
 *
 * - `context`: bm25 over each memory's window (its speaker, its content, its neighbours' lines
 *   with their speakers), stored beside the memory.
 * - `context_vector`: the cosine between the query and the memory's window vector, its own
 *   vector plus its neighbours' (weight {@link EpisodeWeights.neighbour}), computed exactly
 *   from the stored vectors at recall time.
 * - expansion: the strongest hits lend their episode neighbours a decaying share of their score.
 *
 * The channels blend into the bm25 and vector channels (`fts' = (1 − a)·fts + a·context`), so
 * the fused scale is unchanged. They count fully for turns of dialogue (memories with a
 * `metadata.speaker`) and by {@link EpisodeWeights.standalone} for other memories of an
 * episode (facts written to stand alone, such as a coding session's notes); a memory in no
 * episode is ranked exactly as without them.
 */
import {
  contextFts,
  type EpisodeLink,
  episodeLinks,
  type MemoryFilter,
  type MemoryRecord,
  type Store,
} from "../store/mod.ts";
import type { VectorIndex } from "./vector_index.ts";
import { normalizeRelative, normalizeVector, VEC_ABS_FLOOR } from "./fusion.ts";

/** How much the episode channels count; tuned on the tuning half of the conversational eval. */
export interface EpisodeWeights {
  /** Share of the bm25 channel given to window bm25 (0: own text only). */
  context: number;
  /** Weight of the neighbours' lines against the memory's own content in window bm25. */
  near: number;
  /** Weight of who said it (`metadata.speaker`) against the memory's own content. */
  speaker: number;
  /** Share of the vector channel given to the window vector. */
  context_vector: number;
  /** Weight of each neighbour's vector in a window vector (the memory's own has 1). */
  neighbour: number;
  /** Score share a hit lends a neighbour one step away (squared two steps away). */
  expand: number;
  /** Hits, from the top, whose neighbours are pulled in. */
  expand_seeds: number;
  /** Factor on all of the above for episode memories that are not turns of dialogue. */
  standalone: number;
}

/**
 * Defaults: tuned on the tuning half of the conversational eval (docs/benchmarks.md,
 * "Conversational recall eval"), except `standalone`, which that eval cannot see (every turn
 * has a speaker): 0 keeps the developer-memory eval (sessions of standalone notes) unchanged.
 */
export const EPISODE_WEIGHTS: Readonly<EpisodeWeights> = Object.freeze({
  context: 1,
  near: 0.25,
  speaker: 2,
  context_vector: 0.75,
  neighbour: 0.25,
  expand: 0.5,
  expand_seeds: 3,
  standalone: 0,
});

/** Episode links of the candidates that are in an episode. */
export type Links = Map<number, EpisodeLink>;

/** Raw window scores (bm25 and cosine) of the candidates, and their links. */
export interface EpisodeRaw {
  fts: Map<number, number>;
  vector: Map<number, number>;
  links: Links;
}

/** How much the episode channels count for a memory: 0 when it is in no episode. */
export function shareOf(links: Links, pk: number, w: EpisodeWeights): number {
  const l = links.get(pk);
  return !l ? 0 : l.turn ? 1 : w.standalone;
}

/** Memories next to the first `n` of `pks` in their episodes (not already in `pks`). */
function neighboursOf(store: Store, pks: number[], n: number): number[] {
  const have = new Set(pks);
  const out = new Set<number>();
  for (const l of episodeLinks(store, pks.slice(0, n)).values()) {
    for (const x of [l.prev, l.next]) if (x !== null && !have.has(x)) out.add(x);
  }
  return [...out];
}

function dot(a: Float32Array, b: Float32Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < a.length; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < a.length; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

/**
 * Window cosines for the memories of `pks` that are in an episode: cos(q, v + β·Σ neighbours'
 * v), exact, from the index's vectors (a memory without a vector gets none). Neighbouring
 * windows share vectors, so each vector's dot with the query and each neighbour pair's dot is
 * computed once.
 */
export function windowCosines(
  index: VectorIndex,
  q: Float32Array,
  pks: number[],
  links: Links,
  beta: number,
): Map<number, number> {
  const out = new Map<number, number>();
  const vecs = new Map<number, Float32Array | null>();
  const qdots = new Map<number, number>();
  const pairs = new Map<string, number>();
  const vec = (pk: number) => {
    if (!vecs.has(pk)) vecs.set(pk, index.get(pk));
    return vecs.get(pk)!;
  };
  const qdot = (pk: number, v: Float32Array) => {
    let d = qdots.get(pk);
    if (d === undefined) qdots.set(pk, d = dot(q, v));
    return d;
  };
  const pair = (a: number, b: number) => {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    let d = pairs.get(key);
    if (d === undefined) pairs.set(key, d = dot(vec(a)!, vec(b)!));
    return d;
  };
  for (const pk of pks) {
    const l = links.get(pk);
    const own = l ? vec(pk) : null;
    if (!l || !own) continue;
    const parts = [pk, l.prev, l.next].filter((x): x is number => x !== null && vec(x) !== null);
    let num = 0;
    let norm2 = 0;
    for (let i = 0; i < parts.length; i++) {
      const wi = i === 0 ? 1 : beta;
      num += wi * qdot(parts[i], vec(parts[i])!);
      norm2 += wi * wi;
      for (let j = i + 1; j < parts.length; j++) {
        norm2 += 2 * wi * (j === 0 ? 1 : beta) * pair(parts[i], parts[j]);
      }
    }
    out.set(pk, norm2 > 0 ? num / Math.sqrt(norm2) : 0);
  }
  return out;
}

/** Vector hits whose episode neighbours become candidates for the window vector channel. */
const NEIGHBOUR_SEEDS = 20;

/**
 * The episode channels' raw scores for a query: window bm25 hits, and window cosines for the
 * candidates plus the episode neighbours of the best vector hits (`q` null: no vectors).
 * Returns the candidates to consider beyond the base channels' (memories the weights give no
 * share are left out, so they change nothing).
 */
export function collectEpisodes(
  store: Store,
  index: VectorIndex,
  q: Float32Array | null,
  match: string | null,
  filter: MemoryFilter,
  k: number,
  base: { vector: Map<number, number>; others: Iterable<number> },
  w: EpisodeWeights,
  within: MemoryFilter | null = null,
): { raw: EpisodeRaw; candidates: number[] } {
  const fts = new Map<number, number>();
  // `within`: the query's time window (time.ts), searched as well as the whole filter.
  for (const f of match ? (within ? [filter, within] : [filter]) : []) {
    for (const h of contextFts(store, match!, f, k, w)) if (!fts.has(h.pk)) fts.set(h.pk, h.score);
  }
  const known = new Set([...base.vector.keys(), ...base.others]);
  const near = q ? neighboursOf(store, [...base.vector.keys()], NEIGHBOUR_SEEDS) : [];
  const all = [...new Set([...known, ...fts.keys(), ...near])];
  const links = episodeLinks(store, all);
  const counted = all.filter((pk) => shareOf(links, pk, w) > 0);
  for (const pk of fts.keys()) if (shareOf(links, pk, w) <= 0) fts.delete(pk);
  const vector = q ? windowCosines(index, q, counted, links, w.neighbour) : new Map();
  // A neighbour brought in only for its window vector is worth a record only when that
  // window clears the vector floor.
  const candidates = all.filter((pk) =>
    known.has(pk) || fts.has(pk) || (vector.get(pk) ?? 0) > VEC_ABS_FLOOR
  );
  return { raw: { fts, vector, links }, candidates };
}

/** Normalized window scores of the memories the episode channels count for. */
export function episodeScores(raw: EpisodeRaw): {
  fts: Map<number, number>;
  vector: Map<number, number>;
} {
  return { fts: normalizeRelative(raw.fts), vector: normalizeVector(raw.vector) };
}

/**
 * Neighbour expansion: each of the first `seeds` hits that is in an episode offers its
 * neighbours `score · expand^step · share` (up to two steps away); returns pk → [offered
 * score, seed pk, step] for the best offer.
 */
export function expansionOffers(
  store: Store,
  ranked: { pk: number; score: number }[],
  w: EpisodeWeights,
): Map<number, [number, number, number]> {
  const out = new Map<number, [number, number, number]>();
  if (w.expand <= 0 || w.expand_seeds <= 0) return out;
  const seeds = ranked.slice(0, w.expand_seeds);
  const first = episodeLinks(store, seeds.map((s) => s.pk));
  const second = episodeLinks(
    store,
    [...first.values()].flatMap((l) => [l.prev, l.next]).filter((x): x is number => x !== null),
  );
  const offer = (pk: number | null, score: number, seed: number, step: number) => {
    if (pk === null || pk === seed || score <= 0) return;
    const prev = out.get(pk);
    if (!prev || prev[0] < score) out.set(pk, [score, seed, step]);
  };
  for (const s of seeds) {
    const l = first.get(s.pk);
    if (!l) continue;
    const lend = s.score * shareOf(first, s.pk, w);
    for (const [dir, nb] of [["prev", l.prev], ["next", l.next]] as const) {
      offer(nb, lend * w.expand, s.pk, 1);
      if (nb !== null) offer(second.get(nb)?.[dir] ?? null, lend * w.expand ** 2, s.pk, 2);
    }
  }
  return out;
}

/** A ranked item the expansion can raise or add. */
export interface Expandable {
  pk: number;
  score: number;
  record: MemoryRecord;
}

/**
 * Apply neighbour expansion to a ranked list: a neighbour offered more than its own score is
 * raised to the offer; one not ranked at all is added (when `admit` accepts its record, built
 * by `make`). `note` records why. Returns the list re-sorted by `compare`.
 */
export function expandEpisodes<T extends Expandable>(
  store: Store,
  ranked: T[],
  w: EpisodeWeights,
  fns: {
    admit: (pk: number, r: MemoryRecord) => boolean;
    make: (pk: number, r: MemoryRecord) => T;
    note: (item: T, score: number, seed: T, step: number) => void;
    compare: (a: T, b: T) => number;
  },
): T[] {
  const offers = expansionOffers(store, ranked, w);
  if (offers.size === 0) return ranked;
  const byPk = new Map(ranked.map((s) => [s.pk, s]));
  const out = [...ranked];
  for (const { pk, record } of store.getMany([...offers.keys()].filter((pk) => !byPk.has(pk)))) {
    if (!fns.admit(pk, record)) continue;
    const item = fns.make(pk, record);
    byPk.set(pk, item);
    out.push(item);
  }
  for (const [pk, [score, seed, step]] of offers) {
    const item = byPk.get(pk);
    if (item && item.score < score) fns.note(item, score, byPk.get(seed)!, step);
  }
  return out.sort(fns.compare);
}
