/**
 * memoryOSS's `vault` key provider (`[encryption] provider = "vault"`): the home's master key
 * is kept wrapped by HashiCorp Vault's Transit engine in `memoryoss.key.vault`, and unwrapped
 * into memory once per process. Vault's real wire format: `POST {address}/v1/{mount}/encrypt/
 * {key}` `{plaintext: base64}` → `{data: {ciphertext: "vault:v1:…"}}` and `…/decrypt/{key}`
 * `{ciphertext}` → `{data: {plaintext}}`, authenticated with `X-Vault-Token`. The token is
 * never logged or written anywhere.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { MemoryossError, readFileOrNull } from "../errors/mod.ts";
import { constantTimeEqual } from "./bytes.ts";
import { Keyring, keyringPathFor, kidOf } from "./keyring.ts";
import {
  provideBaseKey,
  provideNewRingKey,
  provideRingKey,
  WRAPPED_KEY_SUFFIX,
} from "./provided.ts";

/** Vault Transit settings (memoryOSS's `[encryption]` key names). */
export interface VaultSettings {
  vault_address: string;
  vault_token: string;
  vault_mount: string;
  vault_key_name: string;
}

/** The wrapped key file's format tag. */
export const WRAPPED_KEY_FORMAT = "memoryoss.vault-key.v1";

const TIMEOUT_MS = 10_000;

/** A Vault Transit client for one key. */
export class VaultTransit {
  readonly #base: string;
  readonly #token: string;
  readonly #key: string;

  constructor(s: VaultSettings) {
    const address = s.vault_address.replace(/\/+$/, "");
    if (!/^https?:\/\//.test(address)) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        'encryption.provider = "vault" needs encryption.vault_address (http(s)://host:port) ' +
          "or VAULT_ADDR",
        ["encryption", "vault_address"],
      );
    }
    if (!s.vault_token) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        'encryption.provider = "vault" needs encryption.vault_token or VAULT_TOKEN',
        ["encryption", "vault_token"],
      );
    }
    const seg = (v: string) => encodeURIComponent(v);
    this.#base = `${address}/v1/${s.vault_mount.split("/").map(seg).join("/")}`;
    this.#key = seg(s.vault_key_name);
    this.#token = s.vault_token;
  }

  /** Wrap `plain`: Vault's `vault:vN:…` ciphertext. */
  async encrypt(plain: Uint8Array): Promise<string> {
    const b64 = Buffer.from(plain).toString("base64");
    const data = await this.#call("encrypt", { plaintext: b64 });
    if (typeof data.ciphertext !== "string") throw this.#bad("encrypt", "no ciphertext");
    return data.ciphertext;
  }

  /** Unwrap a `vault:vN:…` ciphertext. */
  async decrypt(ciphertext: string): Promise<Uint8Array> {
    const data = await this.#call("decrypt", { ciphertext });
    if (typeof data.plaintext !== "string") throw this.#bad("decrypt", "no plaintext");
    return new Uint8Array(Buffer.from(data.plaintext, "base64"));
  }

  async #call(op: string, body: unknown): Promise<Record<string, unknown>> {
    const url = `${this.#base}/${op}/${this.#key}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "X-Vault-Token": this.#token, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable) throw e; // a command without network rights
      throw new MemoryossError("UNAVAILABLE", `cannot reach Vault at ${url}: ${(e as Error).name}`);
    }
    const json = await res.json().catch(() => null) as
      | { data?: Record<string, unknown>; errors?: unknown[] }
      | null;
    if (!res.ok) {
      const why = Array.isArray(json?.errors) ? json.errors.map(String).join("; ") : "";
      const code = res.status === 403 || res.status === 400 ? "INVALID_CONFIG" : "UNAVAILABLE";
      throw new MemoryossError(
        code,
        `Vault ${op} at ${url} failed: HTTP ${res.status}${why ? ` (${why})` : ""}`,
      );
    }
    if (!json?.data) throw this.#bad(op, "no data");
    return json.data;
  }

  #bad(op: string, what: string): MemoryossError {
    return new MemoryossError("UNAVAILABLE", `Vault ${op} answered without ${what}`);
  }
}

interface WrappedFile {
  format: string;
  mount: string;
  key_name: string;
  ciphertext: string;
  created_at: string;
  /** The wrapped key's id (files written before it was recorded lack it). */
  kid?: string;
}

/** What {@link unlockVaultKey} did. */
export interface VaultUnlock {
  wrappedPath: string;
  /** True when the wrapped file was made now (a new key, or the existing key file wrapped). */
  created: boolean;
  /** A line for stderr (the plaintext key file is still on disk), or null. */
  warning: string | null;
}

function parseWrapped(path: string, bytes: Uint8Array): WrappedFile {
  try {
    const w = JSON.parse(new TextDecoder().decode(bytes)) as WrappedFile;
    if (w.format === WRAPPED_KEY_FORMAT && typeof w.ciphertext === "string") return w;
  } catch { /* below */ }
  throw new MemoryossError("INVALID_CONFIG", `${path} is not a memoryoss Vault-wrapped key`);
}

/**
 * Unwrap the home's master key with Vault Transit and hand it to the keyring (in memory only).
 * Without `memoryoss.key.vault` yet and with `create`: wrap the existing `memoryoss.key` (kept;
 * a warning says so) or a new random key (never written in plaintext), then read it back
 * through Vault before the wrapped file is written. Null when there is nothing to unlock.
 *
 * @example
 * ```ts
 * await unlockVaultKey(keyPath, settings, { create: true, now: new Date() });
 * ```
 */
export async function unlockVaultKey(
  keyPath: string,
  s: VaultSettings,
  o: { create: boolean; now: Date },
): Promise<VaultUnlock | null> {
  const wrappedPath = keyPath + WRAPPED_KEY_SUFFIX;
  const vault = new VaultTransit(s);
  const plain = readFileOrNull(keyPath);
  const wrapped = readFileOrNull(wrappedPath);
  if (wrapped) {
    const key = await vault.decrypt(parseWrapped(wrappedPath, wrapped).ciphertext);
    if (key.length !== 32) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        `${wrappedPath}: Vault returned a ${key.length}-byte key, not 32`,
      );
    }
    if (plain && !constantTimeEqual(plain, key)) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        `${keyPath} and ${wrappedPath} hold different keys: keep the one your memories use`,
      );
    }
    provideBaseKey(keyPath, key);
    await unlockRing(keyPath, vault, o.create);
    return { wrappedPath, created: false, warning: null };
  }
  if (!o.create) return null;
  const key = plain ?? crypto.getRandomValues(new Uint8Array(32));
  const ciphertext = await vault.encrypt(key);
  if (!constantTimeEqual(await vault.decrypt(ciphertext), key)) {
    throw new MemoryossError("UNAVAILABLE", "Vault decrypt did not give back the wrapped key");
  }
  const file: WrappedFile = {
    format: WRAPPED_KEY_FORMAT,
    mount: s.vault_mount,
    key_name: s.vault_key_name,
    ciphertext,
    created_at: o.now.toISOString(),
    kid: kidOf(key),
  };
  const tmp = `${wrappedPath}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(tmp, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  await Deno.rename(tmp, wrappedPath);
  provideBaseKey(keyPath, key);
  await unlockRing(keyPath, vault, o.create);
  const warning = plain
    ? `memoryoss: warning: ${keyPath} was wrapped by Vault into ${wrappedPath} and is still on ` +
      "disk in plaintext: keep a copy somewhere safe, then delete it"
    : null;
  return { wrappedPath, created: true, warning };
}

/** The keyring file's entries as stored (null when there is none or it is not JSON). */
function ringEntries(keyPath: string): { kid: string; key?: string; wrapped?: string }[] {
  const raw = readFileOrNull(keyringPathFor(keyPath));
  if (!raw) return [];
  try {
    const keys = JSON.parse(new TextDecoder().decode(raw)).keys;
    return Array.isArray(keys) ? keys : [];
  } catch {
    return []; // the keyring reports a damaged file itself
  }
}

/**
 * Unwrap the keyring's Vault-wrapped keys into memory; with `wrapPlain`, first wrap keys a
 * rotation stored in plaintext (before rotations wrapped them) and drop their plaintext.
 */
async function unlockRing(keyPath: string, vault: VaultTransit, wrapPlain: boolean): Promise<void> {
  const plain = new Map<string, string>();
  for (const e of ringEntries(keyPath)) {
    if (typeof e.wrapped === "string") {
      const key = await vault.decrypt(e.wrapped);
      if (kidOf(key) !== e.kid) {
        throw new MemoryossError(
          "INVALID_CONFIG",
          `${keyringPathFor(keyPath)}: Vault unwrapped key ${e.kid} to a different key`,
        );
      }
      provideRingKey(keyPath, e.kid, key);
    } else if (wrapPlain && typeof e.key === "string") {
      const key = new Uint8Array(Buffer.from(e.key, "base64"));
      if (kidOf(key) !== e.kid) continue; // damaged: Keyring.load says so
      const wrapped = await vault.encrypt(key);
      if (!constantTimeEqual(await vault.decrypt(wrapped), key)) {
        throw new MemoryossError("UNAVAILABLE", "Vault decrypt did not give back the wrapped key");
      }
      provideRingKey(keyPath, e.kid, key);
      plain.set(e.kid, wrapped);
    }
  }
  if (plain.size) Keyring.load(keyPath).storeWrapped(plain);
}

/**
 * Wrap a new random key with Vault (and check it unwraps) ahead of a rotation; the keyring's
 * next `addActiveKey` takes it, so its plaintext never reaches the disk.
 *
 * @example
 * ```ts
 * await prepareVaultRingKey(keyPath, settings);
 * ```
 */
export async function prepareVaultRingKey(keyPath: string, s: VaultSettings): Promise<void> {
  const vault = new VaultTransit(s);
  const key = crypto.getRandomValues(new Uint8Array(32));
  const wrapped = await vault.encrypt(key);
  if (!constantTimeEqual(await vault.decrypt(wrapped), key)) {
    throw new MemoryossError("UNAVAILABLE", "Vault decrypt did not give back the wrapped key");
  }
  provideNewRingKey(keyPath, key, wrapped);
}

/**
 * The Vault settings of an `[encryption]` section, with `VAULT_ADDR` / `VAULT_TOKEN` filling
 * what the file leaves empty (as memoryOSS's users set them).
 */
export function vaultSettingsOf(
  e: VaultSettings,
  env: (k: string) => string | undefined,
): VaultSettings {
  return {
    vault_address: e.vault_address || env("VAULT_ADDR") || "",
    vault_token: e.vault_token || env("VAULT_TOKEN") || "",
    vault_mount: e.vault_mount,
    vault_key_name: e.vault_key_name,
  };
}

/**
 * The key ids a Vault home's files say it holds, read offline (no Vault call): the wrapped
 * key file's `kid` (null when the file predates it) and every keyring key, wrapped or not.
 */
export function vaultHomeKids(keyPath: string): { base: string | null; ring: string[] } | null {
  const wrapped = readFileOrNull(keyPath + WRAPPED_KEY_SUFFIX);
  if (!wrapped) return null;
  let base: string | null = null;
  try {
    const kid = JSON.parse(new TextDecoder().decode(wrapped)).kid;
    base = typeof kid === "string" ? kid : null;
  } catch { /* not JSON: no kid */ }
  const ring = ringEntries(keyPath).filter((e) => e.key || e.wrapped).map((e) => e.kid);
  return { base, ring };
}

/**
 * True for a Vault home whose keyring holds no key in plaintext (every key wrapped): such a
 * keyring is as safe to archive as `memoryoss.key.vault`.
 */
export function vaultRingIsWrapped(keyPath: string): boolean {
  return readFileOrNull(keyPath + WRAPPED_KEY_SUFFIX) !== null &&
    ringEntries(keyPath).every((e) => typeof e.key !== "string");
}

/** The wrapped key file of a home (for docs and tests). */
export function wrappedKeyPath(home: string): string {
  return join(home, "memoryoss.key" + WRAPPED_KEY_SUFFIX);
}
