/**
 * Several processes on one Postgres store: the change notification every write and delete
 * sends in its transaction (delivered when it commits), LISTEN for it, and advisory locks for
 * jobs only one process may run.
 *
 * One channel per database, `memoryoss_changes`; the payload is `<schema>:<rev>` (several
 * memoryoss schemas may share a database, `?schema=`, and must not wake each other).
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { Sql } from "../postgres/connect.ts";
import type { ExclusiveResult } from "./types.ts";

/** The channel every write notifies. */
export const CHANGES_CHANNEL = "memoryoss_changes";

/** Send the change notification for `rev` of `schema` (inside the writing transaction). */
export async function notifyChange(tx: Sql, schema: string, rev: number): Promise<void> {
  await tx.unsafe("SELECT pg_notify($1, $2)", [CHANGES_CHANNEL, `${schema}:${rev}`]);
}

/**
 * LISTEN for `schema`'s changes on a connection of its own (the client's `listen`); reports
 * `currentRev()` each time the LISTEN is (re-)established, then each notified revision above
 * the last one reported. Resolves to the function that stops it.
 */
export async function pgWatch(
  sql: Sql,
  schema: string,
  currentRev: () => Promise<number>,
  onChange: (rev: number) => void,
): Promise<() => Promise<void>> {
  let last = -1;
  const report = (rev: number) => {
    if (Number.isFinite(rev) && rev > last) {
      last = rev;
      onChange(rev);
    }
  };
  const prefix = `${schema}:`;
  let live = false;
  const onListen = () => {
    // First start and every reconnect: notifications sent meanwhile are lost, the revision not.
    currentRev().then((r) => live && report(r), () => {});
  };
  const { unlisten } = await sql.listen(CHANGES_CHANNEL, (payload: string) => {
    if (payload.startsWith(prefix)) report(Number(payload.slice(prefix.length)));
  }, onListen);
  live = true;
  report(await currentRev());
  return async () => {
    live = false;
    await unlisten();
  };
}

/**
 * Run `fn` while holding the advisory lock of `schema`/`name`, or return `{ ran: false }` when
 * another session holds it. `held` keeps this process's own jobs (a session may take its own
 * advisory lock twice, and this process has one session).
 */
export async function pgExclusive<T>(
  sql: Sql,
  schema: string,
  held: Set<string>,
  name: string,
  fn: () => Promise<T>,
): Promise<ExclusiveResult<T>> {
  if (!name) throw new MemoryossError("INVALID_INPUT", "a job needs a name");
  if (held.has(name)) return { ran: false };
  held.add(name);
  const key = `memoryoss:${schema}:job:${name}`;
  try {
    const [r] = await sql.unsafe(
      "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
      [key],
    );
    if (!r.ok) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await sql.unsafe("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]);
    }
  } finally {
    held.delete(name);
  }
}
