/**
 * Editing the trust fabric (`memoryoss trust`): add a third party's Ed25519 public key, pin,
 * revoke, rotate (replace) and remove identities, and list them. Pure: each function takes a
 * fabric and returns a new one; reading and writing `trust.json` is `trust_store.ts`.
 *
 * @module
 */
import { fromHex, toHex } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { importEd25519PublicKey, keyFingerprint } from "./signature.ts";
import { LOCAL_IDENTITY, type TrustFabric, type TrustIdentity } from "./trust.ts";

export type IdentityKind = TrustIdentity["kind"];
export const IDENTITY_KINDS: readonly IdentityKind[] = ["author", "device", "sync_peer"];

/** One identity as `trust list` / `trust show` print it. */
export interface TrustRow {
  id: string;
  kind: IdentityKind;
  label: string;
  source: "local" | "catalog";
  source_catalog: string | null;
  registered_at: string;
  public_key: string | null;
  /** First 16 hex digits of SHA-256 over the raw public key. */
  fingerprint: string | null;
  pinned: boolean;
  status: "active" | "revoked";
  revoked_at: string | null;
  revoked_reason: string | null;
  replacement_identity: string | null;
  rotated_to: string | null;
}

const SPKI_PREFIX = "302a300506032b6570032100";

function base64Bytes(text: string): Uint8Array | null {
  const t = text.replace(/-/g, "+").replace(/_/g, "/").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return null;
  try {
    return Uint8Array.from(atob(t + "=".repeat((4 - t.length % 4) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * An Ed25519 public key as lowercase hex, from base64 (standard or URL-safe) or hex of the raw
 * 32 bytes, base64 of the SPKI DER form, a PEM `PUBLIC KEY` block, or the JSON printed by
 * `memoryoss trust identity --json`. INVALID_INPUT says what was expected.
 *
 * @example
 * ```ts
 * await parsePublicKey("11".repeat(32)); // "1111…"
 * ```
 */
export async function parsePublicKey(input: string): Promise<string> {
  let text = input.trim();
  if (text.startsWith("{")) {
    try {
      const o = JSON.parse(text) as { public_key?: unknown; public_key_hex?: unknown };
      text = String(o.public_key_hex ?? o.public_key ?? "");
    } catch { /* not JSON: reported below */ }
  }
  text = text.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").trim();
  let raw: Uint8Array | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    raw = fromHex(text);
  } else {
    const bytes = base64Bytes(text);
    if (bytes?.length === 32) raw = bytes;
    else if (bytes?.length === 44 && toHex(bytes.subarray(0, 12)) === SPKI_PREFIX) {
      raw = bytes.subarray(12);
    }
  }
  if (!raw) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "not an Ed25519 public key: expected 32 bytes as base64 or hex (as printed by " +
        "'memoryoss trust identity'), a PEM PUBLIC KEY block, or a file holding one",
      ["public_key"],
    );
  }
  const keyHex = toHex(raw);
  await importEd25519PublicKey(keyHex);
  return keyHex;
}

/**
 * The raw public key (hex) as base64, the form `trust identity` prints.
 *
 * @example
 * ```ts
 * publicKeyBase64("00".repeat(32)); // "AAAA…="
 * ```
 */
export function publicKeyBase64(keyHex: string): string {
  return btoa(String.fromCharCode(...fromHex(keyHex) ?? []));
}

/**
 * Every identity as a row (pins and revocations folded in), in fabric order.
 *
 * @example
 * ```ts
 * trustRows(fabric).filter((r) => r.status === "revoked");
 * ```
 */
export function trustRows(fabric: TrustFabric): TrustRow[] {
  return fabric.identities.map((i) => {
    const rev = fabric.revocations.find((r) => r.id === i.id);
    return {
      id: i.id,
      kind: i.kind,
      label: i.label,
      source: i.source,
      source_catalog: i.source_catalog ?? null,
      registered_at: i.registered_at,
      public_key: i.public_key ?? null,
      fingerprint: i.public_key ? keyFingerprint(i.public_key) : null,
      pinned: fabric.pins.some((p) => p.id === i.id),
      status: rev ? "revoked" : "active",
      revoked_at: rev?.revoked_at ?? null,
      revoked_reason: rev ? rev.reason : null,
      replacement_identity: rev?.replacement_identity ?? null,
      rotated_to: i.rotated_to ?? null,
    };
  });
}

/**
 * The identity `id` (NOT_FOUND otherwise).
 *
 * @example
 * ```ts
 * requireIdentity(fabric, "device:laptop").public_key;
 * ```
 */
export function requireIdentity(fabric: TrustFabric, id: string): TrustIdentity {
  const found = fabric.identities.find((i) => i.id === id);
  if (!found) {
    throw new MemoryossError("NOT_FOUND", `no identity '${id}' in the trust catalog`, ["id"]);
  }
  return found;
}

/** The id `add` gives `name`: as is when it has a `kind:` prefix, else `<kind>:<name>`. */
export function identityId(name: string, kind: IdentityKind): string {
  const id = name.includes(":") ? name : `${kind}:${name}`;
  if (!/^[A-Za-z0-9_.:@-]{3,128}$/.test(id)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `identity name '${name}' may only hold letters, digits and _ . : @ - (at most 128)`,
      ["name"],
    );
  }
  return id;
}

/** Options for {@link addIdentity}. */
export interface AddIdentityOptions {
  name: string;
  /** Raw public key, lowercase hex ({@link parsePublicKey}). */
  publicKey: string;
  /** Default: the name's `kind:` prefix when it is one, else device. */
  kind?: IdentityKind;
  label?: string;
  pin?: boolean;
  now: Date;
}

/**
 * Registers a third party's public key. CONFLICT when the id or the key is already known.
 *
 * @example
 * ```ts
 * const { fabric: next } = addIdentity(fabric, { name: "laptop", publicKey, now: new Date() });
 * ```
 */
export function addIdentity(
  fabric: TrustFabric,
  o: AddIdentityOptions,
): { fabric: TrustFabric; identity: TrustIdentity } {
  const prefix = o.name.includes(":") ? o.name.split(":")[0] : "";
  const kind = o.kind ??
    ((IDENTITY_KINDS as readonly string[]).includes(prefix) ? prefix as IdentityKind : "device");
  const id = identityId(o.name, kind);
  if (id === LOCAL_IDENTITY) {
    throw new MemoryossError(
      "CONFLICT",
      `${LOCAL_IDENTITY} is this home's own identity; give the other key a name of its own`,
      ["name"],
    );
  }
  if (fabric.identities.some((i) => i.id === id)) {
    throw new MemoryossError("CONFLICT", `identity '${id}' already exists`, ["name"]);
  }
  const same = fabric.identities.find((i) => i.public_key === o.publicKey);
  if (same) {
    throw new MemoryossError(
      "CONFLICT",
      `this public key is already registered as '${same.id}'`,
      ["public_key"],
    );
  }
  const at = o.now.toISOString();
  const identity: TrustIdentity = {
    id,
    kind,
    label: o.label ?? o.name,
    registered_at: at,
    source: "local",
    public_key: o.publicKey,
  };
  const pins = o.pin ? [...fabric.pins, { id, pinned_at: at }] : fabric.pins;
  return { fabric: { ...fabric, identities: [...fabric.identities, identity], pins }, identity };
}

/**
 * Pins a known identity (a pin takes precedence over a catalog for the decision's origin).
 *
 * @example
 * ```ts
 * pinIdentity(fabric, "device:laptop", new Date());
 * ```
 */
export function pinIdentity(fabric: TrustFabric, id: string, now: Date): TrustFabric {
  requireIdentity(fabric, id);
  if (fabric.pins.some((p) => p.id === id)) return fabric;
  return { ...fabric, pins: [...fabric.pins, { id, pinned_at: now.toISOString() }] };
}

/**
 * Revokes a known identity: bundles signed with its key are then rejected as `revoked` (exit 5),
 * whatever signer name they carry. Revoking again updates the reason.
 *
 * @example
 * ```ts
 * revokeIdentity(fabric, "device:laptop", { reason: "stolen", now: new Date() });
 * ```
 */
export function revokeIdentity(
  fabric: TrustFabric,
  id: string,
  o: { reason?: string; replacement?: string; now: Date },
): TrustFabric {
  const identity = requireIdentity(fabric, id);
  const revocation = {
    id,
    kind: identity.kind,
    reason: o.reason ?? "",
    revoked_at: o.now.toISOString(),
    source: "local" as const,
    ...(o.replacement ? { replacement_identity: o.replacement } : {}),
  };
  return {
    ...fabric,
    revocations: [...fabric.revocations.filter((r) => r.id !== id), revocation],
  };
}

/**
 * Rotates an identity to a new key: the old one is revoked with `replacement_identity` and
 * `rotated_to` set, and the new key is registered as `newId` (default `<old>-2`, `-3`, …),
 * pinned when the old one was.
 *
 * @example
 * ```ts
 * const r = replaceIdentity(fabric, "device:laptop", { publicKey, now: new Date() });
 * r.identity.id; // "device:laptop-2"
 * ```
 */
export function replaceIdentity(
  fabric: TrustFabric,
  oldId: string,
  o: { publicKey: string; newId?: string; reason?: string; now: Date },
): { fabric: TrustFabric; identity: TrustIdentity } {
  const old = requireIdentity(fabric, oldId);
  if (old.public_key === o.publicKey) {
    throw new MemoryossError("CONFLICT", `'${oldId}' already has this key`, ["public_key"]);
  }
  let newId = o.newId;
  if (!newId) {
    const base = oldId.replace(/-\d+$/, "");
    let n = 2;
    while (fabric.identities.some((i) => i.id === `${base}-${n}`)) n++;
    newId = `${base}-${n}`;
  }
  const added = addIdentity(fabric, {
    name: newId,
    publicKey: o.publicKey,
    kind: old.kind,
    label: old.label,
    pin: fabric.pins.some((p) => p.id === oldId),
    now: o.now,
  });
  const revoked = revokeIdentity(added.fabric, oldId, {
    reason: o.reason ?? `rotated to ${added.identity.id}`,
    replacement: added.identity.id,
    now: o.now,
  });
  return {
    fabric: {
      ...revoked,
      identities: revoked.identities.map((i) =>
        i.id === oldId ? { ...i, rotated_to: added.identity.id } : i
      ),
    },
    identity: added.identity,
  };
}

/**
 * Forgets an identity with its pin and revocation. This home's own identity (the legacy name, or
 * the one holding `ownKey`) cannot be removed.
 *
 * @example
 * ```ts
 * removeIdentity(fabric, "device:laptop").identities.length;
 * ```
 */
export function removeIdentity(
  fabric: TrustFabric,
  id: string,
  ownKey: string | null = null,
): TrustFabric {
  const found = requireIdentity(fabric, id);
  if (id === LOCAL_IDENTITY || (ownKey !== null && found.public_key === ownKey)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${id} is this home's own signing identity and cannot be removed`,
      ["id"],
    );
  }
  return {
    ...fabric,
    identities: fabric.identities.filter((i) => i.id !== id),
    revocations: fabric.revocations.filter((r) => r.id !== id),
    pins: fabric.pins.filter((p) => p.id !== id),
  };
}
