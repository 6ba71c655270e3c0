/**
 * zod schemas for the memoryOSS portable lines, declared in memoryOSS struct field order so a
 * parse result is already in serialisation order. Objects are non-strict: unknown additive
 * fields are dropped (ignored), as the LTS policy requires. Optional fields accept absence or
 * null (Rust `Option`); optional lists read as `[]`. These validate plain values from `toPlain`.
 *
 * @module
 */
import { z } from "zod";
import { isRfc3339 } from "./rust_format.ts";

/** The line identifiers this module reads and writes. */
export const RUNTIME_CONTRACT_ID = "memoryoss.runtime.v1alpha1";
export const PASSPORT_VERSION = "memoryoss.passport.v1alpha1";
export const HISTORY_VERSION = "memoryoss.history.v1alpha1";
export const BUNDLE_VERSION = "memoryoss.bundle.v1alpha1";

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A hyphenated UUID (JSON Schema `format: uuid`). */
export const Uuid = z.string().regex(UUID_RE, "expected a hyphenated UUID");
/** An RFC 3339 timestamp, kept as its exact string (never re-formatted). */
export const Timestamp = z.string().refine(isRfc3339, "expected an RFC 3339 date-time");
const list = <T extends z.ZodType>(item: T) =>
  z.array(item).nullish().transform((v): z.output<T>[] => v ?? []);
const uint = (min: number) => z.number().int().min(min);

const Status = z.enum(["candidate", "active", "contested", "stale"]);

/** Export metadata embedded in every export (`runtime_contract`). */
export const RuntimeExportMetadata = z.object({
  contract_id: z.string(),
  version: z.string(),
  document_route: z.string(),
  stable_semantics: z.array(z.string()),
  experimental_layers_excluded: z.array(z.string()),
});

/** One review event on a memory. */
export const ReviewEvent = z.object({
  at: Timestamp,
  actor: z.string(),
  action: z.enum(["confirm", "reject", "supersede"]),
  via: z.string(),
  queue_kind: z.enum(["candidate", "contested", "rejected"]).nullish(),
  superseded_by: Uuid.nullish(),
});

/** Team governance block (spec §1.1). */
export const TeamGovernance = z.object({
  branch: z.string(),
  scope: z.string(),
  review_required: z.boolean(),
  owners: list(z.string()),
  watchlist: list(z.string()),
  proposed_by: z.string(),
  proposed_at: Timestamp,
  merged_by: z.string().nullish(),
  merged_at: Timestamp.nullish(),
});

/** A memory inside a passport or history (PassportEntry, struct order). */
export const PassportEntry = z.object({
  id: Uuid,
  content: z.string(),
  tags: z.array(z.string()),
  agent: z.string().nullish(),
  session: z.string().nullish(),
  original_namespace: z.string().nullish(),
  memory_type: z.enum(["episodic", "semantic", "procedural", "working"]),
  status: Status,
  version: uint(1),
  created_at: Timestamp,
  updated_at: Timestamp,
  source_key_id: z.string().nullish(),
  content_hash: z.string().nullish(),
  archived: z.boolean(),
  confidence: z.number().nullish(),
  evidence_count: uint(0),
  last_verified_at: Timestamp.nullish(),
  superseded_by: Uuid.nullish(),
  derived_from: list(Uuid),
  contradicts_with: list(Uuid),
  review_events: list(ReviewEvent),
  team_governance: TeamGovernance.nullish(),
});

/** `memoryoss.passport.v1alpha1`. */
export const PassportBundle = z.object({
  bundle_version: z.literal(PASSPORT_VERSION),
  passport_id: Uuid,
  runtime_contract: RuntimeExportMetadata,
  scope: z.enum(["all", "personal", "project", "team"]),
  namespace: z.string(),
  exported_at: Timestamp,
  provenance: z.object({
    exported_from_namespace: z.string(),
    source_key_ids: z.array(z.string()),
  }),
  integrity: z.object({
    algorithm: z.string(),
    payload_sha256: z.string(),
    signed: z.boolean(),
  }),
  memories: z.array(PassportEntry),
});

/** A lineage edge in a history bundle. */
export const HistoryEdge = z.object({
  from: Uuid,
  to: Uuid,
  kind: z.enum(["derived_from", "superseded_by", "contradicts_with"]),
});

/** A synthesized timeline event in a history bundle. */
export const HistoryEvent = z.object({
  at: Timestamp,
  memory_id: Uuid,
  kind: z.enum([
    "created",
    "derived",
    "contradicted",
    "review",
    "superseded",
    "archived",
    "state_snapshot",
  ]),
  summary: z.string(),
  from_status: Status.nullish(),
  to_status: Status.nullish(),
  actor: z.string().nullish(),
  via: z.string().nullish(),
  related_ids: list(Uuid),
});

/** `memoryoss.history.v1alpha1`. */
export const HistoryBundle = z.object({
  bundle_version: z.literal(HISTORY_VERSION),
  history_id: Uuid,
  root_id: Uuid,
  runtime_contract: RuntimeExportMetadata,
  namespace: z.string(),
  exported_at: Timestamp,
  memories: z.array(PassportEntry),
  edges: z.array(HistoryEdge),
  timeline: z.array(HistoryEvent),
  integrity: z.object({ algorithm: z.string(), payload_sha256: z.string() }),
});

const SupportLevel = z.enum(["stable", "partial", "planned"]);

/** `GET /v1/runtime/contract` document (`memoryoss.runtime.v1alpha1`). */
export const RuntimeContract = z.object({
  contract_id: z.string(),
  version: z.string(),
  runtime_name: z.string(),
  stable_semantics: z.array(z.object({
    name: z.string(),
    guarantee: z.string(),
    current_surfaces: z.array(z.string()),
  })),
  experimental_layers: z.array(z.object({
    name: z.string(),
    description: z.string(),
    current_surfaces: z.array(z.string()),
    excluded_from_contract: z.boolean(),
  })),
  object_model: z.array(z.object({
    kind: z.string(),
    support_level: SupportLevel,
    description: z.string(),
    current_mapping: z.array(z.string()),
    known_gaps: list(z.string()),
  })),
  guarantees: z.array(z.object({ name: z.string(), description: z.string() })),
  api_mappings: z.array(z.object({
    runtime_operation: z.string(),
    routes: z.array(z.string()),
    data_model_fields: z.array(z.string()),
  })),
  known_gaps: z.array(z.object({ area: z.string(), status: SupportLevel, note: z.string() })),
});

/** One entry of a bundle signature chain. */
export const SignatureChainEntry = z.object({
  identity: z.string(),
  kind: z.string(),
  action: z.string(),
  at: Timestamp,
});

/** `signature` block of a bundle envelope. */
export const BundleSignature = z.object({
  scheme: z.string(),
  signer: z.string().nullish(),
  signable: z.boolean(),
  identity_kind: z.enum(["author", "device", "sync_peer"]).nullish(),
  signed_at: Timestamp.nullish(),
  value: z.string().nullish(),
  chain: list(SignatureChainEntry),
});

/** `memoryoss.bundle.v1alpha1`; `payload` is validated separately as a passport or history. */
export const BundleEnvelope = z.object({
  bundle_version: z.literal(BUNDLE_VERSION),
  bundle_id: Uuid,
  kind: z.enum(["passport", "history"]),
  namespace: z.string(),
  scope: z.enum(["all", "personal", "project", "team"]).nullish(),
  runtime_contract_id: z.string(),
  exported_at: Timestamp,
  reference: z.object({ uri: z.string(), attachment_name: z.string() }),
  integrity: z.object({ algorithm: z.string(), payload_sha256: z.string() }),
  signature: BundleSignature,
  payload: z.unknown(),
});

/** Parsed, typed artifacts (unknown fields dropped). */
export type RuntimeContract = z.infer<typeof RuntimeContract>;
export type RuntimeExportMetadata = z.infer<typeof RuntimeExportMetadata>;
export type PassportEntry = z.infer<typeof PassportEntry>;
export type ReviewEvent = z.infer<typeof ReviewEvent>;
export type TeamGovernance = z.infer<typeof TeamGovernance>;
export type PassportBundle = z.infer<typeof PassportBundle>;
export type HistoryBundle = z.infer<typeof HistoryBundle>;
export type HistoryEdge = z.infer<typeof HistoryEdge>;
export type HistoryEvent = z.infer<typeof HistoryEvent>;
export type BundleSignature = z.infer<typeof BundleSignature>;
export type BundleEnvelope = z.infer<typeof BundleEnvelope>;
