/**
 * `verify`: reads any portable artifact (runtime contract, passport, history, bundle envelope)
 * and reports every problem as `{path, message}` instead of throwing.
 *
 * @module
 */
import type { z } from "zod";
import { sha256Hex } from "./canonical.ts";
import { typedTree } from "./typed.ts";
import {
  envelopeSha256,
  type HashedKind,
  HISTORY_HASH_FIELDS,
  PASSPORT_HASH_FIELDS,
  payloadSha256,
} from "./integrity.ts";
import {
  isJsonObject,
  type JsonObject,
  type JsonPath,
  type JsonValue,
  toPlain,
  tryParseJson,
} from "./json.ts";
import {
  BUNDLE_VERSION,
  BundleEnvelope,
  HISTORY_VERSION,
  HistoryBundle,
  PASSPORT_VERSION,
  PassportBundle,
  RUNTIME_CONTRACT_ID,
  RuntimeContract,
} from "./schemas.ts";

/** The artifact lines `verify` understands. */
export type ArtifactKind = "runtime_contract" | "passport" | "history" | "bundle";

/** One problem, located by a zod-style path into the artifact. */
export interface VerifyIssue {
  path: JsonPath;
  message: string;
}

/** The outcome of {@link verify}; `ok` is true exactly when `errors` is empty. */
export interface VerifyResult {
  ok: boolean;
  kind: ArtifactKind | "unknown";
  errors: VerifyIssue[];
  /** Suspicious but not fatal for a memoryOSS reader (e.g. a stale `content_hash`). */
  warnings: VerifyIssue[];
  /** The stored and recomputed hash, when the kind has one and it could be computed. */
  integrity?: { stored: string | null; computed: string };
  /** For a bundle: the verification of its nested passport or history. */
  nested?: VerifyResult;
}

const MAX_ISSUES = 100;

/**
 * Names the line of a parsed artifact, or null when it is none of ours.
 *
 * @example
 * ```ts
 * detectKind(parseJson('{"bundle_version":"memoryoss.passport.v1alpha1"}')); // "passport"
 * ```
 */
export function detectKind(value: JsonValue): ArtifactKind | null {
  if (!isJsonObject(value)) return null;
  const v = value.get("bundle_version");
  if (v === PASSPORT_VERSION) return "passport";
  if (v === HISTORY_VERSION) return "history";
  if (v === BUNDLE_VERSION) return "bundle";
  if (v === undefined && value.has("contract_id") && value.has("runtime_name")) {
    return "runtime_contract";
  }
  return null;
}

/**
 * Verifies an artifact given as JSON text, UTF-8 bytes or a parsed tree. Never throws.
 * Passport and history hashes are checked over the as-received values; a bundle checks its
 * envelope hash and then its nested payload (issues under `payload…`).
 *
 * @example
 * ```ts
 * const r = verify(await Deno.readTextFile("passport-bundle.json"));
 * r.ok; // true
 * r.kind; // "passport"
 * ```
 */
export function verify(input: string | Uint8Array | JsonValue): VerifyResult {
  try {
    let tree: JsonValue;
    if (typeof input === "string" || input instanceof Uint8Array) {
      const parsed = tryParseJson(input);
      if (!parsed.ok) return result("unknown", [parsed.error], []);
      tree = parsed.value;
    } else {
      tree = input;
    }
    return verifyTree(tree);
  } catch (e) {
    // Defensive: a reader must never crash on hostile input.
    const message = e instanceof Error ? e.message : String(e);
    return result(
      "unknown",
      [{ path: [], message: `internal verification failure: ${message}` }],
      [],
    );
  }
}

function result(
  kind: VerifyResult["kind"],
  errors: VerifyIssue[],
  warnings: VerifyIssue[],
  extra: Partial<VerifyResult> = {},
): VerifyResult {
  return { ok: errors.length === 0, kind, errors: errors.slice(0, MAX_ISSUES), warnings, ...extra };
}

function verifyTree(tree: JsonValue): VerifyResult {
  if (!isJsonObject(tree)) {
    return result("unknown", [{ path: [], message: "expected a JSON object" }], []);
  }
  const kind = detectKind(tree);
  switch (kind) {
    case "runtime_contract":
      return verifyRuntimeContract(tree);
    case "passport":
    case "history":
      return verifyHashed(kind, tree);
    case "bundle":
      return verifyBundle(tree);
    default: {
      const v = tree.get("bundle_version");
      const message = v === undefined
        ? "not a memoryOSS artifact: no bundle_version, and no contract_id/runtime_name"
        : `unsupported bundle_version ${JSON.stringify(toPlain(v))} (supported: ` +
          `${[PASSPORT_VERSION, HISTORY_VERSION, BUNDLE_VERSION].join(", ")})`;
      return result("unknown", [{ path: v === undefined ? [] : ["bundle_version"], message }], []);
    }
  }
}

/** zod issues as verify issues. */
function schemaIssues(schema: z.ZodType, tree: JsonValue): VerifyIssue[] {
  const r = schema.safeParse(toPlain(tree));
  if (r.success) return [];
  return r.error.issues.map((i) => ({
    path: i.path.map((p) => typeof p === "number" ? p : String(p)),
    message: i.message,
  }));
}

function verifyRuntimeContract(tree: JsonObject): VerifyResult {
  const errors = schemaIssues(RuntimeContract, tree);
  const warnings: VerifyIssue[] = [];
  if (tree.get("contract_id") !== RUNTIME_CONTRACT_ID) {
    warnings.push({
      path: ["contract_id"],
      message: `contract_id is not ${RUNTIME_CONTRACT_ID}; read as that line`,
    });
  }
  return result("runtime_contract", errors, warnings);
}

function verifyHashed(kind: HashedKind, tree: JsonObject): VerifyResult {
  const errors = schemaIssues(kind === "passport" ? PassportBundle : HistoryBundle, tree);
  const warnings = contentHashWarnings(tree);
  const integrity = tree.get("integrity");
  const algorithm = isJsonObject(integrity) ? integrity.get("algorithm") : undefined;
  const stored = isJsonObject(integrity) ? integrity.get("payload_sha256") : undefined;
  if (algorithm !== undefined && algorithm !== "sha256") {
    errors.push({
      path: ["integrity", "algorithm"],
      message: `unsupported integrity algorithm ${JSON.stringify(toPlain(algorithm))}`,
    });
  }
  const fields = kind === "passport" ? PASSPORT_HASH_FIELDS : HISTORY_HASH_FIELDS;
  if (fields.some((f) => !tree.has(f))) {
    return result(kind, errors, warnings); // the schema issues already name the missing fields
  }
  const computed = payloadSha256(kind, tree);
  const storedText = typeof stored === "string" ? stored : null;
  if (storedText !== computed) {
    errors.push({
      path: ["integrity", "payload_sha256"],
      message: storedText === null
        ? `integrity.payload_sha256 is missing; computed ${computed}`
        : `payload_sha256 mismatch: stored ${storedText}, computed ${computed}; a field under ` +
          `${fields.join(", ")} (or the stored hash) was changed after hashing`,
    });
  }
  if (errors.length === 0) {
    const rust = rustViewSha256(kind, tree);
    if (rust !== computed) {
      warnings.push({
        path: ["integrity", "payload_sha256"],
        message: `verifies as received, but the memoryOSS Rust runtime re-serialises through its ` +
          `typed struct (unknown fields dropped, numbers/timestamps re-printed) and computes ` +
          `${rust}: it would refuse this artifact`,
      });
    }
  }
  return result(kind, errors, warnings, { integrity: { stored: storedText, computed } });
}

/** The hash the Rust runtime computes: over its typed struct, not the received text. */
function rustViewSha256(kind: HashedKind, tree: JsonObject): string {
  try {
    return payloadSha256(kind, typedTree(kind, tree));
  } catch (e) {
    return `(not computable: ${e instanceof Error ? e.message : String(e)})`;
  }
}

/** `content_hash` is sha256(content); a mismatch pinpoints an edited `content`. */
function contentHashWarnings(tree: JsonObject): VerifyIssue[] {
  const memories = tree.get("memories");
  if (!Array.isArray(memories)) return [];
  const out: VerifyIssue[] = [];
  memories.forEach((m, i) => {
    if (!isJsonObject(m)) return;
    const content = m.get("content");
    const hash = m.get("content_hash");
    if (typeof content !== "string" || typeof hash !== "string" || !content.isWellFormed()) return;
    if (sha256Hex(content) !== hash) {
      out.push({
        path: ["memories", i, "content"],
        message: "content does not match its content_hash (sha256 of the content)",
      });
    }
  });
  return out;
}

function verifyBundle(tree: JsonObject): VerifyResult {
  const errors = schemaIssues(BundleEnvelope, tree);
  const warnings: VerifyIssue[] = [];
  const integrity = tree.get("integrity");
  const stored = isJsonObject(integrity) ? integrity.get("payload_sha256") : undefined;
  const algorithm = isJsonObject(integrity) ? integrity.get("algorithm") : undefined;
  if (algorithm !== undefined && algorithm !== "sha256") {
    errors.push({ path: ["integrity", "algorithm"], message: "unsupported integrity algorithm" });
  }
  let computed: string | undefined;
  try {
    computed = envelopeSha256(tree);
  } catch {
    // Missing envelope fields: the schema issues already name them.
  }
  const storedText = typeof stored === "string" ? stored : null;
  if (computed !== undefined && storedText !== computed) {
    errors.push({
      path: ["integrity", "payload_sha256"],
      message: `envelope hash mismatch: stored ${storedText}, computed ${computed}; a field of ` +
        "the envelope, its signature header or its payload differs",
    });
  }
  const payload = tree.get("payload");
  let nested: VerifyResult | undefined;
  if (payload !== undefined) {
    nested = verifyTree(payload);
    const declared = tree.get("kind");
    if (nested.kind !== "unknown" && nested.kind !== declared) {
      errors.push({
        path: ["kind"],
        message: `envelope kind ${JSON.stringify(toPlain(declared ?? null))} does not match ` +
          `its payload, a ${nested.kind}`,
      });
    }
    for (const i of nested.errors) {
      errors.push({ path: ["payload", ...i.path], message: i.message });
    }
    for (const i of nested.warnings) {
      warnings.push({ path: ["payload", ...i.path], message: i.message });
    }
    if (isJsonObject(payload)) warnings.push(...consistencyWarnings(tree, payload));
  }
  const extra: Partial<VerifyResult> = { nested };
  if (computed !== undefined) extra.integrity = { stored: storedText, computed };
  return result("bundle", errors, warnings, extra);
}

/** Envelope fields that repeat payload fields should agree with them. */
function consistencyWarnings(env: JsonObject, payload: JsonObject): VerifyIssue[] {
  const rc = payload.get("runtime_contract");
  const pairs: [string, JsonValue | undefined][] = [
    ["bundle_id", payload.get("passport_id") ?? payload.get("history_id")],
    ["namespace", payload.get("namespace")],
    ["runtime_contract_id", isJsonObject(rc) ? rc.get("contract_id") : undefined],
  ];
  if (payload.has("scope")) pairs.push(["scope", payload.get("scope")]);
  return pairs
    .filter(([k, v]) => v !== undefined && env.get(k) !== v)
    .map(([k]) => ({ path: [k], message: `envelope ${k} differs from the payload's` }));
}
