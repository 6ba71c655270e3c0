/**
 * memman's `replace <id> <text>`: the text becomes a new memory that takes the old one's place
 * (tags, category, type, agent, session, metadata and usage counts carried over, no dedup or
 * reconciliation), and the old one is archived as superseded by it, never deleted. The lineage
 * is kept both ways: `derived_from` on the new memory, `superseded_by` on the old one.
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { contentHash, newRecord, statusBit, type StoredMemory, uuidv7 } from "../store/mod.ts";
import { linkMemories } from "../graph/mod.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { archiveSuperseded, requireMemory } from "./write.ts";
import { validateStoreInput } from "./write_input.ts";
import { recordActivity } from "./activity.ts";

/** `replace`'s input: the memory, its new text, and optionally the namespace it must be in. */
export const ReplaceInputSchema = z.strictObject({
  id: z.string().min(1, "id must not be empty"),
  content: z.string(),
  namespace: NamespaceSchema.optional(),
});

/** What `replace` did. */
export interface ReplaceResult {
  /** The new memory. */
  id: string;
  /** The memory it replaced (now archived, `superseded_by` = id). */
  replaced: string;
  namespace: string;
  version: number;
  outcome: "replaced";
}

/**
 * Replace a memory's text by a new memory and archive the old one (one transaction).
 * NOT_FOUND for an unknown id (or one outside `namespace`), CONFLICT for an archived one,
 * FORBIDDEN while the scheduler is stopped.
 *
 * @example
 * ```ts
 * const r = await replaceMemory(rt, { id, content: "Deploys need two approvals." });
 * // r.id is the new memory; r.replaced (= id) is archived, superseded by r.id
 * ```
 */
export async function replaceMemory(
  rt: Runtime,
  raw: unknown,
  actor: string | null = null,
): Promise<ReplaceResult> {
  const input = parseInput(ReplaceInputSchema, raw);
  refuseWhileStopped(rt.loaded.home, "replace");
  // The new text passes the store rules (non-empty, well-formed, within limits.max_content_bytes).
  const { content } = validateStoreInput(rt, { content: input.content });
  replaceable(requireMemory(rt, input.id, input.namespace), content);
  const [vec] = await rt.embedder.embed([content]);
  const hash = await contentHash(content);
  return rt.store.transaction(() => {
    rt.syncIndex();
    const old = requireMemory(rt, input.id, input.namespace);
    replaceable(old, content);
    const o = old.record;
    const now = rt.now().toISOString();
    const record = newRecord({
      id: uuidv7(),
      content,
      namespace: o.namespace,
      created_at: now,
      tags: o.tags,
      agent: o.agent,
      session: o.session,
      memory_type: o.memory_type,
      category: o.category,
      confidence: o.confidence,
      content_hash: hash,
      last_verified_at: now,
      derived_from: [o.id],
      metadata: o.metadata,
      // memman keeps the old access count: the usage that earned the memory its place.
      evidence_count: o.evidence_count,
      injection_count: o.injection_count,
      reuse_count: o.reuse_count,
      confirm_count: o.confirm_count,
      last_injected_at: o.last_injected_at,
      last_reused_at: o.last_reused_at,
    });
    const pk = rt.store.insert(record, { embedding: vec, embedderId: rt.embedder.id });
    rt.index.upsert(pk, record.namespace, vec, statusBit(record.status));
    archiveSuperseded(rt, old, record.id, now);
    if (rt.config.graph.link_on_write) {
      linkMemories(rt.store, [record.id], { index: rt.index, stats: rt.stats });
    }
    recordActivity(rt, {
      namespace: record.namespace,
      kind: "replace",
      memory_id: record.id,
      actor,
      detail: { replaced: o.id },
    });
    return {
      id: record.id,
      replaced: o.id,
      namespace: record.namespace,
      version: record.version,
      outcome: "replaced" as const,
    };
  });
}

/** Refuse an archived memory (naming its successor) or a text equal to the current one. */
function replaceable(m: StoredMemory, content: string): void {
  const r = m.record;
  if (r.archived) {
    const by = r.superseded_by ? `; it was superseded by ${r.superseded_by}` : "";
    throw new MemoryossError("CONFLICT", `memory ${r.id} is archived${by}`, ["id"]);
  }
  if (r.content === content) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `the new text is memory ${r.id}'s current text; nothing to replace`,
      ["content"],
    );
  }
}
