/**
 * {@link MemoryFilter} compiled to a Postgres WHERE clause: the same rules as the SQLite one
 * (lib/store/filter.ts), with numbered parameters (`$n`) appended to a shared list. Lists go as
 * one jsonb parameter each, which every Postgres driver (and PGlite) passes the same way.
 *
 * @module
 */
import type { MemoryFilter } from "../filter.ts";

/** Parameters of a statement, in `$n` order. */
export type PgParams = (string | number | null)[];

/** Add a parameter; returns its placeholder. */
export function param(params: PgParams, v: string | number | null): string {
  params.push(v);
  return `$${params.length}`;
}

/**
 * A WHERE clause (without the keyword) for `f` over `alias`, its parameters pushed to `params`.
 *
 * @example
 * ```ts
 * const params: PgParams = [];
 * pgWhere({ namespace: "team", tags: ["ops"] }, params); // "m.namespace = $1 AND m.archived = 0 AND …"
 * ```
 */
export function pgWhere(f: MemoryFilter, params: PgParams, alias = "m"): string {
  const a = alias;
  const parts = [`${a}.namespace = ${param(params, f.namespace)}`];
  const archived = f.archived ?? "exclude";
  if (archived === "exclude") parts.push(`${a}.archived = 0`);
  if (archived === "only") parts.push(`${a}.archived = 1`);
  const list = (v: string[]) =>
    `SELECT jsonb_array_elements_text(${param(params, JSON.stringify(v))}::text::jsonb)`;
  if (f.ids?.length) parts.push(`${a}.id IN (${list(f.ids)})`);
  if (f.tags?.length) {
    parts.push(
      `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${a}.tags::jsonb) AS jt(v) ` +
        `WHERE jt.v IN (${list(f.tags)}))`,
    );
  }
  for (const key of ["agent", "session", "memory_type", "category"] as const) {
    const v = f[key];
    if (v === undefined) continue;
    if (key === "agent" && v === "_none") parts.push(`${a}.agent IS NULL`);
    else parts.push(`${a}.${key} = ${param(params, v)}`);
  }
  if (f.statuses?.length) parts.push(`${a}.status IN (${list(f.statuses)})`);
  if (f.before) parts.push(`${a}.created_at < ${param(params, f.before)}`);
  if (f.after) parts.push(`${a}.created_at >= ${param(params, f.after)}`);
  return parts.join(" AND ");
}
