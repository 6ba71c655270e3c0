/**
 * The local trust fabric (memoryOSS §5.5): identities, revocations, imported catalogs and
 * pins, and the trust decision for a signed bundle. memoryOSS signs with a shared HMAC
 * secret; our Ed25519 identities also publish a public key, so a catalog lets another
 * machine verify them. Pure: the fabric and keys are passed in.
 *
 * @module
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { checkBundleSignature } from "./bundle.ts";
import { envelopeSha256 } from "./integrity.ts";
import { isJsonObject, type JsonValue, toPlain } from "./json.ts";
import { ED25519_SCHEME, ed25519Verify, UNSIGNED_SCHEME } from "./signature.ts";

/** The identity memoryOSS creates on every runtime; ours signs bundle exports with Ed25519. */
export const LOCAL_IDENTITY = "device:local-runtime";
export const TRUST_FORMAT = "memoryoss.trust.v1";

const IdentityKind = z.enum(["author", "device", "sync_peer"]);
const Source = z.enum(["local", "catalog"]);

/** A registered signer. */
export const TrustIdentity = z.object({
  id: z.string().min(1),
  kind: IdentityKind,
  label: z.string().default(""),
  registered_at: z.string().default(""),
  source: Source.default("local"),
  source_catalog: z.string().nullish(),
  rotated_to: z.string().nullish(),
  /** Ed25519 raw public key (hex); absent for HMAC-only identities. */
  public_key: z.string().regex(/^[0-9a-f]{64}$/i).nullish(),
});

/** A revoked signer. */
export const TrustRevocation = z.object({
  id: z.string().min(1),
  kind: IdentityKind.optional(),
  reason: z.string().default(""),
  revoked_at: z.string().default(""),
  source: Source.default("local"),
  source_catalog: z.string().nullish(),
  replacement_identity: z.string().nullish(),
});

/** `trust.json` under the home. */
export const TrustFabric = z.object({
  format: z.literal(TRUST_FORMAT).default(TRUST_FORMAT),
  identities: z.array(TrustIdentity).default([]),
  revocations: z.array(TrustRevocation).default([]),
  catalogs: z.array(z.object({ catalog_id: z.string() }).loose()).default([]),
  pins: z.array(z.object({ id: z.string(), pinned_at: z.string().default("") })).default([]),
});
export type TrustIdentity = z.infer<typeof TrustIdentity>;
export type TrustRevocation = z.infer<typeof TrustRevocation>;
export type TrustFabric = z.infer<typeof TrustFabric>;

/**
 * An empty fabric.
 *
 * @example
 * ```ts
 * emptyFabric().identities; // []
 * ```
 */
export function emptyFabric(): TrustFabric {
  return { format: TRUST_FORMAT, identities: [], revocations: [], catalogs: [], pins: [] };
}

/**
 * Parses `trust.json` text; INVALID_CONFIG names the file and the bad field.
 *
 * @example
 * ```ts
 * parseTrustFabric('{"identities":[]}', "trust.json").pins; // []
 * ```
 */
export function parseTrustFabric(text: string, source: string): TrustFabric {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MemoryossError("INVALID_CONFIG", `${source}: not JSON: ${(e as Error).message}`);
  }
  const r = TrustFabric.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new MemoryossError(
    "INVALID_CONFIG",
    `${source}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`,
  );
}

/** Trust statuses, in memoryOSS's words plus `unverified` (known signer, no key to check). */
export type TrustStatus =
  | "unsigned"
  | "trusted"
  | "unknown_identity"
  | "revoked"
  | "invalid_signature"
  | "unverified";

/** The trust decision (memoryOSS shape). */
export interface TrustDecision {
  status: TrustStatus;
  verified: boolean;
  reason: string;
  origin: "local_registry" | "imported_catalog" | "local_pin" | "unknown_signer" | "none";
  catalog_id?: string;
  replacement_identity?: string;
  /** The registered identity the decision is about (may differ from the signer name). */
  identity?: string;
  signature?: { scheme: string; signer: string | null; identity_kind: string | null };
}

/** Keys that are not in the fabric (memoryOSS's shared HMAC secret). */
export interface TrustKeys {
  hmacSecret?: string;
}

function signatureOf(envelope: JsonValue): TrustDecision["signature"] | undefined {
  const sig = isJsonObject(envelope) ? envelope.get("signature") : undefined;
  if (!isJsonObject(sig)) return undefined;
  const p = toPlain(sig) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === "string" ? v : null);
  return { scheme: s(p.scheme) ?? "", signer: s(p.signer), identity_kind: s(p.identity_kind) };
}

/**
 * Decides whether a bundle envelope's signer is trusted, in memoryOSS's order: unsigned,
 * unknown identity, kind mismatch, revoked, signature mismatch, trusted. Never throws.
 *
 * @example
 * ```ts
 * (await decideTrust(envelope, fabric)).status; // "trusted"
 * ```
 */
export async function decideTrust(
  envelope: JsonValue,
  fabric: TrustFabric,
  keys: TrustKeys = {},
): Promise<TrustDecision> {
  const signature = signatureOf(envelope);
  if (!signature) {
    return {
      status: "invalid_signature",
      verified: false,
      reason: "no signature block",
      origin: "none",
    };
  }
  if (signature.scheme === UNSIGNED_SCHEME) {
    return {
      status: "unsigned",
      verified: false,
      reason: "bundle is unsigned",
      origin: "none",
      signature,
    };
  }
  const who = signature.signer;
  const byId = who ? fabric.identities.find((i) => i.id === who) : undefined;
  const keyed = signature.scheme === ED25519_SCHEME
    ? await keyHolder(envelope, fabric, byId, signature.identity_kind)
    : { identity: byId, foreign: false };
  const identity = keyed.identity;
  if (!identity || keyed.foreign) {
    return {
      status: "unknown_identity",
      verified: false,
      reason: keyed.foreign
        ? `signed as ${who} by another home's device key, which is not in the trust catalog`
        : `signer ${who ?? "(none)"} is not in the trust catalog`,
      origin: "unknown_signer",
      signature,
    };
  }
  const pinned = fabric.pins.some((p) => p.id === identity.id);
  const origin: TrustDecision["origin"] = pinned
    ? "local_pin"
    : identity.source === "catalog"
    ? "imported_catalog"
    : "local_registry";
  const base = {
    origin,
    identity: identity.id,
    signature,
    ...(identity.source_catalog ? { catalog_id: identity.source_catalog } : {}),
  };
  if (signature.identity_kind !== identity.kind) {
    return {
      ...base,
      status: "invalid_signature",
      verified: false,
      reason: `signer is registered as ${identity.kind}, signature says ${signature.identity_kind}`,
    };
  }
  const revoked = fabric.revocations.find((r) => r.id === identity.id);
  if (revoked) {
    return {
      ...base,
      status: "revoked",
      verified: false,
      reason: `signer ${identity.id} was revoked${revoked.reason ? `: ${revoked.reason}` : ""}`,
      ...(revoked.replacement_identity
        ? { replacement_identity: revoked.replacement_identity }
        : {}),
    };
  }
  const check = await checkBundleSignature(envelope, {
    hmacSecret: keys.hmacSecret,
    ed25519PublicKey: identity.public_key ?? undefined,
  });
  if (check.status === "valid") {
    const reason = identity.id === who
      ? check.reason
      : `signed as ${who} with the key registered for ${identity.id}`;
    return { ...base, status: "trusted", verified: true, reason };
  }
  if (check.status === "no_key") {
    return { ...base, status: "unverified", verified: false, reason: check.reason };
  }
  return { ...base, status: "invalid_signature", verified: false, reason: check.reason };
}

/**
 * Which registered identity holds the key behind an Ed25519 signature. Every memoryoss home
 * signs as `device:local-runtime`, so the signer name alone cannot tell homes apart: when the
 * identity of that name does not verify, identities whose public key does are looked up
 * (`trust add`). `foreign` marks a consistent envelope signed as our local identity with
 * another home's key (an unknown signer, not a forgery of ours).
 */
async function keyHolder(
  envelope: JsonValue,
  fabric: TrustFabric,
  byId: TrustIdentity | undefined,
  kind: string | null,
): Promise<{ identity: TrustIdentity | undefined; foreign: boolean }> {
  const sig = isJsonObject(envelope) ? envelope.get("signature") : undefined;
  if (!isJsonObject(sig)) return { identity: byId, foreign: false };
  const [identity, signedAt, value] = ["signer", "signed_at", "value"].map((k) => sig.get(k));
  if (typeof identity !== "string" || typeof signedAt !== "string" || typeof value !== "string") {
    return { identity: byId, foreign: false };
  }
  let subject: string;
  try {
    subject = envelopeSha256(envelope);
  } catch {
    return { identity: byId, foreign: false };
  }
  const fields = { identity, kind: kind ?? "", signedAt, subject };
  const holds = (i: TrustIdentity) => ed25519Verify(i.public_key!, fields, value);
  if (byId && (!byId.public_key || await holds(byId))) return { identity: byId, foreign: false };
  const matches: TrustIdentity[] = [];
  for (const i of fabric.identities) {
    if (i !== byId && i.public_key && i.kind === kind && await holds(i)) matches.push(i);
  }
  const revoked = new Set(fabric.revocations.map((r) => r.id));
  const pinned = new Set(fabric.pins.map((p) => p.id));
  const found = matches.find((i) => revoked.has(i.id)) ?? matches.find((i) => pinned.has(i.id)) ??
    matches[0];
  if (found) return { identity: found, foreign: false };
  const integrity = isJsonObject(envelope) ? envelope.get("integrity") : undefined;
  const consistent = isJsonObject(integrity) && integrity.get("payload_sha256") === subject;
  const foreign = consistent && byId?.id === LOCAL_IDENTITY && byId.source === "local";
  return { identity: byId, foreign };
}
