/**
 * Bundle export against an open runtime and the validation report, shared by
 * `memoryoss bundle`, the HTTP routes (`/v1/bundle/*`, `/v1/passport/*`) and the MCP tools;
 * plus the zod inputs of those operations.
 *
 * @module
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import type { Runtime } from "../memory/mod.ts";
import { buildBundle, signBundle } from "./bundle.ts";
import { prettyJson } from "./canonical.ts";
import type { JsonObject, JsonValue } from "./json.ts";
import { PASSPORT_SCOPES, type PassportScope } from "./passport.ts";
import { exportPassport } from "./passport_ops.ts";
import { exportHistory } from "./history_ops.ts";
import type { ReaderDocument } from "./reader.ts";
import { ED25519_SCHEME, HMAC_SCHEME } from "./signature.ts";
import { LOCAL_IDENTITY } from "./trust.ts";
import { deviceSigner } from "./trust_store.ts";

const Namespace = z.string().min(1).max(128).optional();
const Scope = z.enum(PASSPORT_SCOPES);

/** `passport export` input (HTTP body, MCP arguments). */
export const PassportExportInput = z.strictObject({
  namespace: Namespace.describe("namespace to export (default: the caller's default)"),
  scope: Scope.optional().describe("all | personal | project (default) | team"),
});

/** `bundle export` input. */
export const BundleExportInput = z.strictObject({
  kind: z.enum(["passport", "history"]).default("passport"),
  namespace: Namespace,
  scope: Scope.optional(),
  id: z.string().min(1).optional().describe("history root memory id (kind history)"),
  sign: z.enum(["ed25519", "hmac", "none"]).default("ed25519"),
});
export type BundleExportInput = z.infer<typeof BundleExportInput>;

/** Options for {@link exportBundle}. */
export interface ExportBundleOptions {
  kind: "passport" | "history";
  namespace?: string;
  scope?: PassportScope;
  /** History root (kind history). */
  id?: string;
  /** ed25519 signs with the home's device key; hmac with `hmacSecret` (memoryOSS). */
  sign: "ed25519" | "hmac" | "none";
  hmacSecret?: string;
}

/**
 * A passport or history of `rt` wrapped in a bundle envelope, signed as
 * `device:local-runtime` (Ed25519 key in the home, created on first use) unless `sign` is
 * `none`.
 *
 * @example
 * ```ts
 * const env = await exportBundle(rt, { kind: "passport", namespace: "proj", sign: "ed25519" });
 * ```
 */
export async function exportBundle(rt: Runtime, o: ExportBundleOptions): Promise<JsonObject> {
  if (o.kind === "history" && !o.id) {
    throw new MemoryossError("INVALID_INPUT", "a history bundle needs the root memory id", ["id"]);
  }
  const secret = o.hmacSecret ?? "";
  if (o.sign === "hmac" && secret.length < 32) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      "hmac signing needs MEMORYOSS_AUDIT_HMAC_SECRET (at least 32 characters)",
    );
  }
  const payload = o.kind === "passport"
    ? exportPassport(rt, { namespace: o.namespace, scope: o.scope ?? "project" })
    : exportHistory(rt, o.id!, o.namespace);
  const env = buildBundle(payload, { signable: o.sign !== "none" });
  if (o.sign === "none") return env;
  const signer = o.sign === "hmac" ? { scheme: HMAC_SCHEME, secret } as const : {
    scheme: ED25519_SCHEME,
    privateKey: (await deviceSigner(rt.loaded.home, rt.now())).privateKey,
  } as const;
  return await signBundle(env, {
    identity: LOCAL_IDENTITY,
    identityKind: "device",
    signer,
    signedAt: rt.now(),
  });
}

/**
 * An artifact as memoryoss writes it everywhere (CLI files, HTTP and MCP bodies): two-space
 * pretty JSON with the received key order and number lexemes, and one newline.
 *
 * @example
 * ```ts
 * artifactText(exportPassport(rt, {})).endsWith("}\n"); // true
 * ```
 */
export function artifactText(tree: JsonValue): string {
  return prettyJson(tree) + "\n";
}

/** What `bundle validate --json` prints (without `file`) and `POST /v1/bundle/validate` answers. */
export interface ValidationReport {
  kind: string;
  /** Parses, matches its schema and its integrity hashes. */
  valid: boolean;
  /** Valid and the signer neither revoked nor invalid (with `requireTrusted`: trusted). */
  accepted: boolean;
  integrity: ReaderDocument["integrity"];
  nested_integrity_valid: boolean;
  errors: ReaderDocument["errors"];
  warnings: ReaderDocument["warnings"];
  trust: ReaderDocument["trust"];
}

/**
 * The validation report of an opened artifact; `accepted` is false when integrity fails, the
 * signer is revoked or its signature invalid (or, with `requireTrusted`, not trusted).
 *
 * @example
 * ```ts
 * validationReport(await openArtifact("b.json", bytes, trust)).accepted;
 * ```
 */
export function validationReport(doc: ReaderDocument, requireTrusted = false): ValidationReport {
  const status = doc.trust?.status;
  const rejected = !doc.ok || status === "revoked" || status === "invalid_signature" ||
    (requireTrusted && status !== "trusted");
  return {
    kind: doc.kind,
    valid: doc.ok,
    accepted: !rejected,
    integrity: doc.integrity,
    nested_integrity_valid: doc.preview?.nested_integrity_valid ?? false,
    errors: doc.errors,
    warnings: doc.warnings,
    trust: doc.trust,
  };
}
