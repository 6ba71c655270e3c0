/** Small helpers shared by the route modules. */
import type { Context } from "hono";
import { resolveNamespace } from "../../auth/mod.ts";
import { MemoryossError } from "../../errors/mod.ts";
import type { AppEnv } from "../context.ts";

/** How to read one query parameter. */
export type QueryKind = "string" | "int" | "bool" | "list";

/**
 * Read the query string into an object for zod: unknown parameters are refused, ints and
 * booleans are converted, lists are comma-separated (or repeated).
 *
 * @example
 * ```ts
 * const q = queryInput(c, { namespace: "string", limit: "int" });
 * ```
 */
export function queryInput(
  c: Context<AppEnv>,
  spec: Record<string, QueryKind>,
): Record<string, unknown> {
  const url = new URL(c.req.url);
  const out: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const kind = spec[key];
    if (!kind) {
      throw new MemoryossError("INVALID_INPUT", `unknown query parameter '${key}'`, [key]);
    }
    const all = url.searchParams.getAll(key);
    const v = all[all.length - 1];
    if (kind === "string") out[key] = v;
    else if (kind === "list") {
      out[key] = all.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
    } else if (kind === "int") {
      if (!/^-?\d+$/.test(v)) {
        throw new MemoryossError("INVALID_INPUT", `${key}: expected an integer`, [key]);
      }
      out[key] = Number(v);
    } else {
      if (!["true", "false", "1", "0", ""].includes(v)) {
        throw new MemoryossError("INVALID_INPUT", `${key}: expected true or false`, [key]);
      }
      out[key] = v === "true" || v === "1" || v === "";
    }
  }
  return out;
}

/**
 * The namespace a GET route whose only query parameter is `namespace` works on: the one asked
 * for, else the caller's default, confined to the caller's namespaces.
 */
export function queryNamespace(c: Context<AppEnv>): string {
  const q = queryInput(c, { namespace: "string" });
  return resolveNamespace(
    c.get("principal"),
    typeof q.namespace === "string" ? q.namespace : undefined,
  );
}

/** The parsed JSON body (an object; `{}` when empty). */
export function body(c: Context<AppEnv>): Record<string, unknown> {
  return (c.get("body") ?? {}) as Record<string, unknown>;
}
