/**
 * A bounded background queue for extraction jobs: at most `capacity` jobs wait, one runs at a
 * time, jobs beyond the bound are dropped and counted. Failures are logged and counted, never
 * thrown to the caller.
 */

/** Counters for the debug endpoint and tests. */
export interface ExtractionStats {
  enqueued: number;
  completed: number;
  failed: number;
  dropped: number;
  pending: number;
}

/** A bounded FIFO of async jobs run one after another. */
export class ExtractionQueue {
  readonly #capacity: number;
  readonly #onError: (e: unknown) => void;
  #jobs: (() => Promise<void>)[] = [];
  #running = false;
  #idle: PromiseWithResolvers<void> | null = null;
  #stats = { enqueued: 0, completed: 0, failed: 0, dropped: 0 };

  constructor(capacity: number, onError: (e: unknown) => void = () => {}) {
    this.#capacity = capacity;
    this.#onError = onError;
  }

  /**
   * Queue `job`; returns false (and counts a drop) when the queue is full.
   *
   * @example
   * ```ts
   * const q = new ExtractionQueue(8);
   * q.push(async () => {});
   * await q.drain();
   * ```
   */
  push(job: () => Promise<void>): boolean {
    if (this.#jobs.length >= this.#capacity) {
      this.#stats.dropped++;
      return false;
    }
    this.#stats.enqueued++;
    this.#jobs.push(job);
    if (!this.#running) this.#pump();
    return true;
  }

  /** Resolves once no job is queued or running. */
  drain(): Promise<void> {
    if (!this.#running && this.#jobs.length === 0) return Promise.resolve();
    this.#idle ??= Promise.withResolvers<void>();
    return this.#idle.promise;
  }

  stats(): ExtractionStats {
    return { ...this.#stats, pending: this.#jobs.length };
  }

  async #pump(): Promise<void> {
    this.#running = true;
    // Start on a later tick so the response that queued the job is never delayed.
    await new Promise((r) => setTimeout(r, 0));
    while (this.#jobs.length > 0) {
      const job = this.#jobs.shift()!;
      try {
        await job();
        this.#stats.completed++;
      } catch (e) {
        this.#stats.failed++;
        try {
          this.#onError(e);
        } catch { /* a logger must not stop the queue */ }
      }
    }
    this.#running = false;
    this.#idle?.resolve();
    this.#idle = null;
  }
}
