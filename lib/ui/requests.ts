/**
 * The proxy's injection log as the dashboard shows it (docs/dashboard.md, Injections): the
 * requests that injected memories, newest first, confined to the caller's namespaces, with a
 * short preview of each memory read from the store at request time (a memory forgotten since
 * shows `preview: null`). The log itself lives in memory in the serve process only.
 */
import { inScope, type NamespaceScope, preview, type Runtime } from "../memory/mod.ts";
import { type InjectionLogEntry, injectionLogFor } from "../proxy/mod.ts";

/** A log entry whose memories carry a preview of their current content. */
export type InjectionRequest =
  & Omit<InjectionLogEntry, "injected" | "gated_out">
  & {
    injected: (InjectionLogEntry["injected"][number] & { preview: string | null })[];
    gated_out: (InjectionLogEntry["gated_out"][number] & { preview: string | null })[];
  };

/**
 * The newest `limit` proxied requests in `scope` that injected memories.
 *
 * @example
 * ```ts
 * recentInjectionRequests(rt, ["default"], 20)[0]?.injected[0]?.score;
 * ```
 */
export function recentInjectionRequests(
  rt: Runtime,
  scope: NamespaceScope,
  limit = 20,
): InjectionRequest[] {
  const look = (id: string): string | null => {
    const m = rt.store.getById(id);
    return m && inScope(scope, m.record.namespace) ? preview(m.record.content, 120) : null;
  };
  return injectionLogFor(rt).recent(scope, Math.min(100, Math.max(1, limit))).map((e) => ({
    ...e,
    injected: e.injected.map((m) => ({ ...m, preview: look(m.id) })),
    gated_out: e.gated_out.map((m) => ({ ...m, preview: look(m.id) })),
  }));
}
