/**
 * `drain`: the worker that applies `remember_queue` rows. One worker at a time (an exclusive
 * advisory lock on `<db>.drain.lock`, freed by the kernel when the holder dies). Each row is
 * planned (embed, neighbours, decision) without writes, then applied and marked done in ONE
 * transaction, so a crash at any point either leaves the row fully applied or untouched for
 * the next drain: nothing is lost and nothing is applied twice.
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  claimQueueRows,
  contentHash,
  countQueueTry,
  failQueueRow,
  markQueueRowDone,
  newRecord,
  rememberPayloadRef,
  statusBit,
  uuidv7,
} from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { StoreInput } from "./schemas.ts";
import { archiveSuperseded, storeMemories } from "./write.ts";
import { validateStoreInput } from "./write_input.ts";
import { MAX_ATTEMPTS, type QueueStats, queueStats } from "./remember.ts";
import { type Decision, nearestMemories, type ReconcileAction } from "./reconcile.ts";
import { type DecisionSource, llmSettings, reconcileDecision } from "./reconcile_llm.ts";
import { type ChatSettings, homeEnv } from "../llm/mod.ts";
import { drainLockPath, recordLastRun, tryDrainLock } from "./drain_run.ts";
import { linkMemories } from "../graph/mod.ts";
import { type CausalLinker, hookTransaction, planCausalLinks } from "./drain_link.ts";
import { schedulerStopped } from "../scheduler/mod.ts";
import { canonicalPass, type CanonicalStats } from "./drain_canonical.ts";
import { linkDeferred } from "./import_links.ts";

export {
  type DrainLock,
  drainLockPath,
  type DrainRun,
  lastDrainRun,
  listQueue,
  type QueueRow,
  reconcileDecisions,
  type RecordedDecision,
  tryDrainLock,
} from "./drain_run.ts";

/** Options for {@link drain}. */
export interface DrainOptions {
  /** Rows claimed and embedded together (default 64). */
  batch?: number;
  /** Stop after one batch. */
  once?: boolean;
  /** Worker id recorded on claimed rows and decisions (default `pid<pid>-<random>`). */
  worker?: string;
  /** Lock file (default `<dbPath>.drain.lock`). */
  lockPath?: string;
  /** The reconciliation model; default from `[llm]` (null: rules only). */
  llm?: ChatSettings | null;
}

/** What one drain run did. */
export interface DrainSummary {
  /** "busy" when another drain holds the lock (nothing was done). */
  lock: "acquired" | "busy";
  worker: string;
  processed: number;
  actions: Record<ReconcileAction, number>;
  /** Decisions by source: the model, the rules, or the rules after the model failed. */
  sources: Record<DecisionSource, number>;
  failed: { queue_id: number; error: string }[];
  queue: QueueStats;
  /** Present when the run stopped (or never started) because the scheduler is stopped. */
  scheduler?: "stopped";
  /** Imported memories given their graph links by this run (import_links.ts). */
  linked: number;
  /** With a model: memman's canonical rewrite (docs/llm.md, "Drain"). */
  canonical?: CanonicalStats;
}

/** What a done row's `result` column holds. */
export interface ItemResult extends Decision {
  source: DecisionSource;
  /** The memory written, merged into, or (DELETE/UPDATE) that supersedes the target. */
  memory_id: string;
  /** What the store did: a new memory, a merge into a duplicate, or a new memory plus an archive. */
  outcome: "created" | "merged" | "superseded";
}

interface QueueItem {
  id: number;
  namespace: string;
  payload: string;
  /** `remember --no-reconcile`: stored as written (no rewrite, no reconciliation). */
  asWritten?: boolean;
}

/** Thrown inside an apply transaction when another run already finished the row. */
class AlreadyDone extends Error {}

const zeroActions = (): Record<ReconcileAction, number> => ({
  ADD: 0,
  UPDATE: 0,
  DELETE: 0,
  NONE: 0,
});

/**
 * Apply queued rows until none are left (or one batch with `once`).
 *
 * @example
 * ```ts
 * const s = await drain(rt, { batch: 64 });
 * if (s.lock === "busy") console.log("another drain in progress");
 * ```
 */
export async function drain(rt: Runtime, opts: DrainOptions = {}): Promise<DrainSummary> {
  const worker = opts.worker ?? `pid${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const batch = Math.max(1, opts.batch ?? 64);
  const summary: DrainSummary = {
    lock: "busy",
    worker,
    processed: 0,
    actions: zeroActions(),
    sources: { llm: 0, rules: 0, fallback: 0 },
    failed: [],
    queue: queueStats(rt.store),
    linked: 0,
  };
  const lock = tryDrainLock(opts.lockPath ?? drainLockPath(rt.loaded.dbPath));
  if (!lock) return summary;
  summary.lock = "acquired";
  const started = rt.now().toISOString();
  const llm = opts.llm === undefined ? llmSettings(rt.config, homeEnv(rt.loaded.home)) : opts.llm;
  let error: string | null = null;
  try {
    let cursor = 0;
    while (true) {
      // `scheduler stop` is read before each claim, so a running drain stops between batches.
      if (schedulerStopped(rt.loaded.home)) {
        summary.scheduler = "stopped";
        break;
      }
      const items = claim(rt, worker, cursor, batch);
      if (items.length === 0) break;
      cursor = items[items.length - 1].id;
      await processBatch(rt, items, worker, summary, llm);
      if (opts.once) break;
    }
    // Then the graph links an import deferred (between batches, `scheduler stop` still stops).
    if (summary.scheduler === undefined) {
      const stopped = () => {
        if (!schedulerStopped(rt.loaded.home)) return false;
        summary.scheduler = "stopped";
        return true;
      };
      summary.linked = linkDeferred(rt, stopped);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    throw e;
  } finally {
    summary.queue = queueStats(rt.store);
    recordLastRun(rt, started, summary, error);
    lock.release();
  }
  return summary;
}

/** Mark the next open rows after `cursor` as claimed by `worker` (the lock makes it exclusive). */
function claim(rt: Runtime, worker: string, cursor: number, limit: number): QueueItem[] {
  const rows = claimQueueRows(rt.store, {
    worker,
    at: rt.now().toISOString(),
    maxAttempts: MAX_ATTEMPTS,
    cursor,
    limit,
  }) as QueueItem[];
  return rows.sort((a, b) => a.id - b.id);
}

async function processBatch(
  rt: Runtime,
  items: QueueItem[],
  worker: string,
  summary: DrainSummary,
  llm: ChatSettings | null,
): Promise<void> {
  const inputs = new Map<number, StoreInput>();
  for (const it of items) {
    // A missing or wrong key stops the drain (the item stays queued), never fails the item.
    const payload = rt.store.openValue(rememberPayloadRef(it.namespace), it.payload);
    try {
      const { no_reconcile, ...fields } = JSON.parse(payload);
      inputs.set(it.id, validateStoreInput(rt, { ...fields, namespace: it.namespace }));
      if (no_reconcile === true) it.asWritten = true;
    } catch (e) {
      // A payload that cannot become a memory never will: give up on it at once.
      fail(rt, it.id, e, true, summary);
    }
  }
  if (llm) {
    // memman's --no-reconcile: no canonical rewrite for those notes.
    const parsed = items.filter((it) => inputs.has(it.id) && !it.asWritten);
    await canonicalPass(rt, llm, parsed, inputs, worker, summary);
  }
  const valid = items.filter((it) => inputs.has(it.id));
  if (valid.length === 0) return;
  let vectors: Float32Array[];
  try {
    vectors = await rt.embedder.embed(valid.map((it) => inputs.get(it.id)!.content));
  } catch (e) {
    for (const it of valid) {
      begin(rt, it.id, worker);
      fail(rt, it.id, e, false, summary);
    }
    throw new MemoryossError(
      "UNAVAILABLE",
      `embedding failed; ${valid.length} item(s) stay queued: ${(e as Error).message}`,
    );
  }
  for (const [j, it] of valid.entries()) {
    if (!begin(rt, it.id, worker)) continue;
    try {
      const input = inputs.get(it.id)!;
      const res = await applyItem(rt, it, input, vectors[j], worker, llm);
      summary.processed++;
      summary.actions[res.action]++;
      summary.sources[res.source]++;
    } catch (e) {
      if (e instanceof AlreadyDone) continue;
      fail(rt, it.id, e, false, summary);
    }
  }
}

/** Count a try before doing anything (committed), so a row that keeps crashing stops. */
function begin(rt: Runtime, id: number, worker: string): boolean {
  return countQueueTry(rt.store, id, worker, rt.now().toISOString());
}

function fail(
  rt: Runtime,
  id: number,
  e: unknown,
  permanent: boolean,
  summary: DrainSummary,
): void {
  const msg = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
  failQueueRow(rt.store, id, msg, permanent, MAX_ATTEMPTS);
  summary.failed.push({ queue_id: id, error: msg });
}

/** Plan (no writes), then apply and mark done in one transaction. */
async function applyItem(
  rt: Runtime,
  it: QueueItem,
  input: StoreInput,
  vec: Float32Array,
  worker: string,
  llm: ChatSettings | null,
): Promise<ItemResult> {
  const hash = await contentHash(input.content);
  rt.syncIndex();
  const near = nearestMemories(rt, it.namespace, input.content, vec);
  const decision = it.asWritten ? asWritten() : await reconcileDecision(
    input.content,
    hash,
    near.map(({ memory, similarity }) => ({
      id: memory.record.id,
      content: memory.record.content,
      content_hash: memory.record.content_hash,
      similarity,
    })),
    { duplicateThreshold: rt.config.recall.semantic_dedup_threshold },
    llm,
  );
  const link = await planCausalLinks(rt, llm, it.namespace, input.content, near, decision);
  if (decision.action === "UPDATE" || decision.action === "DELETE") {
    const res = supersede(rt, it, input, hash, vec, decision, worker, link);
    if (res) return res;
    decision.reason += "; the target was gone, so the fact was added";
    decision.action = "ADD";
    delete decision.target_id;
    delete decision.similarity;
  }
  return await viaWritePath(rt, it, input, vec, decision, worker, link);
}

/** memman's `--no-reconcile`: added as written, no model asked (the write path still dedups). */
function asWritten(): Decision & { source: DecisionSource } {
  return { action: "ADD", source: "rules", reason: "not reconciled (remember --no-reconcile)" };
}

/** ADD and NONE go through the ordinary write path (dedup, contradiction flags, merge). */
async function viaWritePath(
  rt: Runtime,
  it: QueueItem,
  input: StoreInput,
  vec: Float32Array,
  decision: Decision & { source: DecisionSource },
  worker: string,
  link: CausalLinker,
): Promise<ItemResult> {
  let result: ItemResult | undefined;
  const hooked = hookTransaction(rt, vec, (out) => {
    const r = out[0];
    result = { ...decision, memory_id: r.id, outcome: r.outcome };
    if (decision.action === "NONE" && r.outcome === "created") {
      result.reason += "; the write path found no duplicate, so it was added";
      result.action = "ADD";
    } else if (decision.action === "ADD" && r.outcome === "merged") {
      result.reason += `; the write path merged it into duplicate ${r.id}`;
      result.action = "NONE";
      result.target_id = r.id;
    }
    if (r.outcome === "created") link(r.id);
    markDone(rt, it, result, worker);
  });
  await storeMemories(hooked, [input], undefined, { semanticEdges: true });
  return result!;
}

/** UPDATE and DELETE: insert the new fact, archive the target as superseded by it. */
function supersede(
  rt: Runtime,
  it: QueueItem,
  input: StoreInput,
  hash: string,
  vec: Float32Array,
  decision: Decision & { source: DecisionSource },
  worker: string,
  link: CausalLinker,
): ItemResult | null {
  return rt.store.transaction(() => {
    rt.syncIndex();
    const target = rt.store.getById(decision.target_id!);
    if (!target || target.record.archived || target.record.namespace !== it.namespace) {
      return null;
    }
    const now = rt.now().toISOString();
    const t = target.record;
    const update = decision.action === "UPDATE";
    const record = newRecord({
      id: uuidv7(),
      content: input.content,
      namespace: it.namespace,
      created_at: now,
      updated_at: now,
      tags: [...new Set([...(update ? t.tags : []), ...(input.tags ?? [])])],
      // An empty agent or session is none, as an empty filter is no filter (filters.ts).
      agent: input.agent || null,
      session: input.session || null,
      memory_type: input.memory_type ?? (update ? t.memory_type : "semantic"),
      category: input.category ?? (update ? t.category : null),
      content_hash: hash,
      last_verified_at: now,
      derived_from: [t.id],
      metadata: input.metadata ?? {},
    });
    const pk = rt.store.insert(record, { embedding: vec, embedderId: rt.embedder.id });
    rt.index.upsert(pk, it.namespace, vec, statusBit(record.status));
    archiveSuperseded(rt, target, record.id, now);
    // The link step: the superseding fact gets its edges (the archived target keeps its own).
    linkMemories(rt.store, [record.id], { index: rt.index, stats: rt.stats });
    link(record.id);
    const result: ItemResult = { ...decision, memory_id: record.id, outcome: "superseded" };
    markDone(rt, it, result, worker);
    return result;
  });
}

/** Inside the apply transaction: the row is done, with its decision and reason. */
function markDone(rt: Runtime, it: QueueItem, result: ItemResult, worker: string): void {
  const now = rt.now().toISOString();
  const done = markQueueRowDone(rt.store, it.id, JSON.stringify(result), {
    namespace: it.namespace,
    action: result.action,
    memory_id: result.memory_id,
    target_id: result.target_id ?? null,
    similarity: result.similarity ?? null,
    reason: `${result.source}: ${result.reason}`,
    worker,
  }, now);
  if (!done) throw new AlreadyDone(`queue item ${it.id} is already done`);
}
