/**
 * Warm start for `serve`: right after the port opens, load the vector index in pages (yielding
 * to requests between them) and run the recall path once, so the first real query is as fast
 * as the rest. `/health` reports the state; requests never wait for it (a query that arrives
 * first loads what is left itself, as without warm-up).
 */
import { listMemories, namespaceCounts, recall, type Runtime } from "../memory/mod.ts";
import type { LogLevel } from "./context.ts";

/** What `/health` says about the index. */
export interface IndexReadiness {
  /**
   * `cold`: no warm-up runs (the index loads with the first query); `warming`: loading;
   * `ready`: loaded and the recall path ran once; `failed`: loading failed (queries still load
   * it themselves, and report the error).
   */
  state: "cold" | "warming" | "ready" | "failed";
  /** Vectors in the index now. */
  vectors: number;
  /** How long the warm-up took, once it ended. */
  warm_ms: number | null;
}

/** One warm-up of a runtime's index and recall path. */
export class WarmUp {
  #state: IndexReadiness["state"] = "cold";
  #ms: number | null = null;
  #abort = new AbortController();
  #done: Promise<void> = Promise.resolve();

  /** Start in the background; resolves immediately. */
  start(rt: Runtime, log: (level: LogLevel, line: string) => void): void {
    this.#state = "warming";
    const t0 = performance.now();
    this.#done = (async () => {
      try {
        const vectors = await rt.warmIndex({ signal: this.#abort.signal });
        if (this.#abort.signal.aborted) return;
        await warmRecall(rt).catch((e) => log("warn", `warm-up recall failed: ${message(e)}`));
        await warmTerms(rt, this.#abort.signal)
          .catch((e) => log("warn", `warm-up of common words failed: ${message(e)}`));
        this.#state = "ready";
        this.#ms = Math.round(performance.now() - t0);
        log("info", `index ready: ${vectors} vectors in ${this.#ms} ms`);
      } catch (e) {
        this.#state = "failed";
        this.#ms = Math.round(performance.now() - t0);
        log("warn", `index warm-up failed: ${message(e)}`);
      }
    })();
  }

  /** Stop between pages and wait until nothing more runs (before the runtime closes). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  /** The readiness `/health` reports. */
  readiness(rt: Runtime): IndexReadiness {
    return { state: this.#state, vectors: rt.index.size(), warm_ms: this.#ms };
  }
}

/** The readiness of `rt`'s index: the warm-up's, or `cold` when none runs. */
export function indexReadiness(rt: Runtime, warm?: WarmUp): IndexReadiness {
  return warm?.readiness(rt) ?? { state: "cold", vectors: rt.index.size(), warm_ms: null };
}

/**
 * Load the embedder, then one recall in the largest namespace for words of its newest memory:
 * compiles the hot code and brings the FTS pages and prepared statements in. Recall writes
 * nothing.
 */
async function warmRecall(rt: Runtime): Promise<void> {
  // The builtin embedder loads its word table on first use; a remote one is never called
  // here (no request, no cost at start): its recall path warms in bm25 mode.
  const local = rt.embedder.id.startsWith("builtin:");
  if (local) await rt.embedder.embed(["warm up"]);
  const largest = namespaceCounts(rt, "*").sort((a, b) => b.active - a.active)[0];
  if (!largest || largest.active === 0) return;
  const [newest] = listMemories(rt, { namespace: largest.namespace, limit: 1 }).memories;
  const words = newest?.content.split(/\s+/).slice(0, 8).join(" ").trim();
  if (!words) return;
  await recall(rt, {
    query: words,
    namespace: largest.namespace,
    limit: 10,
    ...(local ? {} : { mode: "bm25" as const }),
  });
}

/** Memories whose words {@link warmTerms} samples. */
const TERM_SAMPLE = 1000;

/**
 * Read ahead the bm25 values of common words (lib/recall/term_stats.ts `prewarm`), sampled
 * from the newest memories of the largest namespace: a first query naming one costs what the
 * next one does, until the store is written. Returns the rows read (at most 500,000: 8 MB).
 */
export async function warmTerms(rt: Runtime, signal?: AbortSignal): Promise<number> {
  const largest = namespaceCounts(rt, "*").sort((a, b) => b.active - a.active)[0];
  if (!largest || largest.active === 0) return 0;
  const { memories } = listMemories(rt, { namespace: largest.namespace, limit: TERM_SAMPLE });
  return await rt.stats.prewarm(memories.map((m) => m.content), { signal });
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
