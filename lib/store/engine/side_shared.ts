/**
 * What both engines check and build the same way for edges, keys, the queue and activity:
 * batches against their namespace, key rows (digests only), selectors and scopes as SQL with
 * the dialect's placeholders (`?` or `$n`), and edges read back from their columns.
 *
 * @module
 */
import { MemoryossError } from "../../errors/mod.ts";
import {
  type Edge,
  EDGE_COLS,
  type EdgeKind,
  type EdgeOrigin,
  type EdgeRow,
  isEdgeKind,
} from "../graph_sql.ts";
export { EDGE_COLS, type EdgeRow };
import type { ApiKeyRow } from "../keys_sql.ts";
import { edgeDetailRef } from "../sealed.ts";
import { needNamespace } from "./shared.ts";
import type { ActivityInput, ActivityQuery, EdgeSelector } from "./side_types.ts";
import type { NamespaceScope } from "./types.ts";

/** Adds a parameter and returns its placeholder (`?` for SQLite, `$n` for Postgres). */
export type Ph = (v: string | number | null) => string;

/** Longest id list one call takes. */
const MAX_IDS = 5000;

/** A placeholder list for `vals` (refusing an empty or oversized one). */
export function inList(vals: readonly string[], ph: Ph, what: string): string {
  if (vals.length === 0 || vals.length > MAX_IDS) {
    throw new MemoryossError("INVALID_INPUT", `${what}: between 1 and ${MAX_IDS} values`);
  }
  return vals.map((v) => ph(String(v))).join(", ");
}

/** A scope as a condition on `namespace`. */
export function scopeSql(scope: NamespaceScope, ph: Ph, col = "namespace"): string {
  if (scope === "*") return "1 = 1";
  if (!Array.isArray(scope) || scope.some((n) => typeof n !== "string" || n === "")) {
    throw new MemoryossError("INVALID_INPUT", 'a scope is a list of namespaces or "*"');
  }
  return scope.length === 0 ? "1 = 0" : `${col} IN (${inList(scope, ph, "scope")})`;
}

function checkKinds(kinds: readonly string[] | undefined): void {
  for (const k of kinds ?? []) {
    if (!isEdgeKind(k)) {
      throw new MemoryossError(
        "INVALID_INPUT",
        `unknown edge kind '${k}': use temporal, entity, causal, semantic`,
      );
    }
  }
}

/**
 * A batch of edges ready to write: each checked against `namespace`, self-links dropped,
 * weights rounded to 4 decimals, and repeats of one (src, dst, kind) folded as upserting them
 * one after the other would (a later auto edge does not replace a manual one; the first
 * `created_at` stays).
 */
export function checkedEdges(namespace: string, edges: readonly Edge[]): Edge[] {
  needNamespace(namespace);
  const out = new Map<string, Edge>();
  for (const [i, e] of edges.entries()) {
    if (e.namespace !== namespace) {
      throw new MemoryossError(
        "FORBIDDEN_NAMESPACE",
        `edge ${i} is in namespace ${JSON.stringify(e.namespace)}, the batch in ` +
          JSON.stringify(namespace),
      );
    }
    checkKinds([e.kind]);
    if (e.origin !== "auto" && e.origin !== "manual") {
      throw new MemoryossError("INVALID_INPUT", `edge ${i}: origin is auto or manual`);
    }
    if (!Number.isFinite(e.weight) || !e.src || !e.dst || !e.created_at) {
      throw new MemoryossError("INVALID_INPUT", `edge ${i}: src, dst, created_at and a weight`);
    }
    if (e.src === e.dst) continue;
    const key = `${e.src}\u0000${e.dst}\u0000${e.kind}`;
    const prev = out.get(key);
    const cur = { ...e, weight: Math.round(e.weight * 10000) / 10000, detail: e.detail ?? {} };
    if (prev && prev.origin === "manual" && cur.origin === "auto") continue;
    out.set(key, prev ? { ...cur, created_at: prev.created_at } : cur);
  }
  return [...out.values()];
}

/** The memory ids an edge batch joins. */
export function endpoints(edges: readonly Edge[]): string[] {
  return [...new Set(edges.flatMap((e) => [e.src, e.dst]))];
}

/** Refuse a batch naming memories not stored in `namespace` (`found`: those that are). */
export function needEndpoints(namespace: string, wanted: string[], found: Set<string>): void {
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new MemoryossError(
      "NOT_FOUND",
      `no memory ${missing.slice(0, 3).join(", ")} in ${namespace}`,
    );
  }
}

/** The WHERE clause (no keyword) of a delete's selector: as {@link edgeConds}, never empty. */
export function edgeWhere(namespace: string, sel: EdgeSelector, ph: Ph): string {
  if (!sel.between && !sel.touching && !sel.origin && !sel.kinds) {
    throw new MemoryossError("INVALID_INPUT", "an edge delete needs a selector");
  }
  return edgeConds(namespace, sel, ph);
}

/** The WHERE clause (no keyword) of the edges of `namespace` matching `sel`. */
export function edgeConds(namespace: string, sel: EdgeSelector, ph: Ph): string {
  const w = [`namespace = ${ph(needNamespace(namespace))}`];
  if (sel.between) {
    const [a, b] = sel.between;
    w.push(`((src = ${ph(a)} AND dst = ${ph(b)}) OR (src = ${ph(b)} AND dst = ${ph(a)}))`);
  }
  if (sel.touching) {
    w.push(
      `(src IN (${inList(sel.touching, ph, "ids")}) OR dst IN (${
        inList(sel.touching, ph, "ids")
      }))`,
    );
  }
  if (sel.kinds) {
    checkKinds(sel.kinds);
    w.push(`kind IN (${inList(sel.kinds, ph, "kinds")})`);
  }
  if (sel.origin) w.push(`origin = ${ph(sel.origin)}`);
  return w.join(" AND ");
}

/** An edge from its row, `detail` opened with `open` (an unreadable one becomes `{}`). */
export function edgeFromRow(
  r: EdgeRow,
  open: (ref: ReturnType<typeof edgeDetailRef>, v: string) => string,
): Edge {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(open(edgeDetailRef(r), r.detail));
  } catch { /* a damaged or unreadable detail is only lost context (as graph_sql.ts) */ }
  return {
    src: r.src,
    dst: r.dst,
    kind: r.kind as EdgeKind,
    namespace: r.namespace,
    weight: Number(r.weight),
    origin: r.origin as EdgeOrigin,
    detail,
    created_at: r.created_at,
  };
}

/** A limit clause value: a positive integer or none. */
export function limitOf(limit: number | undefined): number | null {
  if (limit === undefined) return null;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new MemoryossError("INVALID_INPUT", "limit must be a whole number ≥ 0");
  }
  return limit;
}

const DIGEST = /^[0-9a-f]{64}$/;

/** Refuse anything but a SHA-256 hex digest (never echoing what was given). */
export function needDigest(hash: string): string {
  if (typeof hash !== "string" || !DIGEST.test(hash)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "api keys are stored and looked up by their SHA-256 digest (64 hex), never the secret",
    );
  }
  return hash;
}

/** Check a key row before it is stored: a digest, its id, a role and a scope. */
export function checkKeyRow(row: ApiKeyRow): ApiKeyRow {
  needDigest(row.hash);
  if (row.key_id !== row.hash.slice(0, 16)) {
    throw new MemoryossError("INVALID_INPUT", "key_id is the first 16 hex of the digest");
  }
  if (!row.role || !row.created_at) {
    throw new MemoryossError("INVALID_INPUT", "a key needs a role and created_at");
  }
  if (keyScope(row) === null) {
    throw new MemoryossError("INVALID_INPUT", 'a key\'s namespaces are "*" or a list');
  }
  return row;
}

/** A key row's namespaces, or null when unreadable. */
export function keyScope(row: ApiKeyRow): NamespaceScope | null {
  try {
    const v = JSON.parse(row.namespaces);
    if (v === "*") return "*";
    if (Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === "string" && n)) return v;
  } catch { /* unreadable */ }
  return null;
}

/** True when the key's namespaces lie inside `scope`. */
export function keyInScope(row: ApiKeyRow, scope: NamespaceScope): boolean {
  if (scope === "*") return true;
  const k = keyScope(row);
  return k !== null && k !== "*" && k.every((n) => scope.includes(n));
}

/** The claim time before which a claim has lapsed. */
export function leaseCutoff(at: string, leaseMs = 300_000): string {
  const t = Date.parse(at);
  if (!Number.isFinite(t) || !(leaseMs >= 0)) {
    throw new MemoryossError("INVALID_INPUT", "claim: `at` must be an ISO time, leaseMs ≥ 0");
  }
  return new Date(t - leaseMs).toISOString();
}

/** Check a claim's worker and limits. */
export function checkClaim(o: { worker: string; limit: number; maxAttempts: number }): void {
  if (!o.worker || o.worker === "stale") {
    throw new MemoryossError("INVALID_INPUT", "a claim needs a worker id (not 'stale')");
  }
  limitOf(o.limit);
  if (!Number.isInteger(o.maxAttempts) || o.maxAttempts < 1) {
    throw new MemoryossError("INVALID_INPUT", "maxAttempts must be a whole number ≥ 1");
  }
}

/** Check events before they are appended. */
export function checkEvents(namespace: string, events: readonly ActivityInput[]): void {
  needNamespace(namespace);
  for (const [i, e] of events.entries()) {
    if (!e.at || !e.kind || Number.isNaN(Date.parse(e.at))) {
      throw new MemoryossError("INVALID_INPUT", `event ${i}: an ISO time and a kind`);
    }
  }
}

/** The WHERE clause (no keyword) of an activity query within `scope`. */
export function activityWhere(scope: NamespaceScope, q: ActivityQuery, ph: Ph, c = ""): string {
  const w = [scopeSql(scope, ph)];
  if (q.since !== undefined) w.push(`at${c} >= ${ph(q.since)}`);
  if (q.until !== undefined) w.push(`at${c} < ${ph(q.until)}`);
  if (q.kinds) w.push(`kind IN (${inList(q.kinds, ph, "kinds")})`);
  return w.join(" AND ");
}

/**
 * The WHERE clause (no keyword) of queue rows of one status (as `queueListRows`), and the
 * derived status and shown tries as SELECT expressions.
 */
export function queueStatusSql(ph: Ph, maxAttempts: number, staleMark: string) {
  const m = () => ph(maxAttempts);
  const s = () => ph(staleMark);
  return {
    // Only the chosen status's placeholders are made (SQLite's `?` are positional).
    where: (status: string): string => {
      switch (status) {
        case "pending":
          return `done_at IS NULL AND attempts < ${m()}`;
        case "done":
          return "done_at IS NOT NULL";
        case "failed":
          return `done_at IS NULL AND attempts >= ${m()} AND coalesce(claimed_by, '') <> ${s()}`;
        case "stale":
          return `done_at IS NULL AND attempts >= ${m()} AND claimed_by = ${s()}`;
      }
      throw new MemoryossError("INVALID_INPUT", `unknown queue status '${status}'`);
    },
    status: (): string =>
      `CASE WHEN done_at IS NOT NULL THEN 'done'
         WHEN attempts >= ${m()} AND claimed_by = ${s()} THEN 'stale'
         WHEN attempts >= ${m()} THEN 'failed' ELSE 'pending' END`,
    attempts: (): string =>
      `CASE WHEN done_at IS NULL AND attempts >= ${m()} AND claimed_by = ${s()} THEN 0
         ELSE attempts END`,
  };
}
