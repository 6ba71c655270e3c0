/** Forget: never unscoped. Ids, a filter, or an explicit `all`; `dry_run` lists what would go. */
import { MemoryossError } from "../errors/mod.ts";
import { isNarrowing, type MemoryFilter } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { type ForgetInput, ForgetInputSchema, parseInput } from "./schemas.ts";
import { filterFrom } from "./filters.ts";
import { deleteEdgesTouching } from "../graph/mod.ts";

/** `forget` output. */
export interface ForgetResult {
  namespace: string;
  dry_run: boolean;
  deleted: number;
  ids: string[];
}

/** Delete the memories a scoped request names. */
export function forget(rt: Runtime, raw: unknown): ForgetResult {
  const input: ForgetInput = parseInput(ForgetInputSchema, raw);
  const filter: MemoryFilter = {
    ...filterFrom({ ...input, include_archived: true }),
    ids: input.ids,
  };
  if (!isNarrowing(filter) && !input.all) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "refusing an unscoped forget: give ids or a filter (tags, agent, session, before, …), or all=true to empty the namespace",
    );
  }
  if (input.ids?.length === 0) {
    throw new MemoryossError("INVALID_INPUT", "ids must not be empty", ["ids"]);
  }
  return rt.store.transaction(() => {
    const rows = rt.store.list(filter, { limit: 1_000_000 });
    const ids = rows.map((m) => m.record.id);
    if (!input.dry_run) {
      deleteEdgesTouching(rt.store, ids);
      rt.store.deleteByPks(rows.map((m) => m.pk));
    }
    return {
      namespace: filter.namespace,
      dry_run: Boolean(input.dry_run),
      deleted: ids.length,
      ids,
    };
  });
}
