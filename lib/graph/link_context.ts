/**
 * The look-ups one {@link linkMemories} call shares between its memories, and the edges it has
 * yet to write (lib/graph/build.ts). The memories do not change during a call, so an FTS
 * query, a loaded record or a word set computed for one memory is reused for the next, and an
 * edge both ends compute is sealed and written once.
 */
import {
  createdAtOfPks,
  ftsFirstMatchesIn,
  ftsMatchPks,
  lastTombstoneRev,
  maxMemoryPk,
  pksOfIds,
  type Store,
  type StoredMemory,
} from "../store/mod.ts";
import type { TermStats } from "../recall/mod.ts";
import { type Edge, upsertEdges } from "../store/mod.ts";
import { type SessionPlace, sessionPlaces } from "./temporal.ts";
import { textStems } from "./causal.ts";

/** Hub entities per store (`namespace \0 phrase query`), valid while no memory is deleted. */
const HUBS = new WeakMap<Store, { deletes: number; keys: Set<string> }>();

/**
 * Look-ups shared by the memories of one {@link linkMemories} call, and the edges it has yet
 * to write. Valid only while no memory changes (the builders write edges, never memories).
 */
export class LinkContext {
  readonly store: Store;
  #matches = new Map<string, number[]>();
  #anywhere = new Map<string, number[]>();
  #records = new Map<number, StoredMemory>();
  #times = new Map<number, number>();
  #stems = new Map<number, Set<string>>();
  #pending = new Map<string, Edge>();
  #docs: number | null = null;
  #places = new Map<number, SessionPlace>();
  #fresh = new Set<string>();
  #pkOf: Map<string, number>;
  #hubs: Set<string> | null = null;

  constructor(store: Store, known: readonly StoredMemory[] = []) {
    this.store = store;
    for (const m of known) this.#records.set(m.pk, m);
    this.#pkOf = new Map(known.map((m) => [m.record.id, m.pk]));
  }

  /** {@link firstMatches}, once per distinct query. */
  matches(match: string, namespace: string, limit: number): number[] {
    const key = `${limit}\u0000${namespace}\u0000${match}`;
    let pks = this.#matches.get(key);
    if (!pks) this.#matches.set(key, pks = ftsFirstMatchesIn(this.store, match, namespace, limit));
    return pks;
  }

  /** Use (and add to) the hub entities remembered for this store. */
  rememberHubs(): void {
    const deletes = lastTombstoneRev(this.store);
    let known = HUBS.get(this.store);
    if (!known || known.deletes !== deletes) {
      HUBS.set(this.store, known = { deletes, keys: new Set() });
    }
    this.#hubs = known.keys;
  }

  /** True for an entity query remembered as a hub. */
  isHub(namespace: string, match: string): boolean {
    return this.#hubs?.has(`${namespace}\u0000${match}`) ?? false;
  }

  /** Remember a hub (at least `maxEntityDf + 2` memories match: a hub for every one of them). */
  markHub(namespace: string, match: string): void {
    this.#hubs?.add(`${namespace}\u0000${match}`);
  }

  /**
   * True when a memory other than `self` (in any namespace) matches the FTS expression: one
   * unranked look-up without the join to `memories`.
   */
  elsewhere(match: string, self: number): boolean {
    let pks = this.#anywhere.get(match);
    if (!pks) {
      pks = ftsMatchPks(this.store, match, 2);
      this.#anywhere.set(match, pks);
    }
    return pks.some((pk) => pk !== self);
  }

  /** Records for pks, in the order given (missing ones skipped), each loaded once. */
  records(pks: readonly number[]): StoredMemory[] {
    const missing = pks.filter((pk) => !this.#records.has(pk));
    if (missing.length > 0) {
      for (const m of this.store.getMany(missing)) this.#records.set(m.pk, m);
    }
    return pks.map((pk) => this.#records.get(pk)).filter((m) => m !== undefined);
  }

  /** The memories with these ids, in that order (missing ones skipped), loaded in bulk. */
  byIds(ids: readonly string[]): StoredMemory[] {
    if (ids.every((id) => this.#pkOf.has(id))) {
      return this.records(ids.map((id) => this.#pkOf.get(id)!));
    }
    return this.records(pksOfIds(this.store, ids));
  }

  /** Look up the session neighbours of the call's memories; `fresh`: they are all new. */
  placeAll(mems: readonly StoredMemory[], fresh: boolean): void {
    this.#places = sessionPlaces(this.store, mems);
    if (fresh) this.#fresh = new Set(mems.map((m) => m.record.id));
  }

  /** The session neighbours of a memory of this call. */
  place(m: StoredMemory): SessionPlace {
    return this.#places.get(m.pk) ?? {};
  }

  /** True for a memory of a `fresh` call (no automatic edge touched it before this call). */
  isNew(id: string): boolean {
    return this.#fresh.has(id);
  }

  /** Document frequency of a word; the document count is read once per call. */
  df(stats: Pick<TermStats, "df">, word: string): number {
    this.#docs ??= maxMemoryPk(this.store);
    return stats.df(word, this.#docs);
  }

  /** `created_at` (epoch ms) of each pk. */
  times(pks: readonly number[]): Map<number, number> {
    const missing = pks.filter((pk) => !this.#times.has(pk));
    if (missing.length > 0) {
      for (const r of createdAtOfPks(this.store, missing)) {
        this.#times.set(r.pk, Date.parse(r.created_at));
      }
    }
    const out = new Map<number, number>();
    for (const pk of pks) {
      const t = this.#times.get(pk);
      if (t !== undefined) out.set(pk, t);
    }
    return out;
  }

  /** The content-word stems of a memory (for causal overlap). */
  stems(m: StoredMemory): Set<string> {
    let s = this.#stems.get(m.pk);
    if (!s) this.#stems.set(m.pk, s = textStems(m.record.content));
    return s;
  }

  /**
   * Queue an edge. A later edge with the same ends and kind replaces the queued one (as a
   * second upsert would), keeping the first `created_at`: the pair is sealed and written once.
   */
  put(e: Edge): void {
    if (e.src === e.dst) return;
    const key = `${e.kind}\u0000${e.src}\u0000${e.dst}`;
    const prev = this.#pending.get(key);
    this.#pending.set(key, prev ? { ...e, created_at: prev.created_at } : e);
  }

  /** Write the queued edges. */
  flush(): void {
    // Each key is queued once, so the order is free: sorted keys touch fewer index pages.
    const edges = [...this.#pending.values()].sort((a, b) =>
      a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0
    );
    upsertEdges(this.store, edges);
    this.#pending.clear();
  }
}
