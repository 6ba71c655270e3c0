/**
 * Second hop through the corpus' own names (pseudo-relevance feedback): a question that joins
 * two facts ("what mischief does Lucia's cat get up to?") often reaches the first one only
 * ("we're calling the kitten Pickle"); the second ("Pickle yells for breakfast at 5am") shares
 * no word with the question, only a name with the first. So the names in the best hits and
 * their episode windows (capitalised words inside a sentence: pets, places, books, employers,
 * relatives) are searched again in the episode windows. A memory found gets an `entity`
 * channel (the window bm25 of the names, relative to the best, times the strength of the hit
 * that named them) and is raised to half the best seed's score times it, as episode expansion
 * raises neighbours. No download, no model: the corpus is its own thesaurus.
 *
 * Bounded work: names of at most {@link CooccurWeights.seeds} hits, at most
 * {@link CooccurWeights.terms} of them (rarest first, by the term statistics when given),
 * two batched reads for the seeds' windows and one window bm25 query per name.
 */
import {
  contextFts,
  type EpisodeLink,
  episodeLinks,
  type MemoryFilter,
  type Store,
} from "../store/mod.ts";
import { ftsQuote, STOPWORDS, words } from "./text.ts";
import type { TermStats } from "./term_stats.ts";
import { MONTHS } from "./time.ts";

/** How the entity hop counts; tuned on the conversational eval's tuning half. */
export interface CooccurWeights {
  /** Share of the best seed's score a memory the names reach is raised to (0: off). */
  weight: number;
  /** Hits, from the top, whose names are searched again. */
  seeds: number;
  /** Names searched at most. */
  terms: number;
  /** Steps before and after a seed in its episode whose names count (1 or 2). */
  reach: number;
}

export const COOCCUR_WEIGHTS: Readonly<CooccurWeights> = Object.freeze({
  weight: 0.7,
  seeds: 5,
  terms: 4,
  reach: 2,
});

/** Capitalised words that are not names of things even inside a sentence. */
const NOT_NAMES = new Set([
  ...MONTHS,
  ..."monday tuesday wednesday thursday friday saturday sunday i im i'm ok okay omg lol".split(
    " ",
  ),
]);

/**
 * Names in a text: capitalised words that do not open a sentence or line (an opening word is
 * capitalised anyway), lowercased, possessive removed; not stopwords, months or weekdays.
 */
export function namesIn(text: string, opening = false): string[] {
  const out = new Set<string>();
  for (const line of text.split("\n")) for (const n of lineNames(line, opening)) out.add(n);
  return [...out];
}

/** Capitalised words of one line: inside sentences, or (`opening`) opening them instead. */
function lineNames(text: string, opening: boolean): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\p{Lu}[\p{L}'’-]*/gu)) {
    const before = text.slice(0, m.index).trimEnd();
    if (opening !== (before === "" || /[.!?:;"“(]$/.test(before))) continue;
    if (m.index! > 0 && /[\p{L}\p{N}]/u.test(text[m.index! - 1])) continue;
    const w = m[0].replace(/['’]s$/u, "").replace(/['’-]+$/u, "").toLowerCase();
    if (w.length < 3 || STOPWORDS.has(w) || NOT_NAMES.has(w) || words(w).length !== 1) continue;
    // An opening word is capitalised anyway: "Booked", "Slowly" are no names ("Dumpling" is).
    if (opening && /(?:ed|ly)$/.test(w)) continue;
    out.add(w);
  }
  return [...out];
}

/** A ranked hit the hop reads: its score and text. */
export interface Seed {
  pk: number;
  score: number;
  content: string;
}

/**
 * A word that opens sentences is a name only when few memories hold it ("Dumpling. It just
 * suited the face." against "Anyway, …"), and more than one: a word said once ("Yay") leads
 * nowhere.
 */
function rare(stats: TermStats, word: string): boolean {
  const docs = stats.docCount();
  const df = stats.df(word, docs);
  return df >= 2 && df <= Math.max(3, 0.005 * docs);
}

/**
 * The names to search for: those of the seeds' own text and their episode windows' (`windows`
 * maps a seed to the pks around it, `texts` a pk to its content), weighted by the best seed score that holds them; query
 * words and `exclude` (the query's speakers) left out. Rarest first when `stats` is given.
 */
export function feedbackNames(
  seeds: Seed[],
  windows: Map<number, number[]>,
  texts: Map<number, string>,
  query: string,
  exclude: string[],
  w: CooccurWeights,
  stats?: TermStats,
): Map<string, number> {
  const skip = new Set([...words(query), ...exclude]);
  const top = Math.max(...seeds.map((s) => s.score), 1e-9);
  // Names inside sentences first; words opening them only when rare (and only after those).
  const inner = new Map<string, number>();
  const opening = new Map<string, number>();
  for (const s of seeds.slice(0, w.seeds)) {
    const window = [s.content, ...(windows.get(s.pk) ?? []).map((x) => texts.get(x) ?? "")];
    const text = window.join("\n");
    const add = (to: Map<string, number>, names: string[]) => {
      for (const n of names) if (!skip.has(n)) to.set(n, Math.max(to.get(n) ?? 0, s.score / top));
    };
    add(inner, namesIn(text));
    if (stats) add(opening, namesIn(text, true).filter((n) => !inner.has(n) && rare(stats, n)));
  }
  // A name held by one memory only leads nowhere but back to it.
  const pick = (m: Map<string, number>, max: number) => {
    const names = stats ? [...m.keys()].filter((n) => stats.df(n) >= 2) : [...m.keys()];
    return stats && names.length > max
      ? stats.selectTerms(names, { max, maxRatio: 0.05, keep: 1 })
      : names.slice(0, max);
  };
  const names = pick(inner, w.terms);
  for (const n of inner.keys()) opening.delete(n);
  names.push(...pick(opening, w.terms - names.length));
  return new Map(names.map((n) => [n, inner.get(n) ?? opening.get(n)!]));
}

/**
 * Window bm25 of each name (one query per name, at most {@link CooccurWeights.terms}), per
 * memory: the best over the names it holds of bm25 relative to that name's best hit times the
 * strength of the seed that named it. A name from a weak seed lends little.
 */
export function entityScores(
  store: Store,
  names: Map<string, number>,
  filter: MemoryFilter,
  k: number,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const [name, strength] of names) {
    const hits = contextFts(store, ftsQuote(name), filter, k, { speaker: 0, near: 0.5 });
    const max = Math.max(0, ...hits.map((h) => h.score));
    for (const h of hits) {
      const e = max > 0 ? (h.score / max) * strength : 0;
      if (e > (out.get(h.pk) ?? 0)) out.set(h.pk, e);
    }
  }
  return out;
}

/**
 * The memories up to `reach` steps (1 or 2) before and after each seed in its episode: a
 * pet's name often comes two turns after the news ("a kitten!" / "Name??" / "Pickle.").
 */
function seedWindows(
  store: Store,
  seeds: number[],
  links: Map<number, EpisodeLink>,
  reach: number,
): Map<number, number[]> {
  const near = (l: EpisodeLink | undefined) =>
    [l?.prev, l?.next].filter((x): x is number => x != null);
  const first = new Map(seeds.map((pk) => [pk, near(links.get(pk))]));
  const further = reach >= 2
    ? episodeLinks(store, [...new Set([...first.values()].flat())].filter((x) => !links.has(x)))
    : new Map<number, EpisodeLink>();
  const linkOf = (pk: number) => links.get(pk) ?? further.get(pk);
  return new Map(seeds.map((pk) => {
    const one = first.get(pk)!;
    const two = reach >= 2 ? one.flatMap((x) => near(linkOf(x))) : [];
    return [pk, [...new Set([...one, ...two])].filter((x) => x !== pk)];
  }));
}

/** Window bm25 hits read per name. */
const HITS_PER_NAME = 20;

/** A ranked item the hop can raise or add. */
export interface HopItem {
  pk: number;
  score: number;
  record: { content: string };
}

/**
 * Apply the entity hop to a ranked list: every memory the seeds' names reach is offered
 * `weight · entity score ·` the best seed's score, and raised to it when that is more than
 * its own (`note` records the difference), as episode expansion raises neighbours; one not
 * ranked yet is added when `admit` accepts its record (built by `make`). Returns the list re-sorted by `compare` and the names
 * searched.
 */
export function entityHop<T extends HopItem>(
  store: Store,
  ranked: T[],
  ctx: {
    query: string;
    exclude: string[];
    filter: MemoryFilter;
    k: number;
    /** Results the caller keeps. */
    limit: number;
    links: Map<number, EpisodeLink>;
    stats?: TermStats;
  },
  w: CooccurWeights,
  fns: {
    admit: (pk: number, r: T["record"]) => boolean;
    make: (pk: number, r: T["record"]) => T;
    note: (item: T, entity: number, added: number) => void;
    compare: (a: T, b: T) => number;
  },
): { ranked: T[]; names: string[] } {
  if (w.weight <= 0 || ranked.length === 0) return { ranked, names: [] };
  // Names said in conversation: memories that are not turns of dialogue lend none.
  const seeds = ranked.slice(0, w.seeds).filter((s) => ctx.links.get(s.pk)?.turn);
  const byPk = new Map(ranked.map((s) => [s.pk, s]));
  const windows = seedWindows(store, seeds.map((s) => s.pk), ctx.links, w.reach);
  const texts = new Map<number, string>();
  const want: number[] = [];
  for (const x of new Set([...windows.values()].flat())) {
    const have = byPk.get(x);
    if (have) texts.set(x, have.record.content);
    else want.push(x);
  }
  for (const m of want.length ? store.getMany(want) : []) texts.set(m.pk, m.record.content);
  const seedList = seeds.map((s) => ({ pk: s.pk, score: s.score, content: s.record.content }));
  const names = feedbackNames(seedList, windows, texts, ctx.query, ctx.exclude, w, ctx.stats);
  const scores = entityScores(store, names, ctx.filter, Math.min(ctx.k, HITS_PER_NAME));
  if (scores.size === 0) return { ranked, names: [...names.keys()] };
  const out = [...ranked];
  const top = Math.max(...seeds.map((s) => s.score));
  // A memory not ranked yet is read only when its offer would put it among the first `limit`.
  const bar = ranked[ctx.limit - 1]?.score ?? 0;
  const fresh = [...scores].filter(([pk, e]) => !byPk.has(pk) && top * w.weight * e > bar)
    .map(([pk]) => pk);
  for (const m of fresh.length ? store.getMany(fresh) : []) {
    if (!fns.admit(m.pk, m.record as T["record"])) continue;
    const item = fns.make(m.pk, m.record as T["record"]);
    byPk.set(m.pk, item);
    out.push(item);
  }
  for (const [pk, e] of scores) {
    const item = byPk.get(pk);
    const offer = top * w.weight * e;
    if (item && offer > item.score) fns.note(item, e, offer - item.score);
  }
  return { ranked: out.sort(fns.compare), names: [...names.keys()] };
}
