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
import { isJsonObject, type JsonValue, toPlain } from "./json.ts";
import { UNSIGNED_SCHEME } from "./signature.ts";

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
  const identity = who ? fabric.identities.find((i) => i.id === who) : undefined;
  if (!identity) {
    return {
      status: "unknown_identity",
      verified: false,
      reason: `signer ${who ?? "(none)"} is not in the trust catalog`,
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
    return { ...base, status: "trusted", verified: true, reason: check.reason };
  }
  if (check.status === "no_key") {
    return { ...base, status: "unverified", verified: false, reason: check.reason };
  }
  return { ...base, status: "invalid_signature", verified: false, reason: check.reason };
}
