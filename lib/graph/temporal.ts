/**
 * Session order for temporal edges: the previous and next memory of the same session, by
 * (`created_at`, `id`). Looked up for a whole batch at once: memories of one session in one
 * import batch share one range query instead of two look-ups each.
 */
import {
  type SessionNeighbour,
  sessionNeighbour,
  sessionRange,
  type Store,
  type StoredMemory,
} from "../store/mod.ts";

export type { SessionNeighbour };

/** The previous and next memory of the same session (either may be missing). */
export interface SessionPlace {
  prev?: SessionNeighbour;
  next?: SessionNeighbour;
}

const before = (a: SessionNeighbour, b: SessionNeighbour) =>
  a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);

const prevOf = (store: Store, ns: string, session: string, m: SessionNeighbour) =>
  sessionNeighbour(store, ns, session, m, "before");
const nextOf = (store: Store, ns: string, session: string, m: SessionNeighbour) =>
  sessionNeighbour(store, ns, session, m, "after");

/**
 * The session neighbours of each memory (by pk). Memories without a session get none. A
 * session's memories in `mems` are placed from one query over their time range, unless other
 * memories of that session crowd the range (then each is looked up on its own).
 */
export function sessionPlaces(
  store: Store,
  mems: readonly StoredMemory[],
): Map<number, SessionPlace> {
  const out = new Map<number, SessionPlace>();
  const groups = new Map<string, StoredMemory[]>();
  for (const m of mems) {
    const r = m.record;
    if (!r.session) continue;
    const key = `${r.namespace}\u0000${r.session}`;
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  for (const group of groups.values()) {
    const { namespace: ns, session } = group[0].record;
    const own = group.map((m) => ({ pk: m.pk, id: m.record.id, created_at: m.record.created_at }));
    const single = () => {
      for (const m of own) {
        out.set(m.pk, {
          prev: prevOf(store, ns, session!, m),
          next: nextOf(store, ns, session!, m),
        });
      }
    };
    if (own.length < 3) {
      single();
      continue;
    }
    own.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const lo = own[0];
    const hi = own[own.length - 1];
    const cap = own.length * 4;
    const rows = sessionRange(store, ns, session!, lo.created_at, hi.created_at, cap + 1);
    if (rows.length > cap) {
      single();
      continue;
    }
    const at = new Map(rows.map((r, i) => [r.id, i]));
    for (const m of own) {
      const i = at.get(m.id);
      if (i === undefined) { // not visible (cannot happen inside the write transaction)
        out.set(m.pk, {
          prev: prevOf(store, ns, session!, m),
          next: nextOf(store, ns, session!, m),
        });
        continue;
      }
      out.set(m.pk, {
        prev: i > 0 ? rows[i - 1] : prevOf(store, ns, session!, m),
        next: i < rows.length - 1 ? rows[i + 1] : nextOf(store, ns, session!, m),
      });
    }
  }
  return out;
}
