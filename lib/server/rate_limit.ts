/**
 * Token buckets keyed by caller (memoryOSS §2.1): capacity `burst`, refilled at `rate` per
 * second. No timers: buckets refill lazily and idle ones are swept on use.
 */

/** The outcome of one take. */
export type Take = { ok: true } | { ok: false; retryAfterMs: number };

/** A set of token buckets. */
export class RateLimiter {
  readonly rate: number;
  readonly burst: number;
  readonly #now: () => number;
  #buckets = new Map<string, { tokens: number; at: number }>();
  #calls = 0;

  /** `rate` 0 disables limiting. */
  constructor(rate: number, burst = rate, now: () => number = () => performance.now()) {
    this.rate = rate;
    this.burst = Math.max(1, burst);
    this.#now = now;
  }

  /**
   * Take one token for `key`.
   *
   * @example
   * ```ts
   * const r = new RateLimiter(100).take("key-1"); // { ok: true }
   * ```
   */
  take(key: string): Take {
    if (this.rate <= 0) return { ok: true };
    const now = this.#now();
    if (++this.#calls % 1024 === 0) this.#sweep(now);
    let b = this.#buckets.get(key);
    if (!b) {
      b = { tokens: this.burst, at: now };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - b.tokens) / this.rate) * 1000) };
  }

  #sweep(now: number): void {
    for (const [k, b] of this.#buckets) {
      if (now - b.at > 600_000) this.#buckets.delete(k);
    }
  }
}
