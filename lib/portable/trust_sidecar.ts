/**
 * Sidecar signatures (memoryOSS `/v1/admin/trust/sign|verify`): a signature kept beside a
 * passport, a history or a sync-peer descriptor instead of inside an envelope. The subject is
 * memoryOSS's (`"<kind>:" + sha256 of the typed struct`, after the artifact verifies); the
 * signature is ours: Ed25519 with the home's device key (`memoryoss.ed25519.v1`), carrying the
 * public key so anyone can check it, and trusted here only when the key is in the catalog.
 *
 * Sidecar: `{scheme, identity, kind, signed_at, subject, public_key, value, chain}`.
 *
 * @module
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import type { JsonValue } from "./json.ts";
import { syncPeerSubject, trustSubject } from "./normalize.ts";
import { ED25519_SCHEME, ed25519Sign, ed25519Verify, signerName } from "./signature.ts";
import {
  keyDecision,
  SIGNATURE_FAILURE,
  type TrustDecision,
  type TrustFabric,
  type TrustKeys,
} from "./trust.ts";
import { deviceSigner } from "./trust_store.ts";

/** What can be signed beside the artifact. */
export const SIDECAR_KINDS = ["passport", "history", "sync_peer"] as const;
export type SidecarKind = typeof SIDECAR_KINDS[number];

const SyncPeer = z.strictObject({
  peer_id: z.string().min(1),
  namespace: z.string().min(1),
  endpoint: z.string().min(1),
  device_label: z.string().nullable().default(null),
});

/** A sidecar signature. */
export const Sidecar = z.object({
  scheme: z.string(),
  identity: z.string(),
  kind: z.string(),
  signed_at: z.string(),
  subject: z.string().optional(),
  public_key: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  value: z.string(),
  chain: z.array(z.unknown()).optional(),
});
export type Sidecar = z.infer<typeof Sidecar>;

/**
 * The subject of `artifact` as `kind` (INTEGRITY when a passport or history does not verify).
 *
 * @example
 * ```ts
 * sidecarSubject("passport", passportTree); // "passport:<64 hex>"
 * ```
 */
export function sidecarSubject(kind: SidecarKind, artifact: JsonValue | unknown): string {
  if (kind !== "sync_peer") return trustSubject(kind, artifact as JsonValue);
  const r = SyncPeer.safeParse(artifact);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new MemoryossError("INVALID_INPUT", `artifact.${i.path.join(".")}: ${i.message}`, [
      "artifact",
      ...i.path.map(String),
    ]);
  }
  return syncPeerSubject(r.data);
}

/**
 * Signs `artifact` with the device key of `home`. `identity`, when given, must be this home's
 * (the only private key it holds); a revoked device identity cannot sign (FORBIDDEN).
 *
 * @example
 * ```ts
 * const sidecar = await signSidecar(home, fabric, { kind: "passport", artifact }, new Date());
 * ```
 */
export async function signSidecar(
  home: string,
  fabric: TrustFabric,
  o: { kind: SidecarKind; artifact: unknown; identity?: string },
  now: Date,
): Promise<Sidecar> {
  const subject = sidecarSubject(o.kind, o.artifact);
  const signer = await deviceSigner(home, now);
  if (o.identity !== undefined && o.identity !== signer.identity) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `this home signs only as ${signer.identity} (it holds no key for '${o.identity}')`,
      ["identity"],
    );
  }
  const revoked = fabric.revocations.find((r) =>
    r.id === signer.identity ||
    fabric.identities.some((i) => i.id === r.id && i.public_key === signer.publicKeyHex)
  );
  if (revoked) {
    throw new MemoryossError("FORBIDDEN", `the signing identity is revoked (${revoked.id})`);
  }
  const signedAt = now.toISOString();
  const fields = { identity: signer.identity, kind: "device", signedAt, subject };
  return {
    scheme: ED25519_SCHEME,
    identity: signer.identity,
    kind: "device",
    signed_at: signedAt,
    subject,
    public_key: signer.publicKeyHex,
    value: await ed25519Sign(signer.privateKey, fields),
    chain: [{ identity: signer.identity, kind: "device", action: "sign", at: signedAt }],
  };
}

const decision = (
  status: TrustDecision["status"],
  reason: string,
  valid: boolean | null,
): TrustDecision => ({
  status,
  signature_valid: valid,
  trusted: false,
  verified: false,
  reason,
  origin: status === "unknown_identity" ? "unknown_signer" : "none",
});

/**
 * The trust decision for a sidecar over `artifact` (memoryOSS's verify order: unsigned,
 * unknown identity, kind mismatch or bad value → invalid, revoked, trusted). Never throws for a
 * bad signature; INTEGRITY/INVALID_INPUT for an artifact that does not verify or parse.
 *
 * @example
 * ```ts
 * (await verifySidecar(fabric, keys, { kind: "passport", artifact, signature })).status;
 * ```
 */
export async function verifySidecar(
  fabric: TrustFabric,
  keys: TrustKeys,
  o: { kind: SidecarKind; artifact: unknown; signature?: unknown },
): Promise<TrustDecision> {
  const subject = sidecarSubject(o.kind, o.artifact);
  if (o.signature === undefined || o.signature === null) {
    return decision("unsigned", "no signature given", null);
  }
  const parsed = Sidecar.safeParse(o.signature);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new MemoryossError("INVALID_INPUT", `signature.${i.path.join(".")}: ${i.message}`, [
      "signature",
      ...i.path.map(String),
    ]);
  }
  const sig = parsed.data;
  const bad = (why: string) => decision("invalid_signature", `${SIGNATURE_FAILURE}: ${why}`, false);
  if (sig.scheme !== ED25519_SCHEME) return bad(`unsupported scheme ${JSON.stringify(sig.scheme)}`);
  if (sig.subject !== undefined && sig.subject !== subject) {
    return bad(`it signs ${sig.subject.split(":")[0]}, not this ${o.kind}`);
  }
  const key = sig.public_key ?? fabric.identities.find((i) => i.id === sig.identity)?.public_key;
  if (!key) return decision("unknown_identity", `no key known for ${sig.identity}`, null);
  if (sig.public_key && signerName(key, sig.kind) !== sig.identity) {
    return bad(`signer ${sig.identity} does not name the key it carries`);
  }
  const fields = { identity: sig.identity, kind: sig.kind, signedAt: sig.signed_at, subject };
  if (!await ed25519Verify(key, fields, sig.value)) {
    return bad(`the value does not match this ${o.kind} under the signer's key`);
  }
  const header = { scheme: sig.scheme, signer: sig.identity, identity_kind: sig.kind };
  return keyDecision(key.toLowerCase(), sig.kind, header, fabric, keys);
}
