/**
 * memman's drain-time canonical rewrite (extraction step 1, role `slow_canonical`): with a
 * model, each queued note is rewritten into exactly one canonical fact (category, importance
 * 2–5 and entities into the memory) before it is embedded and reconciled, or skipped as
 * non-durable (the row is done, nothing is stored). Without a model nothing changes; on any
 * provider error or unusable answer the note is kept as written (memman: raw text, fact/3).
 */
import { MemoryossError } from "../errors/mod.ts";
import { type ChatSettings, LlmError } from "../llm/mod.ts";
import { llmCanonical } from "../extract/mod.ts";
import { markQueueRowSkipped } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { StoreInput } from "./schemas.ts";
import { validateStoreInput } from "./write_input.ts";

/** What the rewrite did to the rows of one drain run (present only with a model). */
export interface CanonicalStats {
  rewritten: number;
  skipped: number;
  /** The model failed or answered unusably: the note was kept as written. */
  kept: number;
}

/** One note after the rewrite: the input to store, or the model's reason to skip it. */
export type Canonical = { input: StoreInput } | { skip: string };

/**
 * Rewrite `input` with the model (null: unchanged). Never throws for a model problem.
 *
 * @example
 * ```ts
 * const c = await canonicalNote(rt, llm, input, stats);
 * if ("skip" in c) markSkipped(rt, id, c.skip, worker);
 * ```
 */
export async function canonicalNote(
  rt: Runtime,
  llm: ChatSettings | null,
  input: StoreInput,
  stats: CanonicalStats,
): Promise<Canonical> {
  if (!llm) return { input };
  try {
    const a = await llmCanonical(llm, input.content);
    if ("skip" in a) {
      stats.skipped++;
      return { skip: a.skip };
    }
    const f = a.fact;
    const meta = input.metadata ?? {};
    const next = validateStoreInput(rt, {
      ...input,
      content: f.content,
      category: input.category ?? f.category,
      metadata: {
        ...meta,
        importance: meta.importance ?? f.importance,
        ...(f.entities.length ? { entities: meta.entities ?? f.entities } : {}),
        ...(f.content === input.content ? {} : { rewritten_by: "llm" }),
      },
    });
    stats.rewritten++;
    return { input: next };
  } catch (e) {
    if (!(e instanceof LlmError) && !(e instanceof MemoryossError)) throw e;
    stats.kept++;
    return { input };
  }
}

/** The row is done without a memory: the model judged it non-durable (one transaction). */
export function markSkipped(
  rt: Runtime,
  it: { id: number; namespace: string },
  reason: string,
  worker: string,
): boolean {
  const now = rt.now().toISOString();
  const why = `skipped as non-durable: ${reason}`.slice(0, 1000);
  return markQueueRowSkipped(
    rt.store,
    it,
    JSON.stringify({ action: "NONE", source: "llm", skipped: true, reason: why }),
    `llm: ${why}`,
    worker,
    now,
  );
}

/** The part of the drain's summary the rewrite counts into. */
interface Counted {
  processed: number;
  actions: { NONE: number };
  sources: { llm: number };
  canonical?: CanonicalStats;
}

/**
 * The drain's rewrite pass over one batch (before embedding): `inputs` gets each rewritten
 * note; skipped rows are marked done and leave `inputs`.
 */
export async function canonicalPass(
  rt: Runtime,
  llm: ChatSettings,
  items: { id: number; namespace: string }[],
  inputs: Map<number, StoreInput>,
  worker: string,
  summary: Counted,
): Promise<void> {
  const stats = summary.canonical ??= { rewritten: 0, skipped: 0, kept: 0 };
  for (const it of items) {
    const c = await canonicalNote(rt, llm, inputs.get(it.id)!, stats);
    if ("input" in c) {
      inputs.set(it.id, c.input);
      continue;
    }
    inputs.delete(it.id);
    if (markSkipped(rt, it, c.skip, worker)) {
      summary.processed++;
      summary.actions.NONE++;
      summary.sources.llm++;
    }
  }
}
