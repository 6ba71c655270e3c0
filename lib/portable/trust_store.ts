/**
 * The trust fabric on disk: `<home>/trust.json` (identities, revocations, pins) and the
 * device signing key `<home>/trust-device.key` (Ed25519 PKCS#8 hex, mode 0600). Backups leave
 * the key file out unless asked, like `memoryoss.key`.
 *
 * @module
 */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import {
  exportEd25519PrivateKey,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  importEd25519PrivateKey,
} from "./signature.ts";
import {
  emptyFabric,
  LOCAL_IDENTITY,
  parseTrustFabric,
  TRUST_FORMAT,
  type TrustFabric,
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

/** A signer for bundle exports. */
export interface DeviceSigner {
  identity: string;
  privateKey: CryptoKey;
  publicKeyHex: string;
}

/**
 * The device signer of `home`: loads `trust-device.key`, or creates it (0600) on first use
 * and registers `device:local-runtime` with its public key in `trust.json`.
 *
 * @example
 * ```ts
 * const signer = await deviceSigner(home, new Date());
 * ```
 */
export async function deviceSigner(home: string, now: Date): Promise<DeviceSigner> {
  const keyPath = join(home, DEVICE_KEY_FILE);
  let privateHex: string | null = null;
  try {
    privateHex = (await Deno.readTextFile(keyPath)).trim();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      throw new MemoryossError("IO", `cannot read ${keyPath}: ${(e as Error).message}`);
    }
  }
  let privateKey: CryptoKey;
  let publicKeyHex: string;
  if (privateHex) {
    privateKey = await importEd25519PrivateKey(privateHex);
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
  await registerLocal(join(home, TRUST_FILE), publicKeyHex, now);
  return { identity: LOCAL_IDENTITY, privateKey, publicKeyHex };
}

/** The public half via JWK (Web Crypto has no direct derivation). */
async function publicFromPrivate(key: CryptoKey): Promise<string> {
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const b64 = jwk.x!.replace(/-/g, "+").replace(/_/g, "/");
  const raw = Uint8Array.from(
    atob(b64 + "=".repeat((4 - b64.length % 4) % 4)),
    (c) => c.charCodeAt(0),
  );
  return [...raw].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Makes sure the fabric lists the local identity with this public key. */
async function registerLocal(path: string, publicKeyHex: string, now: Date): Promise<void> {
  const fabric = await readTrustFabric(path);
  const current = fabric.identities.find((i) => i.id === LOCAL_IDENTITY);
  if (current?.public_key === publicKeyHex) return;
  const identity = {
    id: LOCAL_IDENTITY,
    kind: "device" as const,
    label: "Local runtime",
    registered_at: current?.registered_at || now.toISOString(),
    source: "local" as const,
    public_key: publicKeyHex,
  };
  fabric.identities = [...fabric.identities.filter((i) => i.id !== LOCAL_IDENTITY), identity];
  await writeTrustFabric(path, fabric);
}
