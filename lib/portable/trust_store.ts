/**
 * The trust fabric on disk: `<home>/trust.json` (identities, revocations, pins) and the
 * device signing key `<home>/trust-device.key` (Ed25519 PKCS#8 hex, mode 0600), whose public key
 * names this home (`device:<fingerprint>`). Backups leave the key file out unless asked, like
 * `memoryoss.key`.
 *
 * @module
 */
import { join } from "node:path";
import { base64url } from "jose";
import { toHex } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import {
  exportEd25519PrivateKey,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  importEd25519PrivateKey,
  signerName,
} from "./signature.ts";
import {
  emptyFabric,
  LOCAL_IDENTITY,
  parseTrustFabric,
  TRUST_FORMAT,
  type TrustFabric,
  type TrustKeys,
} from "./trust.ts";

export const TRUST_FILE = "trust.json";
export const DEVICE_KEY_FILE = "trust-device.key";

/**
 * Reads `<home>/trust.json` (or another path); a missing file is an empty fabric.
 *
 * @example
 * ```ts
 * const fabric = await readTrustFabric(join(home, TRUST_FILE));
 * ```
 */
export async function readTrustFabric(path: string): Promise<TrustFabric> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return emptyFabric();
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message.split(":")[0]}`);
  }
  return parseTrustFabric(text, path);
}

/**
 * Writes the fabric atomically (temp file + rename), pretty JSON.
 *
 * @example
 * ```ts
 * await writeTrustFabric(join(home, TRUST_FILE), fabric);
 * ```
 */
export async function writeTrustFabric(path: string, fabric: TrustFabric): Promise<void> {
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(
    tmp,
    JSON.stringify({ ...fabric, format: TRUST_FORMAT }, null, 2) + "\n",
  );
  await Deno.rename(tmp, path);
}

/**
 * Reads the fabric at `path`, applies `change` and writes the result back; returns it. Callers
 * that may run concurrently (the server) serialise their calls.
 *
 * @example
 * ```ts
 * await editTrustFile(join(home, TRUST_FILE), (f) => pinIdentity(f, "device:laptop", new Date()));
 * ```
 */
export async function editTrustFile(
  path: string,
  change: (f: TrustFabric) => TrustFabric | Promise<TrustFabric>,
): Promise<TrustFabric> {
  const next = await change(await readTrustFabric(path));
  await writeTrustFabric(path, next);
  return next;
}

/** A signer for bundle exports. */
export interface DeviceSigner {
  /** `device:<fingerprint of the public key>`: the name names the key. */
  identity: string;
  privateKey: CryptoKey;
  publicKeyHex: string;
}

/**
 * The device signer of `home`: loads `trust-device.key`, or creates it (0600) on first use, and
 * registers `device:<fingerprint>` with its public key in `trust.json`. A home made by an older
 * version lists the same key as `device:local-runtime`: that entry is renamed (its pin and
 * revocation follow), so bundles those versions signed still verify against it.
 *
 * @example
 * ```ts
 * const signer = await deviceSigner(home, new Date());
 * signer.identity; // "device:3f9a0c1d2e4b5a69"
 * ```
 */
export async function deviceSigner(home: string, now: Date): Promise<DeviceSigner> {
  const keyPath = join(home, DEVICE_KEY_FILE);
  let privateKey = await readDeviceKey(home);
  let publicKeyHex: string;
  if (privateKey) {
    publicKeyHex = await publicFromPrivate(privateKey);
  } else {
    const pair = await generateEd25519KeyPair();
    privateKey = pair.privateKey;
    publicKeyHex = await exportEd25519PublicKey(pair.publicKey);
    try {
      await Deno.writeTextFile(keyPath, (await exportEd25519PrivateKey(pair.privateKey)) + "\n", {
        createNew: true,
        mode: 0o600,
      });
    } catch (e) {
      // another process created it first: use that one, so every export signs alike
      if (e instanceof Deno.errors.AlreadyExists) return await deviceSigner(home, now);
      throw new MemoryossError("IO", `cannot write ${keyPath}: ${(e as Error).message}`);
    }
  }
  const identity = signerName(publicKeyHex);
  await registerLocal(join(home, TRUST_FILE), identity, publicKeyHex, now);
  return { identity, privateKey, publicKeyHex };
}

/** The private key in `trust-device.key`, or null when the home has none yet. */
async function readDeviceKey(home: string): Promise<CryptoKey | null> {
  const keyPath = join(home, DEVICE_KEY_FILE);
  let text: string;
  try {
    text = (await Deno.readTextFile(keyPath)).trim();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new MemoryossError("IO", `cannot read ${keyPath}: ${(e as Error).message}`);
  }
  if (!text) return null;
  try {
    return await importEd25519PrivateKey(text);
  } catch (e) {
    throw new MemoryossError("INVALID_CONFIG", `${keyPath}: ${(e as Error).message}`);
  }
}

/**
 * The home's own public key (hex), without creating one: null when the home has never signed.
 *
 * @example
 * ```ts
 * await devicePublicKey(home); // "9c1f…" or null
 * ```
 */
export async function devicePublicKey(home: string): Promise<string | null> {
  const key = await readDeviceKey(home);
  return key ? await publicFromPrivate(key) : null;
}

/**
 * What a home verifies signatures with: its `trust.json` (a missing file is an empty catalog),
 * its own public key (trusted without an entry) and the memoryOSS HMAC secret when given.
 *
 * @example
 * ```ts
 * const trust = await homeTrust(home, Deno.env.get("MEMORYOSS_AUDIT_HMAC_SECRET"));
 * ```
 */
export async function homeTrust(
  home: string,
  hmacSecret?: string,
): Promise<{ fabric: TrustFabric; keys: TrustKeys }> {
  const fabric = await readTrustFabric(join(home, TRUST_FILE));
  const own = await devicePublicKey(home);
  const keys: TrustKeys = {};
  if (own) keys.ownPublicKey = own;
  if (hmacSecret) keys.hmacSecret = hmacSecret;
  return { fabric, keys };
}

/** The public half via JWK (Web Crypto has no direct derivation). */
async function publicFromPrivate(key: CryptoKey): Promise<string> {
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return toHex(base64url.decode(jwk.x!));
}

/**
 * Makes sure the fabric lists this home's identity with its key, renaming the legacy
 * `device:local-runtime` entry of the same key (pins and revocations follow the rename).
 */
async function registerLocal(
  path: string,
  id: string,
  publicKeyHex: string,
  now: Date,
): Promise<void> {
  const fabric = await readTrustFabric(path);
  const current = fabric.identities.find((i) => i.id === id);
  if (current?.public_key === publicKeyHex) return;
  const legacy = fabric.identities.find((i) =>
    i.id === LOCAL_IDENTITY && i.public_key === publicKeyHex
  );
  const rename = (x: string) => (legacy && x === LOCAL_IDENTITY ? id : x);
  const identity = {
    id,
    kind: "device" as const,
    label: "This home",
    registered_at: legacy?.registered_at || current?.registered_at || now.toISOString(),
    source: "local" as const,
    public_key: publicKeyHex,
  };
  const others = fabric.identities.filter((i) => i.id !== id && i !== legacy);
  await writeTrustFabric(path, {
    ...fabric,
    identities: [...others, identity],
    pins: fabric.pins.filter((p) => p.id !== id).map((p) => ({ ...p, id: rename(p.id) })),
    revocations: fabric.revocations.filter((r) => r.id !== id).map((r) => ({
      ...r,
      id: rename(r.id),
    })),
  });
}
