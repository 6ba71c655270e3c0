/**
 * Namespace scopes for callers bound to several namespaces (HTTP keys): find a memory by id
 * only when it lives in a namespace the caller may see, and answer "not found" otherwise, so
 * an id from another namespace reveals nothing.
 */
import { MemoryossError } from "../errors/mod.ts";
import type { StoredMemory } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";

/** `"*"` (every namespace) or the namespaces a caller is bound to. */
export type NamespaceScope = "*" | readonly string[];

/** True when `scope` includes `namespace`. */
export function inScope(scope: NamespaceScope, namespace: string): boolean {
  return scope === "*" || scope.includes(namespace);
}

/**
 * The memory with `id`, when its namespace is in `scope` (and equals `namespace` when given).
 *
 * @example
 * ```ts
 * const m = requireMemoryIn(rt, id, ["team-a"]); // NOT_FOUND for ids in other namespaces
 * ```
 */
export function requireMemoryIn(
  rt: Runtime,
  id: string,
  scope: NamespaceScope,
  namespace?: string,
): StoredMemory {
  const m = rt.store.getById(id);
  if (
    !m || !inScope(scope, m.record.namespace) ||
    (namespace !== undefined && m.record.namespace !== namespace)
  ) {
    throw new MemoryossError("NOT_FOUND", `no memory with id ${id}`, ["id"]);
  }
  return m;
}

/** A short look at a memory: enough to decide whether to inspect it. */
export function peekMemory(rt: Runtime, id: string, scope: NamespaceScope) {
  const r = requireMemoryIn(rt, id, scope).record;
  return {
    id: r.id,
    namespace: r.namespace,
    preview: preview(r.content, 200),
    content_length: r.content.length,
    tags: r.tags,
    memory_type: r.memory_type,
    status: r.status,
    archived: r.archived,
    version: r.version,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** The first `n` characters of `text` on one line, with "…" when cut. */
export function preview(text: string, n: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= n ? one : `${one.slice(0, n - 1).trimEnd()}…`;
}
