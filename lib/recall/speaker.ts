/**
 * Speakers named in a query ("How did Maya's rehab go?"). In a conversation the person a
 * question is about is mostly the one who said the answer, and their name is in the turn's
 * `metadata.speaker`, not in its text; where the name is in the text it is mostly an address
 * ("Happy Friday Maya!!"), which says nothing about Maya. So when a capitalised word of the
 * query is a speaker of the namespace:
 *
 * - lexical matching (bm25 and window bm25) leaves the name out (a query that is only a name
 *   looks for it in the speaker column), and the vector query is embedded without it, so the
 *   other words decide what the question is about;
 * - a `speaker` channel scores the memories that person said 1 (others 0), fused like recency:
 *   it says whose fact it is. In a store of 1,000 memories or more a turn counts in full only
 *   when its words carry enough information ({@link speakerShares}), so the person's small talk
 *   that shares one common word with the question ("Take me next time") does not outrank what
 *   they told about it.
 *
 * A store without turns of dialogue (no speakers) is ranked exactly as before.
 */
import {
  contextFtsAny,
  contextFtsMatchesAmong,
  type MemoryFilter,
  type Store,
} from "../store/mod.ts";
import { contentWords, ftsOr, ftsQuote, queryTerms, words } from "./text.ts";

/** The speakers a query names and the query without them. */
export interface QuerySpeakers {
  /** Lowercased names, as they match `metadata.speaker` (case-insensitively). */
  names: string[];
  /** The query with the names (and their possessive) removed, for the vector channel. */
  stripped: string;
}

/** How the speaker channel counts; tuned on the conversational eval's tuning half. */
export interface SpeakerWeights {
  /** Weight of the channel in fusion (0: names are matched as words, as without it). */
  weight: number;
  /**
   * Information (Σ ln(N / df) over a turn's distinct content words) a turn needs for the whole
   * channel; one with less gets that share (at least `floor`). 0: off (or without statistics).
   */
  idf: number;
  /** The least share a turn of the named speaker gets (above 0: it stays theirs). */
  floor: number;
}

export const SPEAKER_WEIGHTS: Readonly<SpeakerWeights> = Object.freeze({
  weight: 0.6,
  idf: 2.5,
  floor: 0.25,
});

/** Capitalised words (names) of a query, lowercased, possessive removed. */
function capitalised(query: string): string[] {
  const out = new Set<string>();
  for (const m of query.matchAll(/\b\p{Lu}[\p{L}'’-]*/gu)) {
    const w = m[0].replace(/['’]s$/u, "").replace(/['’-]+$/u, "").toLowerCase();
    if (w.length > 1 && words(w).length === 1) out.add(w);
  }
  return [...out];
}

/**
 * Whether some memory of `filter` has `name` as its speaker: an indexed look-up in the speaker
 * column of the episode windows that stops at the first row (no ranking).
 */
function speaks(store: Store, name: string, filter: MemoryFilter): boolean {
  return contextFtsAny(store, `speaker : ${ftsQuote(name)}`, filter);
}

/**
 * The speakers of `filter`'s namespace that the query names: capitalised words found in the
 * speaker column of some episode window there (one indexed look-up per name).
 */
export function querySpeakers(
  store: Store,
  query: string,
  filter: MemoryFilter,
): QuerySpeakers | null {
  const names = capitalised(query).filter((w) => speaks(store, w, filter));
  if (names.length === 0) return null;
  const re = new RegExp(String.raw`\b(?:${names.join("|")})(?:['’]s)?\b`, "giu");
  return { names, stripped: query.replace(re, " ").replace(/\s+/g, " ").trim() };
}

/** The lexical terms of a query without the names (null when nothing else is left). */
export function termsWithout(query: string, names: string[]): string[] {
  const drop = new Set(names);
  return queryTerms(query).filter((t) => !drop.has(t));
}

/**
 * The window-bm25 match for a query naming speakers: the names in the speaker column, the
 * other terms anywhere.
 */
export function speakerMatch(names: string[], rest: string[]): string | null {
  return ftsOr(rest) ?? `speaker : (${names.map(ftsQuote).join(" OR ")})`;
}

/**
 * 1 for the memories of `pks` a named speaker said (a word of `metadata.speaker` is the name),
 * else 0: read from the windows' speaker column (one indexed query per 500 memories), so no
 * sealed metadata is opened.
 */
export function speakerScores(store: Store, pks: number[], names: string[]): Map<number, number> {
  const out = new Map<number, number>(pks.map((pk) => [pk, 0]));
  const match = `speaker : (${names.map(ftsQuote).join(" OR ")})`;
  for (let i = 0; i < pks.length; i += 500) {
    const chunk = pks.slice(i, i + 500);
    try {
      const hits = contextFtsMatchesAmong(store, match, chunk);
      for (const pk of hits) out.set(pk, 1);
    } catch (e) {
      if (!/fts5|syntax/i.test((e as Error).message)) throw e;
    }
  }
  return out;
}

/**
 * Stores smaller than this keep the whole channel for every turn: a word's document count
 * among a few hundred memories says little about how common it is.
 */
export const SHARE_MIN_DOCS = 1000;

/**
 * The speaker channel scaled by how much a turn says ({@link SpeakerWeights.idf}): a turn of
 * the named speaker whose distinct content words carry information I = Σ ln(N / df) (N the
 * store's memories, df each word's document count) gets max(floor, min(1, I / (idf · ln(N + 1))));
 * others stay 0. Small talk is made of common words ("Take me next time": I ≈ 11.5 among 5,358
 * turns), what a person tells about their life names rare ones ("Booked flights to Crete!": 18,
 * "Archivist. Lots of digitising old maps": 38). Without term statistics the channel is 1.
 */
export function speakerShares(
  said: Map<number, number>,
  records: { pk: number; record: { content: string } }[],
  w: SpeakerWeights,
  stats?: { df(term: string, docs?: number): number; docCount(): number },
): Map<number, number> {
  const docs = stats?.docCount() ?? 0;
  if (!(w.idf > 0) || !stats || docs < SHARE_MIN_DOCS) return said;
  const need = w.idf * Math.log(docs + 1);
  for (const { pk, record } of records) {
    if (!said.get(pk)) continue;
    let info = 0;
    for (const t of new Set(contentWords(record.content))) {
      info += Math.log(docs / Math.max(1, stats.df(t, docs)));
      if (info >= need) break;
    }
    said.set(pk, Math.max(w.floor, Math.min(1, info / need)));
  }
  return said;
}
