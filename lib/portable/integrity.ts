/**
 * The integrity hashes of the v1alpha1 lines, exactly as memoryOSS computes them.
 *
 * - passport / history: SHA-256 of compact JSON of a fresh object holding the listed fields in
 *   the listed order, each value exactly as received (nested key order, number lexemes,
 *   decoded strings); `integrity` and unlisted top-level fields are not covered.
 * - bundle envelope: SHA-256 of compact JSON of a serde_json `Value` built from the typed
 *   envelope: keys sorted by code point at every depth (payload included), nulls kept, numbers
 *   as a `Value` prints them, `bundle_id` lowercase, `exported_at`/`signed_at` as chrono prints.
 * - runtime contract: no hash.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { compactReceived, compactSortedValue, sha256Hex } from "./canonical.ts";
import { isJsonObject, type JsonObject, type JsonPath, type JsonValue } from "./json.ts";
import { chronoJsonTimestamp, isRfc3339 } from "./rust_format.ts";

/** Top-level fields covered by `integrity.payload_sha256` of a passport, in hash order. */
export const PASSPORT_HASH_FIELDS = [
  "bundle_version",
  "passport_id",
  "runtime_contract",
  "scope",
  "namespace",
  "exported_at",
  "provenance",
  "memories",
] as const;

/** Top-level fields covered by `integrity.payload_sha256` of a history, in hash order. */
export const HISTORY_HASH_FIELDS = [
  "bundle_version",
  "history_id",
  "root_id",
  "runtime_contract",
  "namespace",
  "exported_at",
  "memories",
  "edges",
  "timeline",
] as const;

/** Envelope fields copied into the envelope hash object (optional ones become null). */
const ENVELOPE_FIELDS: [string, boolean][] = [
  ["bundle_version", true],
  ["bundle_id", true],
  ["kind", true],
  ["namespace", true],
  ["scope", false],
  ["runtime_contract_id", true],
  ["exported_at", true],
];
const REFERENCE_FIELDS = ["uri", "attachment_name"];
/** `signature` fields under the envelope hash; `value` and `chain` are excluded. */
export const SIGNATURE_HASH_FIELDS = ["scheme", "signer", "signable", "identity_kind", "signed_at"];

/** Which hashed line an artifact belongs to. */
export type HashedKind = "passport" | "history";

/**
 * Builds the passport/history hash object, or lists the covered fields that are missing.
 *
 * @example
 * ```ts
 * const r = hashObject("passport", tree);
 * if ("input" in r) compactReceived(r.input);
 * ```
 */
export function hashObject(
  kind: HashedKind,
  artifact: JsonValue,
): { input: JsonObject } | { missing: JsonPath[] } {
  if (!isJsonObject(artifact)) return { missing: [[]] };
  const fields = kind === "passport" ? PASSPORT_HASH_FIELDS : HISTORY_HASH_FIELDS;
  const input: JsonObject = new Map();
  const missing: JsonPath[] = [];
  for (const f of fields) {
    const v = artifact.get(f);
    if (v === undefined) missing.push([f]);
    else input.set(f, v);
  }
  return missing.length ? { missing } : { input };
}

/**
 * The exact text memoryOSS hashes for a passport or history.
 *
 * @example
 * ```ts
 * canonicalPayload("passport", parseJson(text)); // '{"bundle_version":"memoryoss.passport…'
 * ```
 */
export function canonicalPayload(kind: HashedKind, artifact: JsonValue): string {
  const r = hashObject(kind, artifact);
  if ("missing" in r) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `cannot hash ${kind}: missing ${
        r.missing.map((p) => p.join(".") || "(root object)").join(", ")
      }`,
      r.missing[0],
    );
  }
  return compactReceived(r.input);
}

/**
 * `integrity.payload_sha256` for a passport or history tree.
 *
 * @example
 * ```ts
 * payloadSha256("passport", parseJson(fixtureText)); // "f854ea8f…abc8"
 * ```
 */
export function payloadSha256(kind: HashedKind, artifact: JsonValue): string {
  return sha256Hex(canonicalPayload(kind, artifact));
}

/**
 * Builds the envelope hash object from a received envelope. Required fields that are missing
 * are reported; optional ones and absent signature fields become null, as in the Rust `Value`.
 *
 * @example
 * ```ts
 * const r = envelopeHashObject(envelopeTree);
 * ```
 */
export function envelopeHashObject(
  envelope: JsonValue,
): { input: JsonObject } | { missing: JsonPath[] } {
  if (!isJsonObject(envelope)) return { missing: [[]] };
  const input: JsonObject = new Map();
  const missing: JsonPath[] = [];
  for (const [f, required] of ENVELOPE_FIELDS) {
    const v = envelope.get(f);
    if (v === undefined && required) missing.push([f]);
    input.set(
      f,
      f === "bundle_id"
        ? asUuid(v ?? null)
        : f === "exported_at"
        ? asDateTime(v ?? null)
        : v ?? null,
    );
  }
  const ref = envelope.get("reference");
  if (!isJsonObject(ref)) missing.push(["reference"]);
  else {
    // The reference is a typed struct on the Rust side: only its two fields exist there.
    const r: JsonObject = new Map();
    for (const f of REFERENCE_FIELDS) {
      const v = ref.get(f);
      if (v === undefined) missing.push(["reference", f]);
      r.set(f, v ?? null);
    }
    input.set("reference", r);
  }
  const sig = envelope.get("signature");
  if (!isJsonObject(sig)) missing.push(["signature"]);
  else {
    const s: JsonObject = new Map();
    for (const f of SIGNATURE_HASH_FIELDS) {
      const v = sig.get(f) ?? null;
      s.set(f, f === "signed_at" ? asDateTime(v) : v);
    }
    if (!sig.has("scheme")) missing.push(["signature", "scheme"]);
    if (!sig.has("signable")) missing.push(["signature", "signable"]);
    input.set("signature", s);
  }
  const payload = envelope.get("payload");
  if (payload === undefined) missing.push(["payload"]);
  input.set("payload", payload ?? null);
  return missing.length ? { missing } : { input };
}

/** The envelope is a typed struct in Rust: `Uuid` prints lowercase. */
function asUuid(v: JsonValue): JsonValue {
  return typeof v === "string" ? v.toLowerCase() : v;
}

/** ...and a `DateTime<Utc>` prints as chrono does (`Z`, 0/3/6/9 digits). Invalid text is left
 * for the schema check to report. */
function asDateTime(v: JsonValue): JsonValue {
  return typeof v === "string" && isRfc3339(v) ? chronoJsonTimestamp(v) : v;
}

/**
 * The exact text memoryOSS hashes for a bundle envelope.
 *
 * @example
 * ```ts
 * canonicalEnvelope(envelopeTree); // '{"bundle_id":"…","bundle_version":"memoryoss.bundle…'
 * ```
 */
export function canonicalEnvelope(envelope: JsonValue): string {
  const r = envelopeHashObject(envelope);
  if ("missing" in r) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `cannot hash bundle: missing ${
        r.missing.map((p) => p.join(".") || "(root object)").join(", ")
      }`,
      r.missing[0],
    );
  }
  return compactSortedValue(r.input);
}

/**
 * The envelope hash: `integrity.payload_sha256` of a bundle and the subject it is signed over.
 *
 * @example
 * ```ts
 * envelopeSha256(envelopeTree); // 64 lowercase hex digits
 * ```
 */
export function envelopeSha256(envelope: JsonValue): string {
  return sha256Hex(canonicalEnvelope(envelope));
}

/**
 * The `reference` block memoryOSS writes for a bundle.
 *
 * @example
 * ```ts
 * bundleReference("passport", "1111…", "demo", "project").attachment_name;
 * // "memoryoss-passport-demo-project-1111….membundle.json"
 * ```
 */
export function bundleReference(
  kind: HashedKind,
  id: string,
  namespace: string,
  scope?: string | null,
): { uri: string; attachment_name: string } {
  const s = scope ?? null;
  return {
    uri: `memoryoss://bundle/${id}?kind=${kind}&namespace=${namespace}` +
      (s === null ? "" : `&scope=${s}`),
    attachment_name: `memoryoss-${kind}-${namespace}${s === null ? "" : `-${s}`}-${id}` +
      ".membundle.json",
  };
}
