/**
 * What a tool call runs against. Stdio gives one local user every namespace; a later HTTP
 * mount builds one context per authenticated caller (its namespaces, its key id), so the tools
 * never need to know which transport they are on.
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  DEFAULT_NAMESPACE,
  inScope,
  NamespaceSchema,
  type NamespaceScope,
  type Runtime,
  type WriteQueue,
  writeQueue,
} from "../memory/mod.ts";
import { DEFAULT_RESULT_CHARS } from "./_budget.ts";

/** The caller and the runtime a tool call works on. */
export interface McpContext {
  rt: Runtime;
  /** Writes run one at a time through the runtime's queue (shared with `serve`). */
  queue: WriteQueue;
  /** Namespaces the caller may touch; `"*"` for the local stdio user. */
  scope: NamespaceScope;
  /** Used when a tool call names no namespace. */
  defaultNamespace: string;
  /** Recorded on activity and feedback events ("local" over stdio, the key id over HTTP). */
  actor: string;
  /** memoryOSS `source_key` for new memories (the API key id over HTTP). */
  sourceKey: string | null;
  /** Most characters of JSON text in one tool result. */
  maxResultChars: number;
  /** The caller's role: tools that need more answer a tool error ("admin" over stdio). */
  role: "reader" | "writer" | "admin";
}

/** Options for {@link createContext}. */
export interface ContextOptions {
  scope?: NamespaceScope;
  defaultNamespace?: string;
  actor?: string;
  sourceKey?: string | null;
  maxResultChars?: number;
  role?: "reader" | "writer" | "admin";
}

/**
 * A context over `rt`; defaults suit a local stdio server (every namespace, actor "local").
 *
 * @example
 * ```ts
 * const ctx = createContext(rt, { defaultNamespace: "team" });
 * ```
 */
export function createContext(rt: Runtime, opts: ContextOptions = {}): McpContext {
  const scope = opts.scope ?? "*";
  const defaultNamespace = opts.defaultNamespace ??
    (scope === "*" || scope.length === 0 ? DEFAULT_NAMESPACE : scope[0]);
  const ns = NamespaceSchema.safeParse(defaultNamespace);
  if (!ns.success) {
    throw new MemoryossError("INVALID_INPUT", `namespace: ${ns.error.issues[0].message}`);
  }
  return {
    rt,
    queue: writeQueue(rt),
    scope,
    defaultNamespace,
    actor: opts.actor ?? "local",
    sourceKey: opts.sourceKey ?? null,
    maxResultChars: opts.maxResultChars ?? DEFAULT_RESULT_CHARS,
    role: opts.role ?? "admin",
  };
}

/** The namespace a call works in: the one it names (when allowed) or the default. */
export function namespaceFor(ctx: McpContext, requested: string | undefined): string {
  const ns = requested ?? ctx.defaultNamespace;
  if (!inScope(ctx.scope, ns)) {
    throw new MemoryossError(
      "FORBIDDEN_NAMESPACE",
      `namespace '${ns}' is not available to this caller`,
      ["namespace"],
    );
  }
  return ns;
}
