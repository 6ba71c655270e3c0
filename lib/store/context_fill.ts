/**
 * Filling and re-indexing episode windows in bulk: once for a home created before schema v6
 * (the migration records `context_backfill` in `meta`), and when the bm25 index is rebuilt or
 * rows change between sealed and plain with `[encryption] index = "off"`.
 */
import type { Store } from "./store.ts";
import { recordFromRow } from "./sealed.ts";
import { type MemoryRow, RECORD_COLUMNS } from "./rows.ts";
import {
  digest,
  episodeOf,
  lineOf,
  lineText,
  PLACE,
  type Place,
  refresh,
  srcRef,
} from "./context.ts";

const STATE = "context_backfill";

function state(store: Store): string | undefined {
  return (store.prepare("SELECT value FROM meta WHERE key = ?").get(STATE) as
    | { value: string }
    | undefined)?.value;
}

function setState(store: Store, value: string | null): void {
  if (value === null) store.prepare("DELETE FROM meta WHERE key = ?").run(STATE);
  else {
    store.prepare(
      "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(STATE, value);
  }
}

/**
 * Give every memory of an older home its place and window, in batches of one transaction each
 * (progress is kept in `meta`, so an interrupted run continues where it stopped). Rows that
 * cannot be opened (sealed, no key) are left without one. Returns memories placed; 0 when
 * nothing was pending.
 */
export function backfillContext(store: Store, batch = 500): number {
  let s = state(store);
  if (s === undefined) return 0;
  let placed = 0;
  // 1. Places, in pk order.
  while (!s.startsWith("texts:")) {
    const last = Number(s);
    const more = store.transaction(() => {
      const rows = store.prepare(
        `SELECT ${RECORD_COLUMNS} FROM memories WHERE pk > ? ORDER BY pk LIMIT ?`,
      ).all(last, batch) as unknown as MemoryRow[];
      const put = store.prepare(
        `INSERT OR IGNORE INTO memory_context (pk, namespace, id, episode, created_at, turn, src)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const row of rows) {
        try {
          const r = recordFromRow(store.encryption, row);
          const episode = episodeOf(r);
          if (episode) {
            const line = lineOf(r);
            put.run(
              ...[row.pk, row.namespace, row.id, episode, row.created_at, line.speaker ? 1 : 0],
              store.sealValue(srcRef(row), digest(lineText(line))),
            );
            placed++;
          }
        } catch { /* unreadable here (no key): stays without a window */ }
      }
      s = rows.length === batch ? String(rows[rows.length - 1].pk) : "texts:0";
      setState(store, s);
      return rows.length === batch;
    });
    if (!more) break;
  }
  // 2. Links, for all episodes at once.
  store.transaction(() =>
    store.prepare(
      `UPDATE memory_context SET prev_pk = l.prev, next_pk = l.next FROM (
         SELECT pk, lag(pk) OVER w AS prev, lead(pk) OVER w AS next FROM memory_context
         WINDOW w AS (PARTITION BY namespace, episode ORDER BY created_at, pk)) AS l
       WHERE l.pk = memory_context.pk`,
    ).run()
  );
  // 3. Window texts.
  for (let last = Number(s!.slice(6));;) {
    const done = store.transaction(() => {
      const places = store.prepare(`${PLACE} WHERE pk > ? AND turn = 1 ORDER BY pk LIMIT ?`)
        .all(last, batch) as unknown as Place[];
      try {
        refresh(store, places, new Map());
      } catch { /* a sealed neighbour without a key: leave these windows empty */ }
      if (places.length) last = places[places.length - 1].pk;
      setState(store, places.length === batch ? `texts:${last}` : null);
      return places.length < batch;
    });
    if (done) return placed;
  }
}

/**
 * Empty the window index and fill it again (windows recomputed from the memories, opening
 * sealed ones); returns windows indexed under the `[encryption] index` setting.
 */
export function rebuildContextFts(store: Store, batch = 500): number {
  store.prepare("INSERT INTO memory_context_fts(memory_context_fts) VALUES ('delete-all')").run();
  for (let last = 0;;) {
    const places = store.prepare(`${PLACE} WHERE pk > ? AND turn = 1 ORDER BY pk LIMIT ?`)
      .all(last, batch) as unknown as Place[];
    if (places.length === 0) break;
    refresh(store, places, new Map());
    last = places[places.length - 1].pk;
  }
  return (store.prepare("SELECT count(*) AS n FROM memory_context_fts_docsize").get() as {
    n: number;
  }).n;
}
