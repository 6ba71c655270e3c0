/**
 * What both engines check and compute the same way: a batch's rows against its namespace,
 * vectors' values, scopes, the order of ranked hits.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import type { MemoryFilter } from "../filter.ts";
import type { EngineHit, MemoryWrite, NamespaceCounts, NamespaceScope } from "./types.ts";

/** Refuse a call without a namespace (no global scans). */
export function needNamespace(namespace: string | undefined): string {
  if (typeof namespace !== "string" || namespace === "") {
    throw new MemoryossError("INVALID_INPUT", "a namespace is required", ["namespace"]);
  }
  return namespace;
}

/** The filter, after checking it names a namespace. */
export function checkedFilter(f: MemoryFilter): MemoryFilter {
  needNamespace(f?.namespace);
  return f;
}

/**
 * Refuse a batch before anything is written: rows of another namespace, duplicate ids inside
 * the batch, vectors with non-finite values or no dimensions.
 */
export function checkBatch(namespace: string, rows: MemoryWrite[]): void {
  needNamespace(namespace);
  const seen = new Set<string>();
  for (const [i, w] of rows.entries()) {
    const r = w.record;
    if (r.namespace !== namespace) {
      throw new MemoryossError(
        "FORBIDDEN_NAMESPACE",
        `row ${i} (${r.id}) is in namespace ${JSON.stringify(r.namespace)}, the batch in ` +
          JSON.stringify(namespace),
      );
    }
    if (w.op === "insert") {
      if (seen.has(r.id)) {
        throw new MemoryossError("CONFLICT", `memory ${r.id} appears twice in the batch`);
      }
      seen.add(r.id);
    }
    const v = w.vector?.embedding;
    if (v && (v.length === 0 || !v.every(Number.isFinite))) {
      throw new MemoryossError(
        "INVALID_INPUT",
        `row ${i} (${r.id}): a vector needs at least one dimension and finite values`,
      );
    }
  }
}

/** True when `namespace` is inside `scope`. */
export function inScope(scope: NamespaceScope, namespace: string): boolean {
  return scope === "*" || scope.includes(namespace);
}

/** Refuse an empty or malformed scope. */
export function checkScope(scope: NamespaceScope): NamespaceScope {
  if (scope === "*") return scope;
  if (!Array.isArray(scope) || scope.some((n) => typeof n !== "string" || n === "")) {
    throw new MemoryossError("INVALID_INPUT", 'a scope is a list of namespaces or "*"');
  }
  return scope;
}

/** The best `k` hits, best first, ties by pk. */
export function topK(hits: EngineHit[], k: number): EngineHit[] {
  return hits.sort((a, b) => b.score - a.score || a.pk - b.pk).slice(0, Math.max(0, k));
}

/** Terms of a text search: trimmed, non-empty, distinct, at most 64. */
export function searchTerms(terms: string[]): string[] {
  return [...new Set(terms.map((t) => String(t).trim()).filter((t) => t !== ""))].slice(0, 64);
}

/** A query vector's dimension, refused when empty or not finite. */
export function queryDim(q: Float32Array): number {
  if (q.length === 0 || q.length > 16000 || !q.every(Number.isFinite)) {
    throw new MemoryossError("INVALID_INPUT", `a query vector of ${q.length} finite values needed`);
  }
  return q.length;
}

/** Counts of a namespace from (archived, status) groups. */
export function tally(
  namespace: string,
  groups: { archived: boolean; status: string; n: number; v: number }[],
): NamespaceCounts {
  const out: NamespaceCounts = {
    namespace,
    memories: 0,
    live: 0,
    archived: 0,
    vectors: 0,
    statuses: {},
  };
  for (const g of groups) {
    out.memories += g.n;
    out.vectors += g.v;
    if (g.archived) out.archived += g.n;
    else {
      out.live += g.n;
      out.statuses[g.status] = (out.statuses[g.status] ?? 0) + g.n;
    }
  }
  return out;
}
