/**
 * Bundle envelopes (`memoryoss.bundle.v1alpha1`): building one around a passport or history,
 * signing it (memoryOSS HMAC or our Ed25519) and checking its signature value. Trust decisions
 * (registry, revocation, pins) sit above this and pass in the key to use.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { bundleReference, envelopeSha256, type HashedKind } from "./integrity.ts";
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from "./json.ts";
import { chronoJsonTimestamp } from "./rust_format.ts";
import { BUNDLE_VERSION } from "./schemas.ts";
import {
  ED25519_SCHEME,
  ed25519Sign,
  ed25519Verify,
  HMAC_SCHEME,
  hmacSign,
  hmacVerify,
  type SignatureFields,
  signerName,
  UNSIGNED_SCHEME,
} from "./signature.ts";
import { detectKind, verify } from "./verify.ts";

/** Options for {@link buildBundle}. */
export interface BuildBundleOptions {
  /** Envelope `exported_at`; defaults to the payload's `exported_at`. */
  exportedAt?: Date | string;
  /** `signature.signable`: whether a signing identity is available (default false). */
  signable?: boolean;
}

/**
 * Wraps a verified passport or history tree in an unsigned envelope, fields in spec order.
 *
 * @example
 * ```ts
 * const env = buildBundle(parseJson(passportText));
 * verify(env).ok; // true
 * ```
 */
export function buildBundle(payload: JsonValue, options: BuildBundleOptions = {}): JsonObject {
  const check = verify(payload);
  const kind = detectKind(payload);
  if (!check.ok || (kind !== "passport" && kind !== "history") || !isJsonObject(payload)) {
    const first = check.errors[0];
    throw new MemoryossError(
      "INTEGRITY",
      `payload must be a valid passport or history${first ? `: ${first.message}` : ""}`,
      first?.path ?? [],
    );
  }
  const id = payload.get(kind === "passport" ? "passport_id" : "history_id") as string;
  const namespace = payload.get("namespace") as string;
  const scope = kind === "passport" ? payload.get("scope") as string : null;
  const rc = payload.get("runtime_contract") as JsonObject;
  const ref = bundleReference(kind as HashedKind, id, namespace, scope);
  const env: JsonObject = new Map<string, JsonValue>([
    ["bundle_version", BUNDLE_VERSION],
    ["bundle_id", id],
    ["kind", kind],
    ["namespace", namespace],
  ]);
  if (scope !== null) env.set("scope", scope);
  env.set("runtime_contract_id", rc.get("contract_id") as string);
  env.set(
    "exported_at",
    options.exportedAt === undefined
      ? payload.get("exported_at") as string
      : chronoJsonTimestamp(options.exportedAt),
  );
  env.set("reference", new Map([["uri", ref.uri], ["attachment_name", ref.attachment_name]]));
  env.set("integrity", new Map([["algorithm", "sha256"], ["payload_sha256", ""]]));
  env.set(
    "signature",
    new Map<string, JsonValue>([["scheme", UNSIGNED_SCHEME], [
      "signable",
      options.signable ?? false,
    ]]),
  );
  env.set("payload", cloneJson(payload));
  (env.get("integrity") as JsonObject).set("payload_sha256", envelopeSha256(env));
  return env;
}

/** How to sign: memoryOSS's shared-secret HMAC, or our Ed25519 private key. */
export type BundleSigner =
  | { scheme: typeof HMAC_SCHEME; secret: string | Uint8Array }
  | { scheme: typeof ED25519_SCHEME; privateKey: CryptoKey };

/** Options for {@link signBundle}. */
export interface SignBundleOptions {
  /** The signer name; with an Ed25519 `publicKey`, `<kind>:<fingerprint>` ({@link signerName}). */
  identity: string;
  identityKind: "author" | "device" | "sync_peer";
  signer: BundleSigner;
  /** Defaults to now; written as chrono serialises a `DateTime<Utc>` (`Z`). */
  signedAt?: Date | string;
  /**
   * Ed25519 only: the raw public key (hex) written as `signature.public_key`, so any verifier
   * can check the value without a catalog (an additive field outside the envelope hash; the
   * signer name binds it).
   */
  publicKey?: string;
}

/**
 * Signs an envelope as memoryOSS does: set the signature header and append to the chain with
 * `value` null, take the envelope hash as subject, sign, and store that hash as integrity
 * (unchanged by `value`/`chain`/`public_key`, which the hash excludes). Refuses an envelope that
 * fails {@link verify}, and an Ed25519 `publicKey` the signer name does not bind.
 *
 * @example
 * ```ts
 * const signed = await signBundle(env, {
 *   identity: signerName(publicKeyHex), identityKind: "device", publicKey: publicKeyHex,
 *   signer: { scheme: ED25519_SCHEME, privateKey },
 * });
 * ```
 */
export async function signBundle(envelope: JsonValue, o: SignBundleOptions): Promise<JsonObject> {
  const check = verify(envelope);
  if (!check.ok || check.kind !== "bundle" || !isJsonObject(envelope)) {
    const first = check.errors[0];
    throw new MemoryossError(
      "INTEGRITY",
      `refusing to sign an invalid bundle${first ? `: ${first.message}` : ""}`,
      first?.path ?? [],
    );
  }
  const embed = o.signer.scheme === ED25519_SCHEME && o.publicKey !== undefined;
  if (embed && o.identity !== signerName(o.publicKey!, o.identityKind)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `an Ed25519 key with an embedded public key signs as ${
        signerName(o.publicKey!, o.identityKind)
      }, not ${o.identity}`,
      ["identity"],
    );
  }
  const env = cloneJson(envelope);
  const prev = env.get("signature") as JsonObject;
  const signedAt = chronoJsonTimestamp(o.signedAt ?? new Date());
  const chain = Array.isArray(prev.get("chain")) ? [...prev.get("chain") as JsonValue[]] : [];
  chain.push(
    new Map<string, JsonValue>([
      ["identity", o.identity],
      ["kind", o.identityKind],
      ["action", "sign"],
      ["at", signedAt],
    ]),
  );
  const sig = new Map<string, JsonValue>([
    ["scheme", o.signer.scheme],
    ["signer", o.identity],
    ["signable", true],
    ["identity_kind", o.identityKind],
    ["signed_at", signedAt],
    ...(embed ? [["public_key", o.publicKey!] as [string, JsonValue]] : []),
    ["value", null],
    ["chain", chain],
  ]);
  env.set("signature", sig);
  const subject = envelopeSha256(env);
  const fields: SignatureFields = { identity: o.identity, kind: o.identityKind, signedAt, subject };
  sig.set(
    "value",
    o.signer.scheme === HMAC_SCHEME
      ? hmacSign(o.signer.secret, fields)
      : await ed25519Sign(o.signer.privateKey, fields),
  );
  env.set("integrity", new Map([["algorithm", "sha256"], ["payload_sha256", subject]]));
  return env;
}

/** Keys a caller trusts for the envelope's signer (looked up in its registry). */
export interface SignatureKeys {
  hmacSecret?: string | Uint8Array;
  /** CryptoKey or raw public key hex. */
  ed25519PublicKey?: CryptoKey | string;
}

/** Outcome of {@link checkBundleSignature}. */
export interface SignatureCheck {
  status: "unsigned" | "valid" | "invalid_signature" | "no_key" | "unsupported_scheme";
  reason: string;
  identity?: string;
  identityKind?: string;
}

/**
 * Checks the signature value of an envelope against the recomputed envelope hash. Trust
 * (unknown, revoked, pinned identities) is decided by the caller's registry; this only
 * answers whether the value matches. Never throws.
 *
 * @example
 * ```ts
 * (await checkBundleSignature(signed, { hmacSecret: secret })).status; // "valid"
 * ```
 */
export async function checkBundleSignature(
  envelope: JsonValue,
  keys: SignatureKeys,
): Promise<SignatureCheck> {
  const sig = isJsonObject(envelope) ? envelope.get("signature") : undefined;
  if (!isJsonObject(sig)) return { status: "invalid_signature", reason: "no signature block" };
  const scheme = sig.get("scheme");
  if (scheme === UNSIGNED_SCHEME) return { status: "unsigned", reason: "bundle is unsigned" };
  if (scheme !== HMAC_SCHEME && scheme !== ED25519_SCHEME) {
    const shown = typeof scheme === "string" ? scheme : "(not a string)";
    return { status: "unsupported_scheme", reason: `unknown scheme ${shown}` };
  }
  const identity = sig.get("signer");
  const kind = sig.get("identity_kind");
  const signedAt = sig.get("signed_at");
  const value = sig.get("value");
  if (typeof identity !== "string" || typeof kind !== "string" || typeof signedAt !== "string") {
    return { status: "invalid_signature", reason: "signer, identity_kind or signed_at missing" };
  }
  const who = { identity, identityKind: kind };
  if (typeof value !== "string") {
    return { status: "invalid_signature", reason: "signature value missing", ...who };
  }
  const key = scheme === HMAC_SCHEME ? keys.hmacSecret : keys.ed25519PublicKey;
  if (key === undefined) {
    return { status: "no_key", reason: `no key for ${scheme}`, ...who };
  }
  let subject: string;
  try {
    subject = envelopeSha256(envelope);
  } catch (e) {
    return { status: "invalid_signature", reason: (e as Error).message, ...who };
  }
  const fields: SignatureFields = { identity, kind, signedAt, subject };
  const good = scheme === HMAC_SCHEME
    ? hmacVerify(keys.hmacSecret!, fields, value)
    : await ed25519Verify(keys.ed25519PublicKey!, fields, value);
  return good
    ? { status: "valid", reason: "signature matches the envelope hash", ...who }
    : { status: "invalid_signature", reason: "signature does not match the envelope", ...who };
}
