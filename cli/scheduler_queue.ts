/**
 * `scheduler queue` and `scheduler status`: the remember queue in memman's columns and
 * statuses (pending, done, failed, stale), the scheduler state and the last drain.
 * A `stale` row (parked by `scheduler start`, lib/scheduler `markStale`) is one no drain claims;
 * the queue lists and counts it as `stale`, apart from failed.
 */
import type { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { lastDrainRun, listQueue, type QueueRow, queueStats } from "../lib/memory/mod.ts";
import { readSchedulerState, type SchedulerState } from "../lib/scheduler/mod.ts";
import { encryptionFromConfig, Store } from "../lib/store/mod.ts";
import { printJson } from "./_io.ts";

type Loaded = Awaited<ReturnType<typeof loadConfig>>;
/** The statuses `--status` takes. */
const QUEUE_STATUSES = ["pending", "done", "failed", "stale"];

/** Open the home's database for `fn`, then close it. */
export function withStore<T>(loaded: Loaded, fn: (s: Store) => T): T {
  const store = Store.open(loaded.dbPath, {
    busyTimeoutMs: loaded.config.storage.busy_timeout_ms,
    encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption),
  });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export function stateJson(s: SchedulerState, extra: Record<string, unknown> = {}) {
  return {
    state: s.state,
    since: s.since,
    source: s.source,
    state_file: s.path,
    ...(s.problem ? { problem: s.problem } : {}),
    ...extra,
  };
}

function countsLine(q: ReturnType<typeof queueStats>): string {
  return `queue: ${q.pending} pending, ${q.failed} failed, ${q.stale} stale, ${q.done} done`;
}

/** `scheduler status`: the state plus the queue it governs and the last drain. */
export function status(loaded: Loaded, json: boolean): number {
  const s = readSchedulerState(loaded.home);
  const { queue, last } = withStore(
    loaded,
    (st) => ({ queue: queueStats(st), last: lastDrainRun(st) }),
  );
  if (json) {
    printJson(stateJson(s, { queue, last_drain: last }));
    return 0;
  }
  const since = s.since ? ` since ${s.since}` : " (no state file: the default)";
  console.log(`scheduler ${s.state}${since}`);
  if (s.problem) console.error(`warning: ${s.problem}; 'memoryoss scheduler start' rewrites it`);
  console.log(countsLine(queue));
  console.log(
    last
      ? `last drain: ${last.finished_at} (${last.outcome}, ${last.processed} processed)`
      : "last drain: never",
  );
  return 0;
}

/** `--status` of `scheduler queue`, checked (INVALID_INPUT naming the four). */
export function checkQueueStatus(st: unknown): string | undefined {
  if (st !== undefined && !QUEUE_STATUSES.includes(String(st))) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--status takes ${QUEUE_STATUSES.join(", ")}, got '${st}'`,
      ["status"],
    );
  }
  return st === undefined ? undefined : String(st);
}

/** `scheduler queue`: the remember queue's rows, newest first. */
export function queue(
  loaded: Loaded,
  st: string | undefined,
  limit: number,
  json: boolean,
): number {
  const { rows, counts } = withStore(loaded, (store) => ({
    rows: listQueue(store, { status: st as QueueRow["status"] | undefined, limit }),
    counts: queueStats(store),
  }));
  if (json) {
    printJson({ queue: counts, items: rows });
    return 0;
  }
  console.log(countsLine(counts));
  for (const r of rows) {
    const text = (r.content ?? "(sealed)").replace(/\s+/g, " ");
    const short = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    console.log(
      `#${r.id} ${r.status} ${r.store} ${r.queued_at} tries ${r.attempts}: ${short}` +
        (r.last_error ? ` [${r.last_error.split("\n")[0]}]` : ""),
    );
  }
  return 0;
}
