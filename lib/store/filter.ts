/** Record filters compiled to SQL, shared by list, forget, export and the recall pre-filter. */
import type { Category, MemoryType, Status } from "./record.ts";

/** Which memories an operation applies to. `namespace` is always required: no global scans. */
export interface MemoryFilter {
  namespace: string;
  ids?: string[];
  /** Match any of these tags. */
  tags?: string[];
  agent?: string;
  session?: string;
  memory_type?: MemoryType;
  category?: Category;
  statuses?: Status[];
  /** "exclude" (default), "include" or "only". */
  archived?: "exclude" | "include" | "only";
  /** created_at strictly before / at or after (RFC3339). */
  before?: string;
  after?: string;
}

/** A WHERE clause (without the keyword) and its positional parameters. */
export interface Where {
  sql: string;
  params: (string | number)[];
}

/**
 * Compile a filter. Column names are qualified with `alias` so the clause can be used in joins.
 *
 * @example
 * ```ts
 * whereFor({ namespace: "demo", tags: ["x"] }, "m").sql;
 * ```
 */
export function whereFor(f: MemoryFilter, alias = "memories"): Where {
  const a = alias;
  const parts: string[] = [`${a}.namespace = ?`];
  const params: (string | number)[] = [f.namespace];
  const archived = f.archived ?? "exclude";
  if (archived === "exclude") parts.push(`${a}.archived = 0`);
  if (archived === "only") parts.push(`${a}.archived = 1`);
  if (f.ids && f.ids.length > 0) {
    parts.push(`${a}.id IN (${f.ids.map(() => "?").join(",")})`);
    params.push(...f.ids);
  }
  if (f.tags && f.tags.length > 0) {
    parts.push(
      `EXISTS (SELECT 1 FROM json_each(${a}.tags) AS jt WHERE jt.value IN (${
        f.tags.map(() => "?").join(",")
      }))`,
    );
    params.push(...f.tags);
  }
  for (const key of ["agent", "session", "memory_type", "category"] as const) {
    const v = f[key];
    if (v !== undefined) {
      if (key === "agent" && v === "_none") {
        parts.push(`${a}.agent IS NULL`);
      } else {
        parts.push(`${a}.${key} = ?`);
        params.push(v);
      }
    }
  }
  if (f.statuses && f.statuses.length > 0) {
    parts.push(`${a}.status IN (${f.statuses.map(() => "?").join(",")})`);
    params.push(...f.statuses);
  }
  if (f.before) {
    parts.push(`${a}.created_at < ?`);
    params.push(f.before);
  }
  if (f.after) {
    parts.push(`${a}.created_at >= ?`);
    params.push(f.after);
  }
  return { sql: parts.join(" AND "), params };
}

/** True when the filter narrows more than namespace and archive state. */
export function isNarrowing(f: MemoryFilter): boolean {
  return Boolean(f.statuses?.length) || needsRowLookup(f);
}

/**
 * True when the filter needs row data that indexes do not carry (everything but namespace,
 * archive state and status), so a recall must resolve the matching rows first.
 */
export function needsRowLookup(f: MemoryFilter): boolean {
  return Boolean(
    f.ids?.length || f.tags?.length || f.agent !== undefined || f.session !== undefined ||
      f.memory_type || f.category || f.before || f.after,
  );
}
