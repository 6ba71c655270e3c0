/**
 * Archive or restore one memory: archived memories leave recall and the vector index but stay
 * in the store (inspect, list with `include_archived`), so archiving is reversible, unlike
 * forget. Each change bumps the version and is logged in the activity log.
 */
import { z } from "zod";
import {
  type NamespaceScope,
  parseInput,
  recordActivity,
  requireMemoryIn,
  type Runtime,
} from "../memory/mod.ts";

/** `POST /v1/archive` body. */
export const ArchiveInputSchema = z.strictObject({
  id: z.string().min(1),
  namespace: z.string().min(1).optional(),
  /** `false` restores an archived memory. */
  archived: z.boolean().default(true),
});
export type ArchiveInput = z.infer<typeof ArchiveInputSchema>;

/** What changed. */
export interface ArchiveResult {
  id: string;
  namespace: string;
  archived: boolean;
  version: number;
  updated_at: string;
  changed: boolean;
}

/**
 * Archive (or restore) the memory `id` in `scope`; ids outside it are NOT_FOUND.
 *
 * @example
 * ```ts
 * archiveMemory(rt, { id }, ["team-a"], "key:abc"); // { archived: true, changed: true, … }
 * ```
 */
export function archiveMemory(
  rt: Runtime,
  raw: unknown,
  scope: NamespaceScope,
  actor: string | null,
): ArchiveResult {
  const input = parseInput(ArchiveInputSchema, raw);
  return rt.store.transaction(() => {
    const m = requireMemoryIn(rt, input.id, scope, input.namespace);
    const r = m.record;
    if (r.archived === input.archived) {
      return {
        id: r.id,
        namespace: r.namespace,
        archived: r.archived,
        version: r.version,
        updated_at: r.updated_at,
        changed: false,
      };
    }
    const updated_at = rt.now().toISOString();
    const next = { ...r, archived: input.archived, version: r.version + 1, updated_at };
    rt.store.update(m.pk, next);
    recordActivity(rt, {
      namespace: r.namespace,
      kind: input.archived ? "archive" : "unarchive",
      memory_id: r.id,
      actor,
      detail: { version: next.version },
    });
    return {
      id: r.id,
      namespace: r.namespace,
      archived: next.archived,
      version: next.version,
      updated_at,
      changed: true,
    };
  });
}
