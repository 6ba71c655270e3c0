/**
 * Extraction after a proxied exchange: skip a turn list already seen for the namespace, ask
 * the configured model (`[llm]` / `MEMMAN_LLM_*`; none by default) or else run the local
 * heuristic, which is also the fallback on any model error, and store each fact as a
 * `candidate` (confidence 0.2) through the runtime's write queue, whose dedup merges repeats
 * into the existing memory.
 */
import { toHex } from "../crypto/mod.ts";
import { type ChatSettings, homeEnv, resolveLlmSettings } from "../llm/mod.ts";
import { type Runtime, validateStoreInput, type WriteQueue } from "../memory/mod.ts";
import { type Extraction, heuristicExtract, type Turn } from "./heuristic.ts";
import { llmExtract, type LlmFact } from "./llm.ts";
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
  /** The extraction model; default from `[llm]` / `MEMMAN_LLM_*` (null: heuristic only). */
  llm?: ChatSettings | null;
}

/** Extraction counters plus what was stored. */
export interface ExtractorStats extends ExtractionStats {
  stored: number;
  skipped_repeat: number;
  /** Exchanges the model extracted; exchanges where it failed and the heuristic ran. */
  llm: number;
  llm_fallback: number;
}

/** Runs extraction jobs in the background for one runtime. */
export class Extractor {
  readonly #rt: Runtime;
  readonly #writes: WriteQueue;
  readonly #queue: ExtractionQueue;
  readonly #seen = new Map<string, string>();
  readonly #llm: ChatSettings | null;
  readonly #log: NonNullable<ExtractorOptions["log"]>;
  #stored = 0;
  #skipped = 0;
  #viaLlm = 0;
  #fallbacks = 0;

  constructor(rt: Runtime, writes: WriteQueue, opts: ExtractorOptions = {}) {
    this.#rt = rt;
    this.#writes = writes;
    const log = opts.log ?? (() => {});
    this.#log = log;
    this.#llm = opts.llm === undefined
      ? resolveLlmSettings(rt.config, "slow_canonical", homeEnv(rt.loaded.home))
      : opts.llm;
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
      const { facts } = await this.#extract(turns);
      if (facts.length === 0) return;
      const inputs = facts.map((f) => {
        const x = f as Partial<LlmFact>;
        return validateStoreInput(this.#rt, {
          content: f.content,
          tags: f.tags,
          namespace,
          status: "candidate",
          confidence: CANDIDATE_CONFIDENCE,
          category: x.category,
          metadata: x.importance === undefined ? { source: EXTRACTION_SOURCE } : {
            source: EXTRACTION_SOURCE,
            extracted_by: "llm",
            importance: x.importance,
            entities: x.entities,
          },
        });
      });
      await this.#writes.store(inputs, { sourceKey: EXTRACTION_SOURCE });
      this.#stored += inputs.length;
    });
  }

  async #extract(turns: Turn[]): Promise<Extraction> {
    if (!this.#llm) return heuristicExtract(turns);
    try {
      const out = await llmExtract(this.#llm, turns);
      this.#viaLlm++;
      return out;
    } catch (e) {
      this.#fallbacks++;
      this.#log("warn", `model extraction failed, heuristic used: ${(e as Error).message}`);
      return heuristicExtract(turns);
    }
  }

  /** Resolves once every queued job has finished. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  stats(): ExtractorStats {
    return {
      ...this.#queue.stats(),
      stored: this.#stored,
      skipped_repeat: this.#skipped,
      llm: this.#viaLlm,
      llm_fallback: this.#fallbacks,
    };
  }
}

async function hashTurns(turns: Turn[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(turns));
  const d = await crypto.subtle.digest("SHA-256", bytes);
  return toHex(d);
}
