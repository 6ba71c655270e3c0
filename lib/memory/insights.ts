/**
 * memman's `insights protect` and `insights candidates`, mapped onto our lifecycle: protecting
 * a memory pins it (adds `[lifecycle] pin_tag`), so `decay` and `gc` never touch it; the
 * candidates are the memories that are not immune and whose importance is under a threshold,
 * the ones decay would turn stale first. memman adds +3 uses to reach immunity; a pin is the
 * same promise without depending on the immunity threshold.
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";
import type { Runtime } from "./runtime.ts";
import { NamespaceSchema, parseInput } from "./schemas.ts";
import { DEFAULT_NAMESPACE, requireMemory } from "./write.ts";
import { importanceOf, isPinned } from "./importance.ts";
import { firstLine } from "./forget.ts";
import { recordActivity } from "./activity.ts";

export const ProtectInputSchema = z.strictObject({
  id: z.string().min(1, "id must not be empty"),
  namespace: NamespaceSchema.optional(),
});

/** What `insights protect` did. */
export interface ProtectResult {
  id: string;
  namespace: string;
  /** The tag that pins it (`[lifecycle] pin_tag`). */
  pin_tag: string;
  /** False when it was already pinned (nothing written). */
  changed: boolean;
  version: number;
  immune: "pinned";
}

/**
 * Pin a memory so decay never turns it stale or archives it. Idempotent.
 *
 * @example
 * ```ts
 * protectMemory(rt, { id }).pin_tag; // "pinned"
 * ```
 */
export function protectMemory(rt: Runtime, raw: unknown, actor: string | null = null) {
  const input = parseInput(ProtectInputSchema, raw);
  refuseWhileStopped(rt.loaded.home, "insights protect");
  const policy = rt.config.lifecycle;
  return rt.store.transaction((): ProtectResult => {
    const m = requireMemory(rt, input.id, input.namespace);
    const r = m.record;
    if (r.archived) {
      throw new MemoryossError("CONFLICT", `memory ${r.id} is archived; nothing to protect`, [
        "id",
      ]);
    }
    const out = { id: r.id, namespace: r.namespace, pin_tag: policy.pin_tag, immune: "pinned" };
    if (isPinned(r, policy)) return { ...out, changed: false, version: r.version } as ProtectResult;
    const version = r.version + 1;
    rt.store.update(m.pk, {
      ...r,
      tags: [...r.tags, policy.pin_tag],
      version,
      updated_at: rt.now().toISOString(),
    });
    recordActivity(rt, { namespace: r.namespace, kind: "protect", memory_id: r.id, actor });
    return { ...out, changed: true, version } as ProtectResult;
  });
}

export const CandidatesInputSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  threshold: z.number().min(0).max(1).optional(),
});

/** One memory decay would reach first. */
export interface Candidate {
  id: string;
  status: string;
  importance: number;
  first_line: string;
  why: string;
}

/**
 * Read-only: live memories that are not immune and score under `threshold` (default 0.5),
 * lowest importance first.
 *
 * @example
 * ```ts
 * pruneCandidates(rt, { namespace: "demo", threshold: 0.3 }).candidates.map((c) => c.id);
 * ```
 */
export function pruneCandidates(rt: Runtime, raw: unknown) {
  const input = parseInput(CandidatesInputSchema, raw);
  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  const threshold = input.threshold ?? 0.5;
  const now = rt.now();
  const candidates: Candidate[] = [];
  for (const { record: r } of rt.store.list({ namespace }, { limit: 10_000_000 })) {
    if (r.archived) continue;
    const imp = importanceOf(r, now, rt.config.lifecycle);
    if (imp.immune || imp.importance >= threshold) continue;
    candidates.push({
      id: r.id,
      status: r.status,
      importance: imp.importance,
      first_line: firstLine(r.content),
      why: imp.why,
    });
  }
  candidates.sort((a, b) => a.importance - b.importance || a.id.localeCompare(b.id));
  return { namespace, threshold, count: candidates.length, candidates };
}
