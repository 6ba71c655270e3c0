/**
 * Extraction after a proxied exchange: skip a turn list already seen for the namespace,
 * run the local heuristic, and store each fact as a `candidate` (confidence 0.2) through the
 * runtime's write queue, whose dedup merges repeats into the existing memory.
 */
import { type Runtime, validateStoreInput, type WriteQueue } from "../memory/mod.ts";
import { heuristicExtract, type Turn } from "./heuristic.ts";
import { ExtractionQueue, type ExtractionStats } from "./queue.ts";

/** Provenance of extracted memories. */
export const EXTRACTION_SOURCE = "proxy-extraction";
/** Confidence of a freshly extracted candidate. */
export const CANDIDATE_CONFIDENCE = 0.2;
const SEEN_MAX = 10_000;

/** Options for {@link Extractor}. */
export interface ExtractorOptions {
  /** Most jobs waiting (default 64); more are dropped and counted. */
  capacity?: number;
  log?: (level: "warn" | "debug", line: string) => void;
}

/** Extraction counters plus what was stored. */
export interface ExtractorStats extends ExtractionStats {
  stored: number;
  skipped_repeat: number;
}

/** Runs extraction jobs in the background for one runtime. */
export class Extractor {
  readonly #rt: Runtime;
  readonly #writes: WriteQueue;
  readonly #queue: ExtractionQueue;
  readonly #seen = new Map<string, string>();
  #stored = 0;
  #skipped = 0;

  constructor(rt: Runtime, writes: WriteQueue, opts: ExtractorOptions = {}) {
    this.#rt = rt;
    this.#writes = writes;
    const log = opts.log ?? (() => {});
    this.#queue = new ExtractionQueue(opts.capacity ?? 64, (e) => {
      log("warn", `proxy extraction failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  /**
   * Queue extraction for one finished exchange. Never throws; returns false when skipped.
   *
   * @example
   * ```ts
   * extractor.submit("default", [{ role: "user", content: "We deploy on Fridays." }]);
   * ```
   */
  submit(namespace: string, turns: Turn[]): boolean {
    return this.#queue.push(async () => {
      const digest = await hashTurns(turns);
      if (this.#seen.get(namespace) === digest) {
        this.#skipped++;
        return;
      }
      if (this.#seen.size >= SEEN_MAX) this.#seen.clear();
      this.#seen.set(namespace, digest);
      const { facts } = heuristicExtract(turns);
      if (facts.length === 0) return;
      const inputs = facts.map((f) =>
        validateStoreInput(this.#rt, {
          content: f.content,
          tags: f.tags,
          namespace,
          status: "candidate",
          confidence: CANDIDATE_CONFIDENCE,
          metadata: { source: EXTRACTION_SOURCE },
        })
      );
      await this.#writes.store(inputs, { sourceKey: EXTRACTION_SOURCE });
      this.#stored += inputs.length;
    });
  }

  /** Resolves once every queued job has finished. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  stats(): ExtractorStats {
    return { ...this.#queue.stats(), stored: this.#stored, skipped_repeat: this.#skipped };
  }
}

async function hashTurns(turns: Turn[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(turns));
  const d = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}
