/**
 * Several processes on one SQLite home: a poll of the revision (SQLite has no push), and jobs
 * only one process may run, held as a lease row in `meta` (`job:<name>`: owner and expiry),
 * taken and released in IMMEDIATE transactions and renewed while the job runs.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { Store } from "../store.ts";
import type { ExclusiveResult } from "./types.ts";

/** How long a lease holds without renewal (a holder that died frees it after this). */
export const LEASE_MS = 30_000;

/**
 * Call `onChange` with the current revision now, then whenever a poll every `intervalMs` finds
 * a higher one. Returns the function that stops polling.
 */
export function sqliteWatch(
  store: Store,
  onChange: (rev: number) => void,
  intervalMs = 1000,
): () => Promise<void> {
  if (!(intervalMs > 0)) {
    throw new MemoryossError("INVALID_INPUT", "watch: intervalMs must be above 0");
  }
  let last = store.currentRev();
  onChange(last);
  const timer = setInterval(() => {
    let rev: number;
    try {
      rev = store.currentRev();
    } catch {
      return; // busy or closing: the next poll reads it
    }
    if (rev > last) {
      last = rev;
      onChange(rev);
    }
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return Promise.resolve();
  };
}

interface Lease {
  owner: string;
  until: number;
}

function readLease(store: Store, key: string): Lease | null {
  const row = store.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
    | { value: string }
    | undefined;
  try {
    return row ? JSON.parse(row.value) as Lease : null;
  } catch {
    return null; // unreadable: treated as free
  }
}

function putLease(store: Store, key: string, owner: string): void {
  store.prepare(
    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(key, JSON.stringify({ owner, until: Date.now() + LEASE_MS }));
}

/** Take the lease when free or expired; true when taken. */
function take(store: Store, key: string, owner: string): boolean {
  return store.transaction(() => {
    const l = readLease(store, key);
    if (l && l.owner !== owner && l.until > Date.now()) return false;
    putLease(store, key, owner);
    return true;
  });
}

/** Extend or drop the lease, only while it is still ours. */
function keep(store: Store, key: string, owner: string, drop: boolean): void {
  store.transaction(() => {
    if (readLease(store, key)?.owner !== owner) return;
    if (drop) store.prepare("DELETE FROM meta WHERE key = ?").run(key);
    else putLease(store, key, owner);
  });
}

/** Run `fn` holding the lease `job:<name>`, or `{ ran: false }` while another holds it. */
export async function sqliteExclusive<T>(
  store: Store,
  name: string,
  fn: () => Promise<T>,
): Promise<ExclusiveResult<T>> {
  if (!name) throw new MemoryossError("INVALID_INPUT", "a job needs a name");
  const key = `job:${name}`;
  const owner = crypto.randomUUID();
  if (!take(store, key, owner)) return { ran: false };
  const renew = setInterval(() => {
    try {
      keep(store, key, owner, false);
    } catch { /* busy: the next renewal comes well before the lease ends */ }
  }, LEASE_MS / 3);
  try {
    return { ran: true, value: await fn() };
  } finally {
    clearInterval(renew);
    keep(store, key, owner, true);
  }
}
