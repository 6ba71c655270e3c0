/**
 * The dedup candidates' bm25 ranking, computed from postings kept in memory instead of one
 * FTS5 query per new memory (bulk writes, issue 21). It answers what the FTS query of
 * write_candidates.ts answers: the first `k` rows by FTS5's bm25 (then row key) among the rows
 * holding every phrase, of one namespace and not archived. FTS5's value for a row comes from
 * the index's row and token totals, each phrase's row count, the row's token count and each
 * phrase's (column-weighted) frequency in it (dedup_rank.ts); this module holds those numbers
 * as of the write transaction: read from the index when first needed, then carried through
 * every write of the batch, so the memories a batch inserted earlier are candidates for its
 * later ones, with the totals and counts they change, as with the FTS query.
 *
 * It answers only what it knows exactly; otherwise `top` returns null and the caller asks
 * FTS5: a word that is not one token, an order that could turn on the last bit of `log`, a
 * row whose indexed tokens are not what we tokenize. The state is kept across batches while
 * the store revision and FTS5's totals are the ones this process committed; any other write
 * (another process, another verb, an index rebuild) makes the next batch start over. It also
 * answers `TermStats`' document counts (`count`) for the batch, from the same postings.
 */
import {
  ftsDocSizes,
  ftsMatchCount,
  ftsTermPostings,
  ftsTermRowCounts,
  ftsTokenize,
  ftsTotals,
  maxMemoryPk,
  memoryPlaces,
  type MemoryRecord,
  memoryTagsText,
  type Store,
  tagsText,
  type TermPostings,
  type Tokenized,
} from "../store/mod.ts";
import { ftsQuote } from "../recall/mod.ts";
import { firstByBm25, idfOf, Intersections, lowerBound, type Row } from "./dedup_rank.ts";

/** Postings kept at most, over all terms; document counts kept at most. */
const MAX_POSTINGS = 2_000_000;
const MAX_COUNTS = 500_000;
/** Words whose token is remembered at most. */
const MAX_WORDS = 200_000;
/** Row keys the dense arrays cover. */
const MAX_PK = 1 << 26;
/**
 * Longest postings a batch reads while the state is new (it may not outlast the batch when
 * another process writes between batches): longer lists wait until the state has lasted one
 * batch boundary, and FTS5 ranks meanwhile.
 */
const NEW_STATE_POSTINGS = 512;

const UNKNOWN = -2;
const ABSENT = -1;

export class DedupIndex {
  /** Rankings answered here, and those left to FTS5 (for tests and profiles). */
  readonly counts = { answered: 0, declined: 0 };
  /** The candidates' intersections computed whole and extended (for tests and profiles). */
  get intersections(): { computed: number; extended: number } {
    return this.#meets.counts;
  }
  /**
   * Changes whenever the state starts over: what a caller read from the store at one epoch
   * (and keeps up to date with the batch's own writes) stays true while the epoch stays.
   */
  epoch = 0;
  #store: Store;
  /** The revision this state is exact at between batches (-1: none). */
  #validRev = -1;
  #pendingRev = -1;
  /** Exact inside the current batch. */
  #live = false;
  #tooLarge = false;
  /** FTS5's totals: rows inserted and their tokens (deletes take nothing away). */
  #nRow = 0;
  #nToken = 0;
  /** Token count per pk (ABSENT: not in the index; UNKNOWN until read). */
  #size = new Int32Array(0);
  /** Namespace code per pk when not archived, ABSENT otherwise, UNKNOWN until read. */
  #place = new Int32Array(0);
  #codes = new Map<string, number>();
  #postings = new Map<string, TermPostings>();
  #postingCount = 0;
  /** The kept lists' intersections, per term list asked for. */
  #meets = new Intersections();
  /** Rows holding a token; every token of the index when `#allDocs`. */
  #docs = new Map<string, number>();
  #allDocs = false;
  /** The state has lasted at least one batch boundary. */
  #steady = false;
  #tokenOf = new Map<string, string | null>();
  #batchTokens = new Map<string, Tokenized>();
  /** What the index held for rows about to be rewritten ({@link beforeWrite}). */
  #before = new Map<number, Tokenized | null>();

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Start a batch inside its write transaction: start over unless the store is as this
   * process left it, and tokenize the batch's texts and words in one pass.
   */
  begin(items: { content: string; tags?: string[] }[], words: string[]): void {
    this.#live = false;
    const store = this.#store;
    const totals = ftsTotals(store);
    const same = totals.rows === this.#nRow && totals.tokens === this.#nToken;
    const fresh = store.currentRev() !== this.#validRev || !same;
    if (fresh) this.#reset(totals);
    this.#steady = !fresh;
    this.#validRev = -1;
    if (this.#tooLarge) return;
    const texts = items.map((i): [string, string] => [i.content, tagsText([...new Set(i.tags)])]);
    const novel = [...new Set(words)].filter((w) => !this.#tokenOf.has(w));
    const toks = ftsTokenize(store, [...texts, ...novel.map((w): [string, string] => [w, ""])]);
    this.#batchTokens.clear();
    texts.forEach((t, i) => this.#batchTokens.set(textKey(t), toks[i]));
    if (this.#tokenOf.size + novel.length > MAX_WORDS) this.#tokenOf.clear();
    novel.forEach((w, i) => this.#tokenOf.set(w, soleToken(toks[texts.length + i])));
    // Once the state has lasted a batch (no other writer), every token's document count in
    // one pass; each write keeps them current (wrote). Until then FTS5 counts each one.
    if (!fresh && !this.#allDocs) {
      this.#docs = ftsTermRowCounts(store);
      this.#allDocs = this.#docs.size <= MAX_COUNTS;
      if (!this.#allDocs) this.#docs.clear();
    }
    this.#live = true;
  }

  /** End of the batch's work (also when it failed), still inside its transaction. */
  end(): void {
    this.#pendingRev = this.#live ? this.#store.currentRev() : -1;
    this.#live = false;
    this.#batchTokens.clear();
    this.#before.clear();
  }

  /** The batch committed: the state stays exact until someone else writes. */
  committed(): void {
    this.#validRev = this.#pendingRev;
    this.#pendingRev = -1;
  }

  /**
   * The first `k` row keys by FTS5's bm25 for the AND of `words` (each quoted as a phrase)
   * among the rows of `namespace` that are not archived: `store.fts(match, { namespace }, k)`.
   * Null when this index cannot answer exactly (the caller asks FTS5).
   */
  top(words: string[], namespace: string, k: number): number[] | null {
    const out = this.#top(words, namespace, k);
    this.counts[out ? "answered" : "declined"]++;
    return out;
  }

  /** Documents holding `word` (FTS5's count of the quoted word), or undefined: ask FTS5. */
  count(word: string): number | undefined {
    if (!this.#live) return undefined;
    const token = this.#tokenOf.get(word);
    if (!token) return undefined;
    const kept = this.#postings.get(token)?.pks.length ?? this.#docs.get(token);
    if (kept !== undefined) return kept;
    if (this.#allDocs) return 0;
    const n = ftsMatchCount(this.#store, ftsQuote(word));
    if (this.#docs.size >= MAX_COUNTS) this.#docs.clear();
    this.#docs.set(token, n);
    return n;
  }

  /** Row `pk` is about to be rewritten from `content` (its plaintext): note what it holds. */
  beforeWrite(pk: number, content: string): void {
    if (!this.#live) return;
    const size = ftsDocSizes(this.#store, [pk]).get(pk);
    const tags = memoryTagsText(this.#store, pk);
    if (size === undefined || tags === null) return void this.#before.set(pk, null);
    const tok = ftsTokenize(this.#store, [[content, tags]])[0];
    if (tok.size !== size) this.#live = false;
    else this.#before.set(pk, tok);
  }

  /**
   * Follow a write of row `pk` made in the batch: an insert, or an update (FTS5 deletes the
   * row and inserts it again; {@link beforeWrite} first). Its tokens as the index now holds
   * them, the totals, the counts, and its namespace.
   */
  wrote(pk: number, after: MemoryRecord, update: boolean): void {
    if (!this.#live) return;
    const before = update ? this.#before.get(pk) : null;
    this.#before.delete(pk);
    if (pk >= MAX_PK || before === undefined) return void (this.#live = false);
    this.#grow(pk + 1);
    const text: [string, string] = [after.content, tagsText(after.tags)];
    const size = ftsDocSizes(this.#store, [pk]).get(pk) ?? ABSENT;
    this.#place[pk] = after.archived ? ABSENT : this.#code(after.namespace);
    this.#size[pk] = size;
    let tok: Tokenized | null = null;
    if (size !== ABSENT) {
      tok = this.#batchTokens.get(textKey(text)) ?? ftsTokenize(this.#store, [text])[0];
      if (tok.size !== size) return void (this.#live = false);
      this.#nRow += 1;
      this.#nToken += size;
    }
    const terms = new Set([...before?.terms.keys() ?? [], ...tok?.terms.keys() ?? []]);
    for (const term of terms) {
      const had = before?.terms.has(term) ?? false;
      const f = tok?.terms.get(term);
      const docs = this.#docs.get(term) ?? (this.#allDocs ? 0 : undefined);
      if (docs !== undefined) {
        this.#docs.set(term, docs + (f !== undefined ? 1 : 0) - (had ? 1 : 0));
      }
      const list = this.#postings.get(term);
      if (list) this.#follow(list, pk, f);
    }
  }

  /** Put row `pk` in a kept list with frequency `f`, or take it out (undefined). */
  #follow(list: TermPostings, pk: number, f: number | undefined): void {
    const i = lowerBound(list.pks, pk);
    const here = list.pks[i] === pk;
    if (here && f === undefined) {
      list.pks.splice(i, 1);
      list.f.splice(i, 1);
      this.#postingCount--;
      this.#meets.edited(list);
    } else if (here && list.f[i] !== f) {
      list.f[i] = f!;
      this.#meets.edited(list);
    } else if (!here && f !== undefined) {
      list.pks.splice(i, 0, pk);
      list.f.splice(i, 0, f);
      this.#postingCount++;
      this.#meets.inserted(list, i, pk);
    }
  }

  #top(words: string[], namespace: string, k: number): number[] | null {
    if (!this.#live || words.length === 0) return null;
    const terms: string[] = [];
    for (const w of words) {
      if (!this.#tokenOf.has(w)) {
        this.#tokenOf.set(w, soleToken(ftsTokenize(this.#store, [[w, ""]])[0]));
      }
      const t = this.#tokenOf.get(w);
      if (!t) return null;
      if (!this.#steady && !this.#postings.has(t) && this.count(w)! > NEW_STATE_POSTINGS) {
        return null;
      }
      terms.push(t);
    }
    const lists = terms.map((t) => this.#postingsOf(t));
    const rows = this.#candidates(terms, lists, namespace);
    if (rows === null) return null;
    const idf = lists.map(({ pks }) => idfOf(this.#nRow, pks.length));
    return firstByBm25(rows, idf, this.#nToken / this.#nRow, k);
  }

  #reset(totals: { rows: number; tokens: number }): void {
    this.epoch++;
    this.#nRow = totals.rows;
    this.#nToken = totals.tokens;
    this.#size = new Int32Array(0);
    this.#place = new Int32Array(0);
    this.#postings.clear();
    this.#postingCount = 0;
    this.#meets = new Intersections();
    this.#docs.clear();
    this.#allDocs = false;
    this.#tooLarge = maxMemoryPk(this.#store) >= MAX_PK;
  }

  #grow(n: number): void {
    if (this.#size.length >= n) return;
    const len = Math.max(n, Math.floor(this.#size.length * 1.5), 1024);
    const size = new Int32Array(len).fill(UNKNOWN);
    size.set(this.#size);
    const place = new Int32Array(len).fill(UNKNOWN);
    place.set(this.#place);
    this.#size = size;
    this.#place = place;
  }

  #code(namespace: string): number {
    let c = this.#codes.get(namespace);
    if (c === undefined) this.#codes.set(namespace, c = this.#codes.size);
    return c;
  }

  #postingsOf(term: string): TermPostings {
    let list = this.#postings.get(term);
    if (list) this.#postings.delete(term); // most recently used last
    else {
      list = ftsTermPostings(this.#store, term);
      this.#postingCount += list.pks.length;
      this.#meets.hold(list);
    }
    this.#postings.set(term, list);
    for (const [t, l] of this.#postings) {
      if (this.#postingCount <= MAX_POSTINGS || l === list) break;
      this.#postings.delete(t);
      this.#postingCount -= l.pks.length;
      this.#meets.clear();
    }
    return list;
  }

  /** Rows holding every list's term, of `namespace` and not archived; null if inconsistent. */
  #candidates(terms: string[], lists: TermPostings[], namespace: string): Row[] | null {
    const code = this.#code(namespace);
    const both = this.#meets.of(terms.join("\u0000"), lists);
    if (both.length > 0) this.#grow(both[both.length - 1].pk + 1);
    this.#learn(both.filter((r) => this.#place[r.pk] === UNKNOWN).map((r) => r.pk), true);
    const mine = both.filter((r) => this.#place[r.pk] === code);
    this.#learn(mine.filter((r) => this.#size[r.pk] === UNKNOWN).map((r) => r.pk), false);
    const rows: Row[] = [];
    for (const { pk, f } of mine) {
      const size = this.#size[pk];
      if (size < 0) return null;
      rows.push({ pk, size, f, s: 0 });
    }
    return rows;
  }

  /** Read the namespaces (`places`) or token counts of rows not seen yet. */
  #learn(pks: number[], places: boolean): void {
    if (pks.length === 0) return;
    if (places) {
      const got = memoryPlaces(this.#store, pks);
      for (const pk of pks) {
        const p = got.get(pk);
        this.#place[pk] = !p || p.archived ? ABSENT : this.#code(p.namespace);
      }
    } else {
      const got = ftsDocSizes(this.#store, pks);
      for (const pk of pks) this.#size[pk] = got.get(pk) ?? ABSENT;
    }
  }
}

/** The token of a one-token text, else null (a phrase of several tokens, or none). */
function soleToken(t: Tokenized): string | null {
  return t.size === 1 ? [...t.terms.keys()][0] : null;
}

const textKey = ([content, tags]: [string, string]) => `${tags.length}:${tags}${content}`;

const indexes = new WeakMap<Store, DedupIndex>();

/** The one index of a store (per connection). */
export function dedupIndexOf(store: Store): DedupIndex {
  let ix = indexes.get(store);
  if (!ix) indexes.set(store, ix = new DedupIndex(store));
  return ix;
}
