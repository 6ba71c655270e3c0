/**
 * The memoryOSS typed structs as JSON trees, the way the Rust runtime re-serialises them:
 * struct field order, unknown fields gone, `?` fields omitted when null or empty, integers as
 * integers, f64 (`confidence`) in ryu form (`1.0`), timestamps as chrono prints a
 * `DateTime<Utc>` and UUIDs lowercase. This is what the Rust `memoryoss conformance normalize`
 * prints (ours with `--typed`), what `/trust/sign` hashes for passport and history subjects,
 * and what `verify` uses to tell whether the Rust runtime would accept an artifact.
 *
 * @module
 */
import type { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import {
  formatPath,
  type JsonObject,
  type JsonValue,
  LosslessNumber,
  parseJson,
  toPlain,
} from "./json.ts";
import { chronoJsonTimestamp, formatF64 } from "./rust_format.ts";
import {
  HistoryBundle,
  type HistoryEvent,
  PassportBundle,
  type PassportEntry,
  type ReviewEvent,
  RuntimeContract,
  type RuntimeExportMetadata,
  type TeamGovernance,
} from "./schemas.ts";

/** The `--kind` values of `memoryoss conformance normalize`. */
export type NormalizeKind = "runtime_contract" | "passport" | "history";

const SCHEMAS = {
  runtime_contract: RuntimeContract,
  passport: PassportBundle,
  history: HistoryBundle,
} as const;

/**
 * Parses an artifact of the given kind into its typed struct and returns it as a tree in
 * Rust serialisation form (no integrity check). Throws `MemoryossError("INVALID_INPUT")`
 * naming the first bad path.
 *
 * @example
 * ```ts
 * const tree = typedTree("passport", fixtureText);
 * ```
 */
export function typedTree(kind: NormalizeKind, input: string | Uint8Array | JsonValue): JsonObject {
  const tree = typeof input === "string" || input instanceof Uint8Array ? parseJson(input) : input;
  const schema: z.ZodType = SCHEMAS[kind];
  const r = schema.safeParse(toPlain(tree));
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.map((p) => typeof p === "number" ? p : String(p));
    throw new MemoryossError(
      "INVALID_INPUT",
      `not a valid ${kind}: ${formatPath(path)}: ${issue.message}`,
      path,
    );
  }
  if (kind === "runtime_contract") return runtimeContractTree(r.data as RuntimeContract);
  if (kind === "passport") return passportTree(r.data as PassportBundle);
  return historyTree(r.data as HistoryBundle);
}

type Field = [string, JsonValue | undefined];

/** Builds an object, dropping fields whose value is `undefined` (the skipped `?` fields). */
function obj(fields: Field[]): JsonObject {
  const out: JsonObject = new Map();
  for (const [k, v] of fields) if (v !== undefined) out.set(k, v);
  return out;
}

const int = (n: number) => new LosslessNumber(String(n));
const f64 = (n: number) => new LosslessNumber(formatF64(n));
const strs = (xs: readonly string[]): JsonValue[] => [...xs];
/** `Option<T>` with `skip_serializing_if = "Option::is_none"`. */
const opt = <T>(v: T | null | undefined, f: (x: T) => JsonValue): JsonValue | undefined =>
  v === null || v === undefined ? undefined : f(v);
/** `Vec<T>` with `skip_serializing_if = "Vec::is_empty"`. */
const optList = <T>(v: readonly T[] | null | undefined, f: (x: T) => JsonValue) =>
  v && v.length > 0 ? v.map(f) : undefined;
const str = (s: string): JsonValue => s;
/** chrono `DateTime<Utc>` fields re-serialise as UTC `Z` with 0/3/6/9 fractional digits. */
const ts = (s: string): JsonValue => chronoJsonTimestamp(s);
/** `Uuid` fields re-serialise lowercase and hyphenated. */
const uuid = (s: string): JsonValue => s.toLowerCase();

function exportMetadata(m: RuntimeExportMetadata): JsonObject {
  return obj([
    ["contract_id", m.contract_id],
    ["version", m.version],
    ["document_route", m.document_route],
    ["stable_semantics", strs(m.stable_semantics)],
    ["experimental_layers_excluded", strs(m.experimental_layers_excluded)],
  ]);
}

function reviewEvent(e: ReviewEvent): JsonObject {
  return obj([
    ["at", ts(e.at)],
    ["actor", e.actor],
    ["action", e.action],
    ["via", e.via],
    ["queue_kind", opt(e.queue_kind, str)],
    ["superseded_by", opt(e.superseded_by, uuid)],
  ]);
}

function teamGovernance(g: TeamGovernance): JsonObject {
  return obj([
    ["branch", g.branch],
    ["scope", g.scope],
    ["review_required", g.review_required],
    ["owners", strs(g.owners)],
    ["watchlist", strs(g.watchlist)],
    ["proposed_by", g.proposed_by],
    ["proposed_at", ts(g.proposed_at)],
    ["merged_by", opt(g.merged_by, str)],
    ["merged_at", opt(g.merged_at, ts)],
  ]);
}

/**
 * One PassportEntry as the Rust struct serialises it.
 *
 * @example
 * ```ts
 * const tree = passportEntryTree(PassportEntry.parse(plainEntry));
 * ```
 */
export function passportEntryTree(e: PassportEntry): JsonObject {
  return obj([
    ["id", uuid(e.id)],
    ["content", e.content],
    ["tags", strs(e.tags)],
    ["agent", opt(e.agent, str)],
    ["session", opt(e.session, str)],
    ["original_namespace", opt(e.original_namespace, str)],
    ["memory_type", e.memory_type],
    ["status", e.status],
    ["version", int(e.version)],
    ["created_at", ts(e.created_at)],
    ["updated_at", ts(e.updated_at)],
    ["source_key_id", opt(e.source_key_id, str)],
    ["content_hash", opt(e.content_hash, str)],
    ["archived", e.archived],
    ["confidence", opt(e.confidence, f64)],
    ["evidence_count", int(e.evidence_count)],
    ["last_verified_at", opt(e.last_verified_at, ts)],
    ["superseded_by", opt(e.superseded_by, uuid)],
    ["derived_from", optList(e.derived_from, uuid)],
    ["contradicts_with", optList(e.contradicts_with, uuid)],
    ["review_events", optList(e.review_events, reviewEvent)],
    ["team_governance", opt(e.team_governance, teamGovernance)],
  ]);
}

/**
 * A passport bundle as the Rust struct serialises it (integrity included).
 *
 * @example
 * ```ts
 * prettyJson(passportTree(PassportBundle.parse(plain)));
 * ```
 */
export function passportTree(p: PassportBundle): JsonObject {
  return obj([
    ["bundle_version", p.bundle_version],
    ["passport_id", uuid(p.passport_id)],
    ["runtime_contract", exportMetadata(p.runtime_contract)],
    ["scope", p.scope],
    ["namespace", p.namespace],
    ["exported_at", ts(p.exported_at)],
    [
      "provenance",
      obj([
        ["exported_from_namespace", p.provenance.exported_from_namespace],
        ["source_key_ids", strs(p.provenance.source_key_ids)],
      ]),
    ],
    [
      "integrity",
      obj([
        ["algorithm", p.integrity.algorithm],
        ["payload_sha256", p.integrity.payload_sha256],
        ["signed", p.integrity.signed],
      ]),
    ],
    ["memories", p.memories.map(passportEntryTree)],
  ]);
}

function historyEvent(e: HistoryEvent): JsonObject {
  return obj([
    ["at", ts(e.at)],
    ["memory_id", uuid(e.memory_id)],
    ["kind", e.kind],
    ["summary", e.summary],
    ["from_status", opt(e.from_status, str)],
    ["to_status", opt(e.to_status, str)],
    ["actor", opt(e.actor, str)],
    ["via", opt(e.via, str)],
    ["related_ids", optList(e.related_ids, uuid)],
  ]);
}

/**
 * A history bundle as the Rust struct serialises it (integrity included).
 *
 * @example
 * ```ts
 * prettyJson(historyTree(HistoryBundle.parse(plain)));
 * ```
 */
export function historyTree(h: HistoryBundle): JsonObject {
  return obj([
    ["bundle_version", h.bundle_version],
    ["history_id", uuid(h.history_id)],
    ["root_id", uuid(h.root_id)],
    ["runtime_contract", exportMetadata(h.runtime_contract)],
    ["namespace", h.namespace],
    ["exported_at", ts(h.exported_at)],
    ["memories", h.memories.map(passportEntryTree)],
    [
      "edges",
      h.edges.map((e) => obj([["from", uuid(e.from)], ["to", uuid(e.to)], ["kind", e.kind]])),
    ],
    ["timeline", h.timeline.map(historyEvent)],
    [
      "integrity",
      obj([["algorithm", h.integrity.algorithm], ["payload_sha256", h.integrity.payload_sha256]]),
    ],
  ]);
}

/**
 * A runtime contract document as the Rust struct serialises it.
 *
 * @example
 * ```ts
 * prettyJson(runtimeContractTree(RuntimeContract.parse(plain)));
 * ```
 */
export function runtimeContractTree(c: RuntimeContract): JsonObject {
  return obj([
    ["contract_id", c.contract_id],
    ["version", c.version],
    ["runtime_name", c.runtime_name],
    [
      "stable_semantics",
      c.stable_semantics.map((s) =>
        obj([
          ["name", s.name],
          ["guarantee", s.guarantee],
          ["current_surfaces", strs(s.current_surfaces)],
        ])
      ),
    ],
    [
      "experimental_layers",
      c.experimental_layers.map((l) =>
        obj([
          ["name", l.name],
          ["description", l.description],
          ["current_surfaces", strs(l.current_surfaces)],
          ["excluded_from_contract", l.excluded_from_contract],
        ])
      ),
    ],
    [
      "object_model",
      c.object_model.map((m) =>
        obj([
          ["kind", m.kind],
          ["support_level", m.support_level],
          ["description", m.description],
          ["current_mapping", strs(m.current_mapping)],
          ["known_gaps", optList(m.known_gaps, str)],
        ])
      ),
    ],
    [
      "guarantees",
      c.guarantees.map((g) => obj([["name", g.name], ["description", g.description]])),
    ],
    [
      "api_mappings",
      c.api_mappings.map((a) =>
        obj([
          ["runtime_operation", a.runtime_operation],
          ["routes", strs(a.routes)],
          ["data_model_fields", strs(a.data_model_fields)],
        ])
      ),
    ],
    [
      "known_gaps",
      c.known_gaps.map((g) => obj([["area", g.area], ["status", g.status], ["note", g.note]])),
    ],
  ]);
}
