/**
 * The filter options of `recall` and `list`, and their mapping to a lib/memory input. Its own
 * leaf module so `recall` (cli/recall.ts) starts without the list commands' imports.
 */
import { listValue, namespaceValue, strValue } from "./_args.ts";

/** `-t/--tags A,B`: memories holding any of these tags (list, recall, forget). */
export const TAGS_FILTER = {
  type: "string",
  short: "t",
  value: "A,B",
  description: "any of these tags",
  multiple: true,
} as const;

export const FILTERS = {
  tags: TAGS_FILTER,
  agent: { type: "string", value: "NAME", description: "only this agent" },
  session: { type: "string", value: "ID", description: "only this session" },
  type: { type: "string", value: "T", description: "only this memory type" },
  category: { type: "string", value: "C", description: "only this category" },
  before: { type: "string", value: "TS", description: "created before this time" },
  after: { type: "string", value: "TS", description: "created at or after this time" },
  status: { type: "string", value: "S,…", description: "statuses to include", multiple: true },
  "include-archived": { type: "boolean", description: "include archived memories" },
} as const;

/** The parsed filter flags as lib/memory's input fields (undefined where not given). */
export function filterInput(v: Record<string, unknown>) {
  return {
    namespace: namespaceValue(v.namespace),
    tags: listValue(v.tags as string[] | undefined),
    agent: strValue(v.agent),
    session: strValue(v.session),
    memory_type: strValue(v.type),
    category: strValue(v.category),
    before: strValue(v.before),
    after: strValue(v.after),
    status: listValue(v.status as string[] | undefined),
    include_archived: v["include-archived"] ? true : undefined,
  };
}

/** `s` on one line, cut to `n` characters with an ellipsis. */
export const oneLine = (s: string, n: number): string => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
};
