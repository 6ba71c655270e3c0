/**
 * The runtime contract document (`memoryoss.runtime.v1alpha1`, memoryOSS §5.1) describing this
 * runtime: what is stable, what is experimental, how objects map to routes and what is missing.
 * Served at `GET /v1/runtime/contract`.
 *
 * The prose (semantics, guarantees, object kinds) is written here; every route the document
 * names comes from the server's route table: `api_mappings` and `endpoints` list exactly the
 * `/v1` routes registered, surfaces naming a route that is not registered are dropped, and an
 * object kind whose routes are missing is reported `partial`/`planned` with the gap named.
 */

export const RUNTIME_CONTRACT_ID = "memoryoss.runtime.v1alpha1";
export const RUNTIME_CONTRACT_VERSION = "2026-03-13";

/** One registered route, as a router lists it (`:id` parameters, `ALL` for middleware). */
export interface TableRoute {
  method: string;
  path: string;
}

/** One endpoint of the contract: a concrete method and a memoryOSS-style path (`{id}`). */
export interface ContractEndpoint {
  method: string;
  path: string;
  runtime_operation: string;
}

const STABLE_SEMANTICS = [
  {
    name: "namespace_scope",
    guarantee:
      "Every stored memory stays scoped to a namespace boundary on read, write, list, export and admin surfaces; keys and tokens are bound to namespaces.",
    current_surfaces: ["Memory.namespace", "/v1/store", "/v1/recall", "/v1/export"],
  },
  {
    name: "provenance",
    guarantee:
      "Stored memories record the API key id that created them (source_key) and keep review events.",
    current_surfaces: ["Memory.source_key", "Memory.review_events", "/v1/inspect/{id}"],
  },
  {
    name: "supersede",
    guarantee: "Superseding marks the old memory stale with superseded_by instead of deleting it.",
    current_surfaces: ["/v1/feedback", "/v1/admin/review/action"],
  },
  {
    name: "merge",
    guarantee:
      "Duplicates merge into the existing memory (evidence and version grow); consolidation keeps sources archived with lineage in derived_from.",
    current_surfaces: ["/v1/store", "/v1/consolidate"],
  },
  {
    name: "portable_export",
    guarantee: "Exports preserve identity, provenance and lineage without embeddings.",
    current_surfaces: ["/v1/export", "/v1/passport/export", "/v1/history/{id}/bundle"],
  },
];

const EXPERIMENTAL_LAYERS = [
  {
    name: "summary_evidence_recall",
    description: "Compact summary and evidence rendering is not implemented yet.",
    current_surfaces: [] as string[],
    excluded_from_contract: true,
  },
  {
    name: "identifier_first_routing",
    description: "Exact-identifier channel weighting may change between releases.",
    current_surfaces: ["/v1/recall", "/v1/admin/query-explain"],
    excluded_from_contract: true,
  },
];

/** Object kinds; `routes` must all be registered for `support_level` to hold. */
const OBJECT_MODEL = [
  {
    kind: "project_memory",
    support_level: "stable",
    description: "Durable runtime record for project facts and operator rules.",
    fields: ["Memory"],
    routes: ["/v1/store", "/v1/recall", "/v1/export"],
    known_gaps: [] as string[],
  },
  {
    kind: "evidence",
    support_level: "partial",
    description: "Evidence is counted (evidence_count) but not stored as separate objects.",
    fields: ["Memory.evidence_count", "Memory.last_verified_at"],
    routes: [],
    known_gaps: ["No evidence objects or excerpts."],
  },
  {
    kind: "supersede",
    support_level: "stable",
    description: "Replacement pointer with stale status.",
    fields: ["Memory.superseded_by"],
    routes: ["/v1/feedback"],
    known_gaps: [],
  },
  {
    kind: "merge",
    support_level: "stable",
    description: "Consolidated memories list their sources.",
    fields: ["Memory.derived_from"],
    routes: ["/v1/consolidate"],
    known_gaps: [],
  },
  {
    kind: "passport",
    support_level: "stable",
    description: "Portable subset of visible runtime state for transfer between tools.",
    fields: ["MemoryPassportBundle"],
    routes: ["/v1/passport/export", "/v1/passport/import"],
    known_gaps: [],
  },
  {
    kind: "history",
    support_level: "stable",
    description: "Deterministic lineage bundle for replay and branch workflows.",
    fields: ["MemoryHistoryBundle"],
    routes: ["/v1/history/{id}", "/v1/history/{id}/bundle", "/v1/history/replay"],
    known_gaps: [],
  },
] as const;

const GUARANTEES = [
  {
    name: "lineage_preservation",
    description: "Supersede and consolidation preserve lineage instead of destructive overwrite.",
  },
  {
    name: "no_unscoped_delete",
    description: "Forget requires ids, a filter, or an explicit all=true.",
  },
];

/** Operations, first match wins: a route belongs to one when it is or lies under a prefix. */
const OPERATIONS: { op: string; prefixes: string[]; fields: string[] }[] = [
  { op: "store", prefixes: ["/v1/store"], fields: ["Memory"] },
  {
    op: "recall",
    prefixes: ["/v1/recall"],
    fields: ["Memory without embedding", "score", "provenance"],
  },
  { op: "update", prefixes: ["/v1/update", "/v1/archive"], fields: ["Memory"] },
  {
    op: "feedback",
    prefixes: ["/v1/feedback"],
    fields: ["Memory.status", "Memory.superseded_by"],
  },
  { op: "forget", prefixes: ["/v1/forget"], fields: ["Memory.id"] },
  { op: "consolidate", prefixes: ["/v1/consolidate"], fields: ["Memory.derived_from"] },
  {
    op: "portability_export",
    prefixes: [
      "/v1/export",
      "/v1/passport/export",
      "/v1/bundle/export",
      "/v1/bundles/export",
      "/v1/adapters/export",
    ],
    fields: ["Memory without embedding", "runtime_contract metadata"],
  },
  {
    op: "portability_import",
    prefixes: ["/v1/passport/import", "/v1/adapters/import"],
    fields: ["PassportEntry"],
  },
  { op: "history_replay", prefixes: ["/v1/history/replay"], fields: ["MemoryHistoryBundle"] },
  { op: "history", prefixes: ["/v1/history"], fields: ["MemoryHistoryView"] },
  {
    op: "bundle_inspection",
    prefixes: ["/v1/bundle", "/v1/bundles"],
    fields: ["MemoryBundleEnvelope"],
  },
  { op: "graph", prefixes: ["/v1/memories/{id}/graph", "/v1/graph"], fields: ["MemoryLink"] },
  {
    op: "inspect",
    prefixes: ["/v1/memories", "/v1/inspect", "/v1/peek", "/v1/namespaces"],
    fields: ["Memory without embedding"],
  },
  {
    op: "auth",
    prefixes: ["/v1/auth", "/v1/admin/keys", "/v1/admin/tokens"],
    fields: ["ApiKey", "JWT claims"],
  },
  {
    op: "review",
    prefixes: ["/v1/admin/review-queue", "/v1/admin/review"],
    fields: ["Memory.status", "Memory.review_events"],
  },
  {
    op: "runtime_contract",
    prefixes: ["/v1/runtime", "/v1/source"],
    fields: ["RuntimeContractDocument"],
  },
  {
    op: "llm_proxy",
    prefixes: ["/v1/chat/completions", "/v1/responses", "/v1/models", "/v1/messages", "/v1/v1"],
    fields: ["upstream request with memory context"],
  },
];

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** A router path in memoryOSS's spelling: `:id` (with an optional pattern) becomes `{id}`. */
export function contractPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "{$1}");
}

/** The operation a `/v1` path belongs to; unlisted families are named after their segments. */
function operationOf(path: string): string {
  const hit = OPERATIONS.find((o) =>
    o.prefixes.some((p) => path === p || path.startsWith(`${p}/`))
  );
  if (hit) return hit.op;
  const segs = path.split("/").slice(2).filter((s) => s && !s.startsWith("{"));
  return segs.slice(0, segs[0] === "admin" ? 2 : 1).join("_").replace(/[^a-z0-9_]/gi, "_");
}

/**
 * The contract's endpoints: every concrete-method `/v1` route of `table`, once, sorted.
 * Middleware, mounts and fallbacks (`ALL`, wildcards) are not endpoints.
 */
export function contractEndpoints(table: readonly TableRoute[]): ContractEndpoint[] {
  const seen = new Map<string, ContractEndpoint>();
  for (const r of table) {
    const method = r.method.toUpperCase();
    if (!METHODS.has(method) || !r.path.startsWith("/v1/") || r.path.includes("*")) continue;
    const path = contractPath(r.path);
    seen.set(`${method} ${path}`, { method, path, runtime_operation: operationOf(path) });
  }
  return [...seen.values()].sort((a, b) =>
    a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)
  );
}

/** The export metadata block embedded in exports (§5.1); it names no route but the document's. */
export function contractExportMetadata() {
  return {
    contract_id: RUNTIME_CONTRACT_ID,
    version: RUNTIME_CONTRACT_VERSION,
    document_route: "/v1/runtime/contract",
    stable_semantics: STABLE_SEMANTICS.map((s) => s.name),
    experimental_layers_excluded: EXPERIMENTAL_LAYERS.filter((l) => l.excluded_from_contract)
      .map((l) => l.name),
  };
}

/**
 * The contract document for a server whose route table is `table`: the nine required
 * top-level keys of §5.1, plus `endpoints` (method, path, operation of every `/v1` route).
 */
export function runtimeContract(table: readonly TableRoute[]) {
  const endpoints = contractEndpoints(table);
  const served = new Set(endpoints.map((e) => e.path));
  /** Keep non-route entries (`Memory.namespace`) and routes that are served. */
  const real = (xs: readonly string[]) => xs.filter((x) => !x.startsWith("/") || served.has(x));
  const objects = OBJECT_MODEL.map((o) => objectEntry(o, served));
  const routeGaps = OBJECT_MODEL.map((o) => ({
    area: o.kind,
    missing: o.routes.filter((r) => !served.has(r)),
  })).filter((g) => g.missing.length > 0);
  return {
    contract_id: RUNTIME_CONTRACT_ID,
    version: RUNTIME_CONTRACT_VERSION,
    runtime_name: "memoryoss",
    stable_semantics: STABLE_SEMANTICS.map((s) => ({
      ...s,
      current_surfaces: real(s.current_surfaces),
    })),
    experimental_layers: EXPERIMENTAL_LAYERS.map((l) => ({
      ...l,
      current_surfaces: real(l.current_surfaces),
    })),
    object_model: objects,
    guarantees: GUARANTEES,
    api_mappings: apiMappings(endpoints),
    known_gaps: [
      ...routeGaps.map((g) => ({
        area: g.area,
        status: "planned" as const,
        note: `Not served yet: ${g.missing.join(", ")}.`,
      })),
      {
        area: "recall_pagination",
        status: "planned",
        note: "Recall has no cursor; raise limit (max 100) instead.",
      },
    ],
    endpoints,
  };
}

/** One object kind, its level lowered (and the gap named) when its routes are not served. */
function objectEntry(o: (typeof OBJECT_MODEL)[number], served: Set<string>) {
  const missing = o.routes.filter((r) => !served.has(r));
  const present = o.routes.filter((r) => served.has(r));
  const level: "stable" | "partial" | "planned" = missing.length === 0
    ? o.support_level
    : present.length === 0
    ? "planned"
    : "partial";
  const gaps = [...o.known_gaps, ...missing.map((r) => `${r} not served.`)];
  return {
    kind: o.kind,
    support_level: level,
    description: o.description,
    current_mapping: [...o.fields, ...present],
    ...(gaps.length > 0 ? { known_gaps: gaps } : {}),
  };
}

/** `api_mappings`: one entry per operation that has routes, in {@link OPERATIONS} order. */
function apiMappings(endpoints: ContractEndpoint[]) {
  const byOp = new Map<string, Set<string>>();
  for (const e of endpoints) {
    const set = byOp.get(e.runtime_operation) ?? new Set();
    byOp.set(e.runtime_operation, set.add(e.path));
  }
  const order = OPERATIONS.map((o) => o.op);
  const rank = (op: string) => order.includes(op) ? order.indexOf(op) : order.length;
  return [...byOp.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((op) => ({
    runtime_operation: op,
    routes: [...byOp.get(op)!].sort(),
    data_model_fields: OPERATIONS.find((o) => o.op === op)?.fields ?? ["see docs/http-api.md"],
  }));
}
