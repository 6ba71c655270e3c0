/**
 * The local trust fabric (memoryOSS §5.5): identities, revocations, imported catalogs and
 * pins, and the decision about a bundle's signature. It gives two separate answers:
 *
 * 1. Is the signature valid for the key it names? Ed25519 envelopes carry their public key
 *    (`signature.public_key`) and sign as `<kind>:<fingerprint of that key>`; a name that does
 *    not bind the key, or a value that does not verify under it, is `invalid_signature`.
 * 2. Do we trust that key? Matched by public key (never by signer name) against the catalog
 *    and the home's own key: `trusted`, `revoked` or `unknown_identity`.
 *
 * memoryOSS's HMAC (a shared secret) and unsigned artifacts are labelled as such and are never
 * `trusted`. Pure: the fabric and keys are passed in.
 *
 * @module
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { envelopeSha256 } from "./integrity.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "./json.ts";
import {
  ED25519_SCHEME,
  ed25519Verify,
  HMAC_SCHEME,
  hmacVerify,
  keyFingerprint,
  type SignatureFields,
  signerName,
  UNSIGNED_SCHEME,
} from "./signature.ts";
import { detectKind } from "./verify.ts";

/**
 * The one name every home signed as before identities named their key. Bundles signed as it
 * carry no public key and verify only against keys in the catalog.
 */
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

/** Trust statuses: memoryOSS's words plus `hmac_verified` and `unverified` (shared secret). */
export type TrustStatus =
  | "trusted"
  | "unknown_identity"
  | "revoked"
  | "invalid_signature"
  | "hmac_verified"
  | "unverified"
  | "unsigned";

/** The decision about an artifact's signature (memoryOSS shape plus the two answers). */
export interface TrustDecision {
  status: TrustStatus;
  /**
   * Answer 1: the signature verifies for the key it names (Ed25519) or under the shared secret
   * (HMAC); null when there is nothing to check (unsigned) or no secret to check it with.
   */
  signature_valid: boolean | null;
  /** Answer 2: the key is trusted here (catalog or own key, not revoked). Ed25519 only. */
  trusted: boolean;
  /** memoryOSS's name for `trusted`. */
  verified: boolean;
  reason: string;
  origin:
    | "local_registry"
    | "imported_catalog"
    | "local_pin"
    | "own_key"
    | "shared_secret"
    | "unknown_signer"
    | "none";
  catalog_id?: string;
  replacement_identity?: string;
  /** The registered identity holding the key (may differ from the signer name). */
  identity?: string;
  /** The Ed25519 key the signature verified under (hex), and its fingerprint. */
  public_key?: string;
  fingerprint?: string;
  signature?: { scheme: string; signer: string | null; identity_kind: string | null };
}

/** Keys that are not in the fabric. */
export interface TrustKeys {
  /** memoryOSS's shared HMAC secret (`MEMORYOSS_AUDIT_HMAC_SECRET`). */
  hmacSecret?: string;
  /** This home's own Ed25519 public key (hex): trusted without a catalog entry. */
  ownPublicKey?: string;
}

/** Every "does not verify" reason starts with this. */
export const SIGNATURE_FAILURE = "signature does not verify";

type Header = NonNullable<TrustDecision["signature"]>;

const plain = (
  status: TrustStatus,
  reason: string,
  extra: Partial<TrustDecision> = {},
): TrustDecision => ({
  status,
  signature_valid: null,
  trusted: false,
  verified: false,
  reason,
  origin: "none",
  ...extra,
});

const invalid = (why: string, signature?: Header): TrustDecision =>
  plain("invalid_signature", `${SIGNATURE_FAILURE}: ${why}`, {
    signature_valid: false,
    ...(signature ? { signature } : {}),
  });

function headerOf(sig: JsonObject): Header {
  const s = (k: string) => {
    const v = sig.get(k);
    return typeof v === "string" ? v : null;
  };
  return { scheme: s("scheme") ?? "", signer: s("signer"), identity_kind: s("identity_kind") };
}

/**
 * Decides about the signature of an artifact: a bundle envelope, or a bare passport or history
 * (always `unsigned`). Never throws; every rejection's reason says why.
 *
 * @example
 * ```ts
 * const d = await decideTrust(envelope, fabric, { ownPublicKey });
 * d.signature_valid; // true
 * d.status; // "trusted" or "unknown_identity"
 * ```
 */
export async function decideTrust(
  artifact: JsonValue,
  fabric: TrustFabric,
  keys: TrustKeys = {},
): Promise<TrustDecision> {
  const kind = detectKind(artifact);
  if (kind === "passport" || kind === "history") {
    return plain("unsigned", `a bare ${kind} carries no signature`);
  }
  const sig = isJsonObject(artifact) ? artifact.get("signature") : undefined;
  if (!isJsonObject(sig)) return invalid("no signature block");
  const header = headerOf(sig);
  if (sig.get("scheme") === UNSIGNED_SCHEME) {
    return plain("unsigned", "the bundle is unsigned", { signature: header });
  }
  const fields = signedFields(artifact, sig);
  if (typeof fields === "string") return invalid(fields, header);
  const value = sig.get("value");
  if (typeof value !== "string") return invalid("the signature value is missing", header);
  if (header.scheme === HMAC_SCHEME) return hmacDecision(fields, value, header, fabric, keys);
  if (header.scheme !== ED25519_SCHEME) {
    return invalid(`unknown signature scheme ${JSON.stringify(header.scheme)}`, header);
  }
  const embedded = sig.get("public_key");
  if (embedded === undefined) return await legacyDecision(fields, value, header, fabric, keys);
  if (typeof embedded !== "string" || !/^[0-9a-f]{64}$/.test(embedded)) {
    return invalid("signature.public_key is not a 32-byte key in lowercase hex", header);
  }
  const named = signerName(embedded, fields.kind);
  if (fields.identity !== named) {
    return invalid(
      `signer ${fields.identity} does not name the key it carries (that key signs as ${named})`,
      header,
    );
  }
  if (!await ed25519Verify(embedded, fields, value)) {
    return invalid(`the value does not match this bundle under the key it carries`, header);
  }
  return keyDecision(embedded, fields.kind, header, fabric, keys);
}

/** The signed fields, or why they cannot be read (the subject is the recomputed hash). */
function signedFields(envelope: JsonValue, sig: JsonObject): SignatureFields | string {
  const [identity, kind, signedAt] = ["signer", "identity_kind", "signed_at"].map((k) =>
    sig.get(k)
  );
  if (typeof identity !== "string" || typeof kind !== "string" || typeof signedAt !== "string") {
    return "signer, identity_kind or signed_at is missing";
  }
  try {
    return { identity, kind, signedAt, subject: envelopeSha256(envelope) };
  } catch (e) {
    return `the envelope cannot be hashed: ${(e as Error).message}`;
  }
}

/** A bundle signed before envelopes carried their key: only catalog keys can verify it. */
async function legacyDecision(
  fields: SignatureFields,
  value: string,
  header: Header,
  fabric: TrustFabric,
  keys: TrustKeys,
): Promise<TrustDecision> {
  const candidates = new Set(
    fabric.identities.flatMap((i) => (i.public_key ? [i.public_key.toLowerCase()] : [])),
  );
  if (keys.ownPublicKey) candidates.add(keys.ownPublicKey);
  for (const key of candidates) {
    if (await ed25519Verify(key, fields, value)) {
      return keyDecision(key, fields.kind, header, fabric, keys);
    }
  }
  return invalid(
    `the bundle carries no public key (signed as ${fields.identity} by an older memoryoss) ` +
      "and no key in the trust catalog verifies it",
    header,
  );
}

/** Answer 2 for a signature that verified under `key`: matched by key, never by name. */
export function keyDecision(
  key: string,
  kind: string,
  signature: Header,
  fabric: TrustFabric,
  keys: TrustKeys,
): TrustDecision {
  const fingerprint = keyFingerprint(key);
  const base = { signature_valid: true, public_key: key, fingerprint, signature };
  const holders = fabric.identities.filter((i) => i.public_key?.toLowerCase() === key);
  for (const h of holders) {
    const r = fabric.revocations.find((x) => x.id === h.id);
    if (!r) continue;
    return plain("revoked", `the key was revoked as ${h.id}${r.reason ? `: ${r.reason}` : ""}`, {
      ...base,
      ...originOf(h, fabric),
      ...(r.replacement_identity ? { replacement_identity: r.replacement_identity } : {}),
    });
  }
  const own = keys.ownPublicKey === key;
  const pinned = (i: TrustIdentity) => fabric.pins.some((p) => p.id === i.id);
  const holder = holders.find(pinned) ?? holders.find((i) => i.kind === kind) ?? holders[0];
  if (!holder && !own) {
    return plain(
      "unknown_identity",
      `key ${fingerprint} is not in the trust catalog ('memoryoss trust add NAME --public-key ` +
        "KEY' trusts it)",
      { ...base, origin: "unknown_signer" },
    );
  }
  if (holder && holder.kind !== kind && !own) {
    return plain(
      "unknown_identity",
      `the key is registered as ${holder.id} (${holder.kind}), but the signature claims ${kind}`,
      { ...base, ...originOf(holder, fabric), origin: "unknown_signer" },
    );
  }
  const reason = holder ? `the key is registered as ${holder.id}` : "the key is this home's own";
  return {
    ...plain("trusted", reason, base),
    trusted: true,
    verified: true,
    ...(holder ? originOf(holder, fabric) : { origin: "own_key" as const }),
  };
}

function originOf(i: TrustIdentity, fabric: TrustFabric): Partial<TrustDecision> {
  const origin: TrustDecision["origin"] = fabric.pins.some((p) => p.id === i.id)
    ? "local_pin"
    : i.source === "catalog"
    ? "imported_catalog"
    : "local_registry";
  return { origin, identity: i.id, ...(i.source_catalog ? { catalog_id: i.source_catalog } : {}) };
}

/** memoryOSS's HMAC: a shared secret proves only that someone holding it signed. */
function hmacDecision(
  fields: SignatureFields,
  value: string,
  signature: Header,
  fabric: TrustFabric,
  keys: TrustKeys,
): TrustDecision {
  const revoked = fabric.revocations.find((r) => r.id === fields.identity);
  const base = { signature, origin: "shared_secret" as const };
  if (keys.hmacSecret && !hmacVerify(keys.hmacSecret, fields, value)) {
    return invalid("the HMAC does not match under MEMORYOSS_AUDIT_HMAC_SECRET", signature);
  }
  if (revoked) {
    return plain(
      "revoked",
      `signer ${fields.identity} was revoked${revoked.reason ? `: ${revoked.reason}` : ""}`,
      { ...base, signature_valid: keys.hmacSecret ? true : null, identity: fields.identity },
    );
  }
  if (!keys.hmacSecret) {
    return plain(
      "unverified",
      "HMAC (shared secret) not checked: MEMORYOSS_AUDIT_HMAC_SECRET is not set",
      base,
    );
  }
  return plain(
    "hmac_verified",
    "the HMAC matches under the shared secret; anyone holding the secret can make one, so it " +
      "is not a trust statement",
    { ...base, signature_valid: true },
  );
}
