/**
 * The write path: validate, embed outside the lock, then in one short transaction dedup
 * (exact hash, then the dedup rule of dedup.ts against the lexically nearest memories), flag
 * contradictions and insert.
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  contentHash,
  type MemoryRecord,
  newRecord,
  statusBit,
  type StoredMemory,
  uuidv7,
} from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
// Types only: the schemas (zod) are applied by write_input.ts, so a caller that validated
// otherwise (the CLI's plain check) writes without loading zod (`store` start-up).
import type { StoreInput, UpdateInput } from "./schemas.ts";
import { conflicts } from "./contradiction.ts";
import {
  BatchReads,
  bestDuplicate,
  lexicalNeighbours,
  readsOf,
  sameConversation,
} from "./write_candidates.ts";
// The graph modules themselves, not lib/graph's barrel (its LLM causal step loads lib/llm):
// `store` start-up (docs/benchmarks.md "Start-up").
import { linkMemories } from "../graph/build.ts";
import { relinkUpdated } from "../graph/relink.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";
import { DEFAULT_NAMESPACE } from "./namespace.ts";
import { deferLinks } from "./import_links.ts";
import { type DedupIndex, dedupIndexOf } from "./dedup_index.ts";
import { addTags, markContradicted, merge, type Rewrite } from "./write_rows.ts";
import { contentWords } from "../recall/mod.ts";

/** What happened to one stored item. */
export interface StoreResult {
  id: string;
  version: number;
  /** "created", or "merged" into an existing duplicate (exact or semantic). */
  outcome: "created" | "merged";
  duplicate_of?: string;
  similarity?: number;
  contradicts_with?: string[];
}

/** What happened to one replayed export record ({@link replayMemories}). */
export interface ReplayResult extends Omit<StoreResult, "outcome"> {
  /** "unchanged": the memory was already there with every tag; nothing was written. */
  outcome: StoreResult["outcome"] | "unchanged";
}

export { DEFAULT_NAMESPACE } from "./namespace.ts";

/** Extra options for {@link storeMemories}. */
export interface StoreMemoriesOptions {
  /**
   * Provenance per input (same order): memoryOSS `source_key`, e.g. the API key id that
   * stored it. Only new records take it; merges keep the original's.
   */
  sourceKeys?: (string | null | undefined)[];
  /** Also add semantic graph edges (a nearest-neighbour search): background writers only. */
  semanticEdges?: boolean;
  /**
   * Bulk import: write no graph edges now; record the new memories for the next `drain`,
   * which links them (import_links.ts). Only with `[graph] link_on_write`.
   */
  deferLinks?: boolean;
}
const BATCH = 256;
/** Batches this large rank dedup candidates from postings in memory (dedup_index.ts). */
const INDEXED_BATCH = 32;

/** Check limits that depend on config (zod handles shapes). */
export function checkLimits(rt: Runtime, input: StoreInput, path: (string | number)[] = []): void {
  const lim = rt.config.limits;
  const bytes = new TextEncoder().encode(input.content).length;
  if (bytes > lim.max_content_bytes) {
    throw new MemoryossError(
      "PAYLOAD_TOO_LARGE",
      `content is ${bytes} bytes; the limit is ${lim.max_content_bytes} (limits.max_content_bytes)`,
      [...path, "content"],
    );
  }
  if ((input.tags?.length ?? 0) > lim.max_tags) {
    throw new MemoryossError("INVALID_INPUT", `at most ${lim.max_tags} tags`, [...path, "tags"]);
  }
  for (const [i, t] of (input.tags ?? []).entries()) {
    if (new TextEncoder().encode(t).length > lim.max_tag_length) {
      throw new MemoryossError(
        "INVALID_INPUT",
        `tag longer than ${lim.max_tag_length} bytes`,
        [...path, "tags", i],
      );
    }
  }
  if (
    input.namespace && new TextEncoder().encode(input.namespace).length > lim.max_namespace_length
  ) {
    throw new MemoryossError("INVALID_INPUT", "namespace too long", [...path, "namespace"]);
  }
}

/**
 * Store one memory given as the schema returns it: `storeMemory` (write_input.ts) after its
 * schema, or the CLI after its plain check (store_plain.ts).
 */
export async function storeValid(rt: Runtime, input: StoreInput): Promise<StoreResult> {
  refuseWhileStopped(rt.loaded.home, "store");
  checkLimits(rt, input);
  return (await storeMemories(rt, [input]))[0];
}

/**
 * Store validated inputs in batches: one embed call and one transaction per batch, so bulk
 * import is fast and other processes wait at most one short batch for the lock.
 */
export async function storeMemories(
  rt: Runtime,
  inputs: StoreInput[],
  onProgress?: (done: number) => void,
  opts: StoreMemoriesOptions = {},
): Promise<StoreResult[]> {
  // Without `replay` no result is "unchanged".
  return await writeBatches(rt, inputs, onProgress, opts) as StoreResult[];
}

/**
 * Store the records of a `memoryoss export`. A record that matches a stored memory (the same
 * dedup rule) is that memory coming back, not new evidence: it only adds the tags the memory
 * lacks, and otherwise writes nothing, so importing one export twice changes nothing.
 */
export async function replayMemories(
  rt: Runtime,
  inputs: StoreInput[],
  onProgress?: (done: number) => void,
  opts: Pick<StoreMemoriesOptions, "deferLinks"> = {},
): Promise<ReplayResult[]> {
  return await writeBatches(rt, inputs, onProgress, { ...opts, replay: true });
}

async function writeBatches(
  rt: Runtime,
  inputs: StoreInput[],
  onProgress: ((done: number) => void) | undefined,
  opts: StoreMemoriesOptions & { replay?: boolean },
): Promise<ReplayResult[]> {
  const out: ReplayResult[] = [];
  for (let i = 0; i < inputs.length; i += BATCH) {
    const chunk = inputs.slice(i, i + BATCH);
    const vectors = await rt.embedder.embed(chunk.map((c) => c.content));
    const hashes = await Promise.all(chunk.map((c) => contentHash(c.content)));
    const index = chunk.length >= INDEXED_BATCH ? dedupIndexOf(rt.store) : undefined;
    if (index) rt.stats.counter = (word) => index.count(word);
    const results = rt.store.transaction(() => {
      // Dedup reads its few neighbours' vectors from the store; only a semantic-edge search
      // needs the whole index, and a process that already holds it keeps it current.
      if (opts.semanticEdges) rt.syncIndex();
      else rt.syncLoadedIndex();
      const made: StoredMemory[] = [];
      index?.begin(chunk, chunk.flatMap((c) => contentWords(c.content)));
      const reads = index ? readsOf(index) : new BatchReads();
      let res: ReplayResult[];
      try {
        res = chunk.map((input, j) =>
          writeOne(rt, input, hashes[j], vectors[j], opts.sourceKeys?.[i + j] ?? null, made, {
            ...opts,
            reads,
            index,
          })
        );
      } finally {
        index?.end();
      }
      // Graph edges commit with the memories. Not semantic ones: their nearest-neighbour search
      // over the namespace halved /v1/store throughput (docs/benchmarks.md), so only the drain
      // (in the background) and `graph rebuild` add them.
      const created = res.filter((r) => r.outcome === "created").map((r) => r.id);
      if (rt.config.graph.link_on_write && opts.deferLinks) {
        deferLinks(rt.store, made.map((m) => m.pk));
      } else if (rt.config.graph.link_on_write) {
        const index = opts.semanticEdges ? rt.index : undefined;
        const link = { index, stats: rt.stats, fresh: true, records: made, rememberHubs: true };
        linkMemories(rt.store, created, link);
      }
      return res;
    });
    index?.committed();
    out.push(...results);
    onProgress?.(out.length);
  }
  return out;
}

function writeOne(
  rt: Runtime,
  input: StoreInput,
  hash: string,
  vec: Float32Array,
  sourceKey: string | null,
  made: StoredMemory[],
  opts: { replay?: boolean; reads: BatchReads; index?: DedupIndex },
): ReplayResult {
  const { reads, index } = opts;
  // Every row this write rewrites, with the batch's index following it (dedup_index.ts).
  const update: Rewrite = (m, next) => {
    index?.beforeWrite(m.pk, m.record.content);
    rt.store.update(m.pk, next);
    index?.wrote(m.pk, next, true);
  };
  const ns = input.namespace ?? DEFAULT_NAMESPACE;
  const now = rt.now().toISOString();
  const same = sameConversation(input);
  const exact = rt.store.findByHash(ns, hash, same);
  // The candidates for dedup and for contradiction are the same few neighbours.
  const neighbours = exact ? [] : lexicalNeighbours(rt, ns, input.content, reads, index);
  const dup = exact
    ? { m: exact, sim: 1 }
    : bestDuplicate(rt, neighbours.filter(same), input.content, vec, reads);
  if (dup) {
    const { m, sim } = dup;
    reads.forget(m.pk);
    return opts.replay ? addTags(m, input, now, sim, update) : merge(m, input, now, sim, update);
  }

  const record = newRecord({
    id: uuidv7(input.created_at ? Date.parse(input.created_at) : undefined),
    content: input.content,
    namespace: ns,
    created_at: input.created_at ? new Date(input.created_at).toISOString() : now,
    updated_at: now,
    tags: [...new Set(input.tags ?? [])],
    // An empty agent or session is none, as an empty filter is no filter (filters.ts).
    agent: input.agent || null,
    session: input.session || null,
    memory_type: input.memory_type ?? "semantic",
    status: input.status ?? "active",
    category: input.category ?? null,
    confidence: input.confidence ?? null,
    content_hash: hash,
    source_key: sourceKey,
    last_verified_at: now,
    metadata: input.metadata ?? {},
  });
  const contradicted = neighbours.filter((m) =>
    !m.record.superseded_by && conflicts(m.record.content, record.content)
  );
  record.contradicts_with = contradicted.map((m) => m.record.id).sort();
  if (contradicted.length > 0) record.status = "contested";
  const pk = rt.store.insert(record, { embedding: vec, embedderId: rt.embedder.id });
  made.push({ pk, record });
  index?.wrote(pk, record, false);
  rt.index.upsert(pk, ns, vec, statusBit(record.status));
  for (const m of contradicted) {
    reads.forget(m.pk);
    markContradicted(m, record.id, now, update);
  }
  return {
    id: record.id,
    version: record.version,
    outcome: "created",
    ...(contradicted.length ? { contradicts_with: record.contradicts_with } : {}),
  };
}

/** True when two texts carry the same numbers and digit-bearing identifiers. */
export function sameValues(a: string, b: string): boolean {
  const values = (t: string) =>
    new Set(
      (t.toLowerCase().match(/[\p{L}\p{N}._-]*\d[\p{L}\p{N}._-]*/gu) ?? []).map((v) =>
        v.replace(/[._-]+$/, "")
      ),
    );
  const va = values(a);
  const vb = values(b);
  return va.size === vb.size && [...va].every((v) => vb.has(v));
}

/** Fetch a memory by id, refusing other namespaces without revealing they exist. */
export function requireMemory(rt: Runtime, id: string, namespace?: string): StoredMemory {
  const m = rt.store.getById(id);
  if (!m || (namespace !== undefined && m.record.namespace !== namespace)) {
    throw new MemoryossError("NOT_FOUND", `no memory with id ${id}`, ["id"]);
  }
  return m;
}

/**
 * Update content, tags, type, category, status or metadata of input the schema passed
 * (`updateMemory`, write_input.ts, refuses while stopped and validates first); content
 * changes re-embed.
 */
export async function updateValid(rt: Runtime, input: UpdateInput): Promise<MemoryRecord> {
  if (
    input.content === undefined && input.tags === undefined && input.memory_type === undefined &&
    input.category === undefined && input.status === undefined && input.metadata === undefined
  ) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "nothing to update: give content, tags, memory_type, category, status or metadata",
    );
  }
  if (input.content !== undefined) {
    checkLimits(rt, { content: input.content, tags: input.tags });
  } else if (input.tags) checkLimits(rt, { content: "", tags: input.tags });
  const vec = input.content !== undefined
    ? (await rt.embedder.embed([input.content]))[0]
    : undefined;
  const hash = input.content !== undefined ? await contentHash(input.content) : undefined;
  return rt.store.transaction(() => {
    rt.syncIndex();
    const m = requireMemory(rt, input.id, input.namespace);
    const now = rt.now().toISOString();
    const r: MemoryRecord = {
      ...m.record,
      content: input.content ?? m.record.content,
      content_hash: hash ?? m.record.content_hash,
      tags: input.tags ? [...new Set(input.tags)] : m.record.tags,
      memory_type: input.memory_type ?? m.record.memory_type,
      category: input.category !== undefined ? input.category : m.record.category,
      status: input.status ?? m.record.status,
      metadata: input.metadata ?? m.record.metadata,
      version: m.record.version + 1,
      updated_at: now,
    };
    rt.store.update(m.pk, r, vec ? { embedding: vec, embedderId: rt.embedder.id } : undefined);
    if (vec) rt.index.upsert(m.pk, r.namespace, vec, statusBit(r.status));
    if (vec) relinkUpdated(rt.store, [r.id], { index: rt.index, stats: rt.stats });
    return r;
  });
}

/**
 * Archive (never delete) a memory superseded by `by`: stale, `superseded_by` set, out of the
 * vector index. The one supersede step of the drain's UPDATE and `replace`.
 */
export function archiveSuperseded(rt: Runtime, m: StoredMemory, by: string, now: string): void {
  const r = m.record;
  rt.store.update(m.pk, {
    ...r,
    status: "stale",
    archived: true,
    superseded_by: by,
    supersede_count: r.supersede_count + 1,
    version: r.version + 1,
    updated_at: now,
  });
  rt.index.remove(m.pk);
}
