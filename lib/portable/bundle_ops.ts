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
import { admission, type Verdict } from "./admission.ts";
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
 * A passport or history of `rt` wrapped in a bundle envelope, signed with the home's Ed25519
 * key (created on first use) as `device:<fingerprint>` with the public key embedded, or with
 * memoryOSS's HMAC (signer `device:local-runtime`, as memoryOSS names itself), unless `sign` is
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
  if (o.sign === "hmac") {
    return await signBundle(env, {
      identity: LOCAL_IDENTITY,
      identityKind: "device",
      signer: { scheme: HMAC_SCHEME, secret },
      signedAt: rt.now(),
    });
  }
  const device = await deviceSigner(rt.loaded.home, rt.now());
  return await signBundle(env, {
    identity: device.identity,
    identityKind: "device",
    signer: { scheme: ED25519_SCHEME, privateKey: device.privateKey },
    publicKey: device.publicKeyHex,
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
  /** The verdict allows it: exit 0 (see {@link admission}). */
  accepted: boolean;
  verdict: Verdict;
  exit_code: 0 | 3 | 5;
  /** One line saying why. */
  message: string;
  /** Answer 1: the signature verifies for the key it names (null: nothing was checked). */
  signature_valid: boolean | null;
  /** Answer 2: the key is trusted here. */
  trusted: boolean;
  integrity: ReaderDocument["integrity"];
  nested_integrity_valid: boolean;
  errors: ReaderDocument["errors"];
  warnings: ReaderDocument["warnings"];
  trust: ReaderDocument["trust"];
}

/**
 * The validation report of an opened artifact, from {@link admission}: accepted when intact and
 * its signature verifies or it is unsigned (with `requireTrusted`: only when trusted).
 *
 * @example
 * ```ts
 * validationReport(await openArtifact("b.json", bytes, trust)).exit_code; // 0
 * ```
 */
export function validationReport(doc: ReaderDocument, requireTrusted = false): ValidationReport {
  const a = admission(doc, { requireTrusted });
  return {
    kind: doc.kind,
    valid: doc.ok,
    accepted: a.exit_code === 0,
    verdict: a.verdict,
    exit_code: a.exit_code,
    message: a.message,
    signature_valid: doc.trust?.signature_valid ?? null,
    trusted: doc.trust?.trusted ?? false,
    integrity: doc.integrity,
    nested_integrity_valid: doc.preview?.nested_integrity_valid ?? false,
    errors: doc.errors,
    warnings: doc.warnings,
    trust: doc.trust,
  };
}
