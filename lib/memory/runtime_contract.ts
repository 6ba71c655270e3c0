/**
 * The runtime contract document (`memoryoss.runtime.v1alpha1`, memoryOSS §5.1) describing this
 * runtime: what is stable, what is experimental, how objects map to routes and what is missing.
 * Served at `GET /v1/runtime/contract`.
 */

export const RUNTIME_CONTRACT_ID = "memoryoss.runtime.v1alpha1";
export const RUNTIME_CONTRACT_VERSION = "2026-03-13";

/** The export metadata block embedded in exports (§5.1). */
export function contractExportMetadata() {
  const doc = runtimeContract();
  return {
    contract_id: doc.contract_id,
    version: doc.version,
    document_route: "/v1/runtime/contract",
    stable_semantics: doc.stable_semantics.map((s) => s.name),
    experimental_layers_excluded: doc.experimental_layers.filter((l) => l.excluded_from_contract)
      .map((l) => l.name),
  };
}

/** The contract document, with the nine required top-level keys. */
export function runtimeContract() {
  return {
    contract_id: RUNTIME_CONTRACT_ID,
    version: RUNTIME_CONTRACT_VERSION,
    runtime_name: "memoryoss",
    stable_semantics: [
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
        guarantee:
          "Superseding marks the old memory stale with superseded_by instead of deleting it.",
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
        current_surfaces: ["/v1/export"],
      },
    ],
    experimental_layers: [
      {
        name: "summary_evidence_recall",
        description: "Compact summary and evidence rendering is not implemented yet.",
        current_surfaces: [],
        excluded_from_contract: true,
      },
      {
        name: "identifier_first_routing",
        description: "Exact-identifier channel weighting may change between releases.",
        current_surfaces: ["/v1/recall", "/v1/admin/query-explain"],
        excluded_from_contract: true,
      },
    ],
    object_model: [
      {
        kind: "project_memory",
        support_level: "stable",
        description: "Durable runtime record for project facts and operator rules.",
        current_mapping: ["Memory", "/v1/store", "/v1/recall", "/v1/export"],
      },
      {
        kind: "evidence",
        support_level: "partial",
        description: "Evidence is counted (evidence_count) but not stored as separate objects.",
        current_mapping: ["Memory.evidence_count", "Memory.last_verified_at"],
        known_gaps: ["No evidence objects or excerpts."],
      },
      {
        kind: "supersede",
        support_level: "stable",
        description: "Replacement pointer with stale status.",
        current_mapping: ["Memory.superseded_by", "/v1/feedback"],
      },
      {
        kind: "merge",
        support_level: "stable",
        description: "Consolidated memories list their sources.",
        current_mapping: ["Memory.derived_from", "/v1/consolidate"],
      },
      {
        kind: "passport",
        support_level: "planned",
        description: "Portable bundles are not served over HTTP yet.",
        current_mapping: [],
        known_gaps: ["/v1/passport/* not implemented."],
      },
    ],
    guarantees: [
      {
        name: "lineage_preservation",
        description:
          "Supersede and consolidation preserve lineage instead of destructive overwrite.",
      },
      {
        name: "no_unscoped_delete",
        description: "Forget requires ids, a filter, or an explicit all=true.",
      },
    ],
    api_mappings: [
      {
        runtime_operation: "store",
        routes: ["/v1/store", "/v1/store/batch"],
        data_model_fields: ["Memory"],
      },
      {
        runtime_operation: "recall",
        routes: ["/v1/recall", "/v1/recall/batch"],
        data_model_fields: ["Memory without embedding", "score", "provenance"],
      },
      {
        runtime_operation: "portability_export",
        routes: ["/v1/export"],
        data_model_fields: ["Memory without embedding"],
      },
    ],
    known_gaps: [
      {
        area: "portable_bundles",
        status: "planned",
        note: "Passport, history and bundle routes are not served yet.",
      },
      {
        area: "recall_pagination",
        status: "planned",
        note: "Recall has no cursor; raise limit (max 100) instead.",
      },
    ],
  };
}
