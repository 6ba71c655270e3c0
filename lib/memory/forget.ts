/**
 * Forget: the one implementation HTTP, MCP and the CLI call. Never unscoped: ids, a filter, or
 * an explicit `all`. Ids without a namespace are looked up across the caller's scope. A real
 * forget writes one `forget` activity line per namespace it touched, the same on every surface;
 * a dry run lists what would go (id and first line) and deletes and logs nothing.
 */
import { MemoryossError } from "../errors/mod.ts";
import { isNarrowing, type MemoryFilter, type StoredMemory } from "../store/mod.ts";
import { deleteEdgesTouching } from "../graph/mod.ts";
import type { Runtime } from "./runtime.ts";
import { type ForgetInput, ForgetInputSchema, parseInput } from "./schemas.ts";
import { filterFrom } from "./filters.ts";
import { inScope, type NamespaceScope, preview } from "./scoped.ts";
import { recordActivity } from "./activity.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";

/** Who forgets: what they may touch and how the activity log names them. */
export interface ForgetCaller {
  /** Namespaces the caller may touch ("*": every one). */
  scope: NamespaceScope;
  /** Logged as the event's actor: the key id over HTTP, "local" on stdio MCP, "cli". */
  actor: string | null;
  /** Logged in the event's detail: which surface asked. */
  via: "api" | "mcp" | "cli" | "lib";
  /** For a filter forget that names no namespace (ids alone search the whole scope). */
  defaultNamespace?: string;
}

/** One memory a dry run would delete. */
export interface ForgetPreview {
  id: string;
  namespace: string;
  /** The first line of its content, clipped to {@link FIRST_LINE_CHARS} characters. */
  first_line: string;
}

interface ForgetBase {
  /** The namespace asked for; null when ids were looked up across the caller's scope. */
  namespace: string | null;
  /** Requested ids that matched nothing the caller may touch (only when ids were given). */
  not_found?: string[];
}

/** `forget` output: `deleted` after a real forget, `would_delete` after a dry run, never both. */
export type ForgetResult =
  | ForgetBase & {
    dry_run: false;
    deleted: number;
    ids: string[];
    /** Deleted count per namespace. */
    deleted_by_namespace: Record<string, number>;
  }
  | ForgetBase & { dry_run: true; would_delete: { count: number; memories: ForgetPreview[] } };

/** The longest first line a dry run shows. */
export const FIRST_LINE_CHARS = 120;

const LIB_CALLER: ForgetCaller = { scope: "*", actor: null, via: "lib" };

/**
 * Delete the memories a scoped request names, with its activity line, in one transaction.
 * Ids of which none is found are NOT_FOUND (naming them); some found is a result with `not_found`.
 *
 * @example
 * ```ts
 * forget(rt, { ids: [id], dry_run: true }, { scope: "*", actor: "cli", via: "cli" });
 * ```
 */
export function forget(rt: Runtime, raw: unknown, caller: ForgetCaller = LIB_CALLER): ForgetResult {
  const input: ForgetInput = parseInput(ForgetInputSchema, raw);
  if (!input.dry_run) refuseWhileStopped(rt.loaded.home, "forget");
  const byIds = input.ids !== undefined;
  const { namespace, filter } = scopedFilter(input, caller);
  return rt.store.transaction(() => {
    const rows = byIds
      ? rowsByIds(rt, filter, input.ids!, caller.scope, namespace)
      : rt.store.list(filter, { limit: 1_000_000 });
    const notFound = byIds ? { not_found: missingIds(input.ids!, rows, filter) } : {};
    const namespaceOut = namespace ?? null;
    if (input.dry_run) {
      const memories = rows.map(({ record: r }) => ({
        id: r.id,
        namespace: r.namespace,
        first_line: firstLine(r.content),
      }));
      return {
        namespace: namespaceOut,
        dry_run: true,
        would_delete: { count: memories.length, memories },
        ...notFound,
      };
    }
    return { namespace: namespaceOut, ...deleteAndLog(rt, rows, caller), ...notFound };
  });
}

/** The namespace (none for ids alone) and store filter of a request; refuses unscoped ones. */
function scopedFilter(input: ForgetInput, caller: ForgetCaller) {
  const namespace = input.namespace ??
    (input.ids !== undefined ? undefined : caller.defaultNamespace ?? DEFAULT_NAMESPACE);
  if (namespace !== undefined && !inScope(caller.scope, namespace)) {
    throw new MemoryossError(
      "FORBIDDEN_NAMESPACE",
      `namespace '${namespace}' is not available to this caller`,
      ["namespace"],
    );
  }
  const filter: MemoryFilter = {
    ...filterFrom({ ...input, namespace: namespace ?? DEFAULT_NAMESPACE, include_archived: true }),
    ids: input.ids,
  };
  if (!isNarrowing(filter) && !input.all) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "refusing an unscoped forget: give ids or a filter (tags, agent, session, before, …; an empty value is no filter), or all=true to empty the namespace",
    );
  }
  if (input.ids?.length === 0) {
    throw new MemoryossError("INVALID_INPUT", "ids must not be empty", ["ids"]);
  }
  return { namespace, filter };
}

/** The rows among `ids` the caller may touch (in `namespace` when given) that match `filter`. */
function rowsByIds(
  rt: Runtime,
  filter: MemoryFilter,
  ids: string[],
  scope: NamespaceScope,
  namespace: string | undefined,
): StoredMemory[] {
  const byNs = new Map<string, string[]>();
  for (const id of new Set(ids)) {
    const ns = rt.store.getById(id)?.record.namespace;
    if (ns === undefined || !inScope(scope, ns) || (namespace !== undefined && ns !== namespace)) {
      continue;
    }
    groupPush(byNs, ns, id);
  }
  const rows: StoredMemory[] = [];
  for (const [ns, nsIds] of byNs) {
    for (let i = 0; i < nsIds.length; i += 500) {
      const chunk = nsIds.slice(i, i + 500);
      rows.push(
        ...rt.store.list({ ...filter, namespace: ns, ids: chunk }, { limit: chunk.length }),
      );
    }
  }
  return rows;
}

function groupPush(m: Map<string, string[]>, key: string, value: string): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

/** Requested ids that matched nothing; NOT_FOUND (naming them) when none matched. */
function missingIds(ids: string[], rows: StoredMemory[], filter: MemoryFilter): string[] {
  const found = new Set(rows.map((m) => m.record.id));
  const missing = [...new Set(ids)].filter((id) => !found.has(id));
  if (rows.length === 0) {
    const shown = missing.slice(0, 20).join(", ") +
      (missing.length > 20 ? ` (and ${missing.length - 20} more)` : "");
    const filtered = isNarrowing({ ...filter, ids: undefined });
    throw new MemoryossError(
      "NOT_FOUND",
      `no memory with id ${shown}${filtered ? " matching the filter" : ""}; nothing was deleted`,
      ["ids"],
    );
  }
  return missing;
}

/** Delete `rows` and their graph edges; one activity line per namespace touched. */
function deleteAndLog(rt: Runtime, rows: StoredMemory[], caller: ForgetCaller) {
  const ids = rows.map((m) => m.record.id);
  deleteEdgesTouching(rt.store, ids);
  rt.store.deleteByPks(rows.map((m) => m.pk));
  const byNs = new Map<string, string[]>();
  for (const { record: r } of rows) groupPush(byNs, r.namespace, r.id);
  for (const [ns, nsIds] of byNs) {
    recordActivity(rt, {
      namespace: ns,
      kind: "forget",
      actor: caller.actor,
      detail: { via: caller.via, deleted: nsIds.length, ids: nsIds.slice(0, 100) },
    });
  }
  const counts = Object.fromEntries([...byNs].map(([ns, nsIds]) => [ns, nsIds.length]));
  return { dry_run: false as const, deleted: ids.length, ids, deleted_by_namespace: counts };
}

/** The first non-blank line of `content`, whitespace collapsed, clipped with "…". */
export function firstLine(content: string): string {
  const line = content.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return preview(line, FIRST_LINE_CHARS);
}
