/**
 * One writer per runtime: every write goes through a FIFO queue. Consecutive store jobs are
 * group-committed (one embed call, one transaction for up to `maxBatchItems` memories), other
 * writes run one at a time in order. Concurrent callers therefore never contend for SQLite's
 * write lock inside this process, and reads (which do not queue) run alongside.
 */
import { MemoryossError } from "../errors/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { StoreInput } from "./schemas.ts";
import { storeMemories, type StoreResult } from "./write.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";

/** Options for {@link WriteQueue}. */
export interface WriteQueueOptions {
  /** Most memories committed in one transaction (default 256). */
  maxBatchItems?: number;
  /** Refuse new work (RATE_LIMITED) beyond this many queued memories (default 20 000). */
  maxPendingItems?: number;
}

/** Counters for metrics and index health. */
export interface WriteQueueStats {
  pending_jobs: number;
  pending_items: number;
  jobs_done: number;
  items_stored: number;
  batches: number;
  max_batch_items: number;
  last_batch_items: number;
  errors: number;
}

interface StoreJob {
  kind: "store";
  inputs: StoreInput[];
  sourceKey: string | null;
  resolve: (r: StoreResult[]) => void;
  reject: (e: unknown) => void;
}
interface RunJob {
  kind: "run";
  fn: () => unknown;
  resolve: (r: unknown) => void;
  reject: (e: unknown) => void;
}
type Job = StoreJob | RunJob;

/** The single writer of a runtime. */
export class WriteQueue {
  readonly #rt: Runtime;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  #q: Job[] = [];
  #pendingItems = 0;
  #running = false;
  #closed = false;
  #idle: PromiseWithResolvers<void> | null = null;
  #stats = {
    jobs_done: 0,
    items_stored: 0,
    batches: 0,
    max_batch_items: 0,
    last_batch_items: 0,
    errors: 0,
  };

  constructor(rt: Runtime, opts: WriteQueueOptions = {}) {
    this.#rt = rt;
    this.#maxBatch = opts.maxBatchItems ?? 256;
    this.#maxPending = opts.maxPendingItems ?? 20_000;
  }

  /**
   * Store validated inputs (group-committed with other queued stores); resolves once committed.
   *
   * @example
   * ```ts
   * const [r] = await writeQueue(rt).store([validateStoreInput(rt, { content: "x" })]);
   * ```
   */
  store(inputs: StoreInput[], opts: { sourceKey?: string | null } = {}): Promise<StoreResult[]> {
    try {
      refuseWhileStopped(this.#rt.loaded.home, "store");
    } catch (e) {
      return Promise.reject(e);
    }
    this.#admit(inputs.length);
    const { promise, resolve, reject } = Promise.withResolvers<StoreResult[]>();
    this.#pendingItems += inputs.length;
    this.#q.push({ kind: "store", inputs, sourceKey: opts.sourceKey ?? null, resolve, reject });
    this.#pump();
    return promise;
  }

  /** Run any other write (update, forget, feedback, …) in queue order. */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    this.#admit(1);
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    this.#pendingItems += 1;
    this.#q.push({ kind: "run", fn, resolve: resolve as (r: unknown) => void, reject });
    this.#pump();
    return promise;
  }

  /** Resolves when nothing is queued or running. */
  drain(): Promise<void> {
    if (!this.#running && this.#q.length === 0) return Promise.resolve();
    this.#idle ??= Promise.withResolvers<void>();
    return this.#idle.promise;
  }

  /** Refuse new work (UNAVAILABLE) and wait for queued work to finish. */
  close(): Promise<void> {
    this.#closed = true;
    return this.drain();
  }

  get closed(): boolean {
    return this.#closed;
  }

  stats(): WriteQueueStats {
    return { pending_jobs: this.#q.length, pending_items: this.#pendingItems, ...this.#stats };
  }

  #admit(items: number): void {
    if (this.#closed) {
      throw new MemoryossError("UNAVAILABLE", "the server is shutting down; retry shortly");
    }
    if (this.#pendingItems > 0 && this.#pendingItems + items > this.#maxPending) {
      throw new MemoryossError(
        "RATE_LIMITED",
        `write queue is full (${this.#pendingItems} pending); retry shortly`,
      );
    }
  }

  async #pump(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#q.length > 0) {
        const head = this.#q[0];
        if (head.kind === "run") {
          this.#q.shift();
          try {
            head.resolve(await head.fn());
          } catch (e) {
            this.#stats.errors++;
            head.reject(e);
          } finally {
            this.#pendingItems -= 1;
            this.#stats.jobs_done++;
          }
          continue;
        }
        const group: StoreJob[] = [];
        let items = 0;
        while (this.#q.length > 0 && this.#q[0].kind === "store") {
          const next = this.#q[0] as StoreJob;
          if (group.length > 0 && items + next.inputs.length > this.#maxBatch) break;
          group.push(next);
          items += next.inputs.length;
          this.#q.shift();
        }
        await this.#commit(group, items);
      }
    } finally {
      this.#running = false;
      const idle = this.#idle;
      this.#idle = null;
      idle?.resolve();
    }
  }

  async #commit(group: StoreJob[], items: number): Promise<void> {
    let results: StoreResult[];
    try {
      const inputs = group.flatMap((j) => j.inputs);
      const sourceKeys = group.flatMap((j) => j.inputs.map(() => j.sourceKey));
      results = await storeMemories(this.#rt, inputs, undefined, { sourceKeys });
    } catch (e) {
      if (group.length === 1) {
        this.#stats.errors++;
        this.#done(group[0]);
        group[0].reject(e);
      } else {
        // One bad job must not fail its neighbours: the group rolled back, so retry each alone.
        for (const j of group) await this.#commit([j], j.inputs.length);
      }
      return;
    }
    this.#stats.batches++;
    this.#stats.last_batch_items = items;
    this.#stats.max_batch_items = Math.max(this.#stats.max_batch_items, items);
    this.#stats.items_stored += items;
    let at = 0;
    for (const j of group) {
      this.#done(j);
      j.resolve(results.slice(at, at + j.inputs.length));
      at += j.inputs.length;
    }
  }

  #done(j: StoreJob): void {
    this.#pendingItems -= j.inputs.length;
    this.#stats.jobs_done++;
  }
}

const queues = new WeakMap<Runtime, WriteQueue>();

/** The write queue of `rt` (one per runtime, created on first use). */
export function writeQueue(rt: Runtime, opts?: WriteQueueOptions): WriteQueue {
  let q = queues.get(rt);
  if (!q) {
    q = new WriteQueue(rt, opts);
    queues.set(rt, q);
  }
  return q;
}
