/**
 * Certified forget (memoryOSS `DELETE /v1/forget/certified`): delete what a scoped forget
 * request names and return a deletion certificate with a Merkle root over the deleted
 * memories' content hashes, signed by the home's Ed25519 device key (memoryOSS signs with an
 * HMAC under a shared secret, which nobody else can check; see docs/http-api.md).
 *
 * Merkle root (as memoryOSS): each leaf is a memory's content_hash (hex SHA-256 of its
 * content); a level pairs neighbours as `sha256(hexA + hexB)` (ASCII concatenation), an odd
 * last leaf pairs with itself, and a single leaf is its own root.
 *
 * Signature: our `memoryoss.ed25519.v1` scheme over the subject
 * `deletion_certificate:<sha256 of the certificate's JCS form>`.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { forget, type ForgetCaller, type Runtime } from "../memory/mod.ts";
import { sha256Hex } from "./canonical.ts";
import { jcs } from "./jcs.ts";
import { ED25519_SCHEME, ed25519Sign, keyFingerprint } from "./signature.ts";
import { deviceSigner } from "./trust_store.ts";

/** The certificate memoryOSS returns (field names and meaning as memoryOSS). */
export interface DeletionCertificate {
  type: "deletion_certificate";
  version: 1;
  namespace: string;
  deleted_count: number;
  deleted_ids: string[];
  merkle_root: string;
  leaf_hashes: string[];
  deleted_at: string;
  /** The caller: the key id over HTTP. */
  deleted_by: string | null;
}

/** How the certificate was signed; enough to check it without this server. */
export interface ReceiptSignature {
  scheme: typeof ED25519_SCHEME;
  identity: string;
  identity_kind: "device";
  signed_at: string;
  subject: string;
  /** Raw Ed25519 public key, hex. */
  public_key: string;
  fingerprint: string;
}

/** `DELETE /v1/forget/certified` output. */
export interface CertifiedForgetResult {
  deleted: number;
  certificate: DeletionCertificate;
  /** Ed25519 signature, hex (memoryOSS: the HMAC, hex). */
  signature: string;
  signature_info: ReceiptSignature;
}

/**
 * The Merkle root of hex leaf hashes, as memoryOSS builds it.
 *
 * @example
 * ```ts
 * merkleRoot(["aa"]); // "aa"
 * merkleRoot(["aa", "bb"]); // sha256Hex("aabb")
 * ```
 */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) throw new MemoryossError("INVALID_INPUT", "no leaves to hash");
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(sha256Hex(level[i] + (level[i + 1] ?? level[i])));
    }
    level = next;
  }
  return level[0];
}

/**
 * Deletes what `raw` (a forget request, no `dry_run`) names in `namespace` and returns the
 * signed certificate. NOT_FOUND when nothing matches. Run it in the write queue: the preview
 * and the delete must see the same rows.
 *
 * @example
 * ```ts
 * const r = await certifiedForget(rt, { tags: ["tmp"] }, "proj", caller);
 * r.certificate.merkle_root;
 * ```
 */
export async function certifiedForget(
  rt: Runtime,
  raw: Record<string, unknown>,
  namespace: string,
  caller: ForgetCaller,
): Promise<CertifiedForgetResult> {
  if (raw.dry_run !== undefined) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "a certified forget always deletes; preview with forget and dry_run instead",
      ["dry_run"],
    );
  }
  const plan = forget(rt, { ...raw, namespace, dry_run: true }, caller);
  if (!plan.dry_run || plan.would_delete.count === 0) {
    throw new MemoryossError("NOT_FOUND", "no memories match this forget request");
  }
  const leafOf = new Map(plan.would_delete.memories.map((m) => {
    const r = rt.store.getById(m.id)!.record;
    return [m.id, r.content_hash ?? sha256Hex(r.content)];
  }));
  const done = forget(rt, { namespace, ids: [...leafOf.keys()] }, caller);
  if (done.dry_run) throw new MemoryossError("INTERNAL", "forget did not delete");
  const ids = done.ids;
  const leaves = ids.map((id) => leafOf.get(id)!);
  const now = rt.now();
  const certificate: DeletionCertificate = {
    type: "deletion_certificate",
    version: 1,
    namespace,
    deleted_count: done.deleted,
    deleted_ids: ids,
    merkle_root: merkleRoot(leaves),
    leaf_hashes: leaves,
    deleted_at: now.toISOString(),
    deleted_by: caller.actor,
  };
  const signer = await deviceSigner(rt.loaded.home, now);
  const fields = {
    identity: signer.identity,
    kind: "device",
    signedAt: now.toISOString(),
    subject: `deletion_certificate:${sha256Hex(jcs(certificate))}`,
  };
  return {
    deleted: done.deleted,
    certificate,
    signature: await ed25519Sign(signer.privateKey, fields),
    signature_info: {
      scheme: ED25519_SCHEME,
      identity: signer.identity,
      identity_kind: "device",
      signed_at: fields.signedAt,
      subject: fields.subject,
      public_key: signer.publicKeyHex,
      fingerprint: keyFingerprint(signer.publicKeyHex),
    },
  };
}
