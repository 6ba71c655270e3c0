/** Request fields → a store filter, shared by recall, list, forget and export. */
import type { MemoryFilter } from "../store/mod.ts";
import type { ListInput } from "./schemas.ts";
import { DEFAULT_NAMESPACE } from "./namespace.ts";

/** An empty string given as a filter is no filter (so `agent: ""` cannot pass for a scope). */
const given = (s: string | undefined) => (s === "" ? undefined : s);

/**
 * Build the store filter for a request. Timestamps are normalised to UTC ISO form so they
 * compare correctly with stored `created_at` values. Empty strings count as absent: the
 * unscoped-forget guard then refuses `{"session": ""}` as it refuses `{}`.
 */
export function filterFrom(
  input: Pick<
    ListInput,
    | "namespace"
    | "tags"
    | "agent"
    | "session"
    | "memory_type"
    | "category"
    | "before"
    | "after"
    | "status"
    | "include_archived"
  >,
  defaultStatuses?: MemoryFilter["statuses"],
): MemoryFilter {
  return {
    namespace: input.namespace ?? DEFAULT_NAMESPACE,
    tags: input.tags,
    agent: given(input.agent),
    session: given(input.session),
    memory_type: input.memory_type,
    category: input.category,
    before: input.before ? new Date(input.before).toISOString() : undefined,
    after: input.after ? new Date(input.after).toISOString() : undefined,
    statuses: input.status ?? defaultStatuses,
    archived: input.include_archived ? "include" : "exclude",
  };
}
