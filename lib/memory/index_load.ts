/**
 * A process's first vector index load, from the database alone: the rows' keys and their
 * vectors a page of 64 rows at a time (lib/store vector_keys.ts and vector_pages.ts, schema
 * v8), into arenas reserved at their final size, each run of a page in one copy. Until schema
 * v7 a one-shot process read a snapshot file beside the database (`<db>-vectors`) instead of
 * every row's blob; the pages make that file unneeded, and a first load with write access
 * removes one left behind.
 *
 * @module
 */
import { loadVectors, type Store, type StoredVector } from "../store/mod.ts";
import type { BruteForceIndex } from "../recall/mod.ts";

/** The vector snapshot file schema v7 and older kept beside a database. */
export function oldSnapshotPath(dbPath: string): string {
  return `${dbPath}-vectors`;
}

/**
 * Every row as of the current revision into an empty index, each namespace's room reserved
 * first. `tagOf` says what a later catch-up would do with a row: its tag when the index holds
 * it, null when not (rows of a run share all it may look at but the key). Rows changed after
 * that revision (by another process, meanwhile) come with the next catch-up. Removes an old
 * snapshot file when `write`. Returns the revision the index is now at.
 */
export function firstLoad(
  store: Store,
  index: BruteForceIndex,
  tagOf: (u: StoredVector) => number | null,
  write: boolean,
): number {
  if (write) {
    try {
      Deno.removeSync(oldSnapshotPath(store.path));
    } catch { /* none, or not ours to remove: a cache nobody reads any more */ }
  }
  return loadVectors(
    store,
    index.dim,
    (namespace, rows) => index.reserve(namespace, rows),
    ({ first, values }) => {
      const tag = values ? tagOf(first) : null;
      if (tag !== null) index.appendRun(first.namespace, first.pk, tag, values!);
    },
  );
}
