/**
 * The keyring: the home's `memoryoss.key` (32 raw bytes, the original master key) plus the
 * keys created by rotations, kept in `memoryoss.keyring` (JSON, mode 0600) beside it. Every
 * key has a key id (`kid`): the first 12 hex digits of SHA-256 over the key bytes, so the
 * existing key file needs no change to become a keyring member.
 *
 * A rotation makes a new key `active` and the old one `retiring`; both stay on disk until no
 * row references the old one, then it is `retired` (its bytes removed from the keyring; the
 * original `memoryoss.key` itself stays because the JWT secret is derived from it too).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { dirname, join } from "node:path";
import { MemoryossError, pathExistsSync, readFileOrNull } from "../errors/mod.ts";
import { refuseKeylessSealedHome, type SealedKidReader } from "./guard.ts";
import {
  providedBaseKey,
  providedRingKey,
  provideRingKey,
  takeNewRingKey,
  WRAPPED_KEY_SUFFIX,
} from "./provided.ts";
import { sha256Hex, toHex } from "./bytes.ts";

/** Where a key is in its life. */
export type KeyState = "active" | "retiring" | "retired";

/** One key of the ring. `key` is absent for a retired key. */
export interface KeyEntry {
  kid: string;
  state: KeyState;
  created_at: string;
  /** True for the key held in `memoryoss.key` (never stored in the keyring file). */
  base: boolean;
  key: Uint8Array | null;
  /** The key wrapped by Vault Transit (`vault:vN:…`), as a Vault home stores it; else null. */
  wrapped: string | null;
}

/** The keyring file's format tag. */
export const KEYRING_FORMAT = "memoryoss.keyring.v1";
/** The keyring file name, beside `memoryoss.key`. */
export const KEYRING_FILE = "memoryoss.keyring";

interface RingFile {
  format: string;
  keys: { kid: string; state: KeyState; created_at: string; key?: string; wrapped?: string }[];
}

/** Hex digits of a key id. */
const KID_HEX = 12;

/** The key id of a key: 12 hex digits of SHA-256 (no Node crypto loaded for it: bytes.ts). */
export function kidOf(key: Uint8Array): string {
  return sha256Hex(key).slice(0, KID_HEX);
}

/** {@link kidOf} through WebCrypto (no Node crypto loaded). */
export async function kidOfAsync(key: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", key as Uint8Array<ArrayBuffer>);
  return toHex(digest).slice(0, KID_HEX);
}

/** The two files as read: the base key and the keyring's entries with their key bytes. */
interface RingSource {
  base: Uint8Array | null;
  entries: { e: RingFile["keys"][number]; stored: Uint8Array | null; wrapped: string | null }[];
}

/** The keyring file that belongs to a key file. */
export function keyringPathFor(keyPath: string): string {
  return join(dirname(keyPath), KEYRING_FILE);
}

/** True when the home of `keyPath` keeps its key wrapped by Vault (`memoryoss.key.vault`). */
export function isVaultHome(keyPath: string): boolean {
  return readFileOrNull(keyPath + WRAPPED_KEY_SUFFIX) !== null;
}

function locked(path: string, kid: string): MemoryossError {
  return new MemoryossError(
    "INVALID_CONFIG",
    `${path}: key ${kid} is wrapped by Vault and was not unwrapped: check ` +
      '[encryption] provider = "vault" and that this command can reach Vault',
  );
}

/**
 * A home whose key is wrapped by Vault (`memoryoss.key.vault`) never gets a fresh plaintext key:
 * the key is unwrapped only by commands that may reach Vault.
 */
function refuseVaultHomeWithoutKey(keyPath: string): void {
  const wrapped = keyPath + WRAPPED_KEY_SUFFIX;
  if (readFileOrNull(keyPath) !== null || readFileOrNull(wrapped) === null) return;
  throw new MemoryossError(
    "INVALID_CONFIG",
    `this home's key is wrapped by Vault (${wrapped}) and was not unwrapped: check ` +
      '[encryption] provider = "vault" and that this command can reach Vault; no new key was created',
  );
}

/**
 * The keys of one home, loaded synchronously (the store layer is synchronous).
 *
 * @example
 * ```ts
 * const ring = Keyring.load("/home/me/.memoryoss/memoryoss.key");
 * ring.activeKid();
 * ```
 */
export class Keyring {
  readonly keyPath: string;
  readonly ringPath: string;
  #entries: KeyEntry[] = [];

  private constructor(keyPath: string) {
    this.keyPath = keyPath;
    this.ringPath = keyringPathFor(keyPath);
  }

  /** Load `keyPath` and its keyring file (either may be missing). */
  static load(keyPath: string): Keyring {
    const k = new Keyring(keyPath);
    k.reload();
    return k;
  }

  /**
   * Create the key file (32 random bytes, mode 0600) when it does not exist yet, unless the
   * database (`dbPath`, default `memoryoss.db` beside the key) holds sealed values, as
   * `sealedKidOf` (lib/store's `sealedKidInFile`) reads it: then a new key would hide their
   * loss, and INVALID_CONFIG asks for the original key instead.
   */
  static ensureKeyFile(
    keyPath: string,
    sealedKidOf: SealedKidReader,
    dbPath = join(dirname(keyPath), "memoryoss.db"),
  ): void {
    if (providedBaseKey(keyPath)) return; // a key provider holds it (Vault Transit)
    // The usual case: the key is there (linked into place whole). Nothing to write, and no
    // temp file and fsync on every command's start.
    if (pathExistsSync(keyPath)) return;
    refuseVaultHomeWithoutKey(keyPath);
    refuseKeylessSealedHome(keyPath, dbPath, sealedKidOf);
    // Whole or not at all: the key is written to a private temp file and linked into place,
    // so a process starting beside the creator never reads a half-written (empty) key file,
    // and of two creators the first link wins and the other uses its key.
    const tmp = `${keyPath}.${crypto.randomUUID()}.tmp`;
    try {
      const f = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o600 });
      try {
        f.writeSync(crypto.getRandomValues(new Uint8Array(32)));
        f.syncSync();
      } finally {
        f.close();
      }
      Deno.linkSync(tmp, keyPath);
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) return;
      throw new MemoryossError(
        "IO",
        `cannot write key file ${keyPath}: ${(e as Error).message.split(":")[0]}`,
      );
    } finally {
      try {
        Deno.removeSync(tmp);
      } catch { /* never created */ }
    }
  }

  /** Re-read both files (after another process rotated). */
  reload(): void {
    this.#entries = this.#build(this.#read(), kidOf);
  }

  /**
   * {@link load} with the key ids computed through WebCrypto, so loading the keyring loads no
   * Node crypto (start-up paths: `remember`). Later reloads are synchronous.
   */
  static async loadAsync(keyPath: string): Promise<Keyring> {
    const k = new Keyring(keyPath);
    const src = k.#read();
    const kids = new Map<Uint8Array, string>();
    for (const key of [src.base, ...src.entries.map((x) => x.stored)]) {
      if (key && !kids.has(key)) kids.set(key, await kidOfAsync(key));
    }
    k.#entries = k.#build(src, (key) => kids.get(key) ?? kidOf(key));
    return k;
  }

  #read(): RingSource {
    const base = providedBaseKey(this.keyPath) ?? readFileOrNull(this.keyPath);
    if (base && base.length < 16) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        `${this.keyPath} is too short (${base.length} bytes) to derive encryption keys from`,
      );
    }
    const raw = readFileOrNull(this.ringPath);
    let ring: RingFile | null = null;
    if (raw) {
      try {
        ring = JSON.parse(new TextDecoder().decode(raw)) as RingFile;
        if (ring.format !== KEYRING_FORMAT || !Array.isArray(ring.keys)) throw new Error("format");
      } catch {
        throw new MemoryossError("INVALID_CONFIG", `${this.ringPath} is not a memoryoss keyring`);
      }
    }
    const entries = (ring?.keys ?? []).map((e) => ({
      e,
      stored: e.key ? new Uint8Array(Buffer.from(e.key, "base64")) : null,
      wrapped: typeof e.wrapped === "string" ? e.wrapped : null,
    }));
    return { base, entries };
  }

  /** The ring's entries from what {@link #read} read, key ids by `kid` (sync or precomputed). */
  #build(src: RingSource, kid: (key: Uint8Array) => string): KeyEntry[] {
    const { base } = src;
    const baseKid = base ? kid(base) : null;
    const entries: KeyEntry[] = [];
    for (const { e, stored, wrapped: w } of src.entries) {
      const isBase = e.kid === baseKid;
      const wrapped = isBase ? null : w;
      const key = isBase ? base : stored ? stored : wrapped
        ? providedRingKey(this.keyPath, e.kid) // null while Vault has not unwrapped it
        : null;
      if (key && kid(key) !== e.kid) {
        throw new MemoryossError(
          "INVALID_CONFIG",
          `${this.ringPath}: key ${e.kid} does not match its id (damaged keyring)`,
        );
      }
      entries.push({
        kid: e.kid,
        state: e.state,
        created_at: e.created_at,
        base: isBase,
        key,
        wrapped,
      });
    }
    if (base && baseKid && !entries.some((e) => e.kid === baseKid)) {
      // No keyring yet (or it predates this key file): the key file is the active key.
      const anyActive = entries.some((e) => e.state === "active");
      entries.unshift({
        kid: baseKid,
        state: anyActive ? "retiring" : "active",
        created_at: "",
        base: true,
        key: base,
        wrapped: null,
      });
    }
    return entries;
  }

  /** All keys, active first. */
  entries(): KeyEntry[] {
    const order: Record<KeyState, number> = { active: 0, retiring: 1, retired: 2 };
    return [...this.#entries].sort((a, b) => order[a.state] - order[b.state]);
  }

  /**
   * The key new data is sealed with, or null when there is no key at all. A Vault-wrapped
   * active key that was not unwrapped is INVALID_CONFIG (never a silent fallback).
   */
  activeKid(): string | null {
    const active = this.#entries.find((e) => e.state === "active" && (e.key || e.wrapped));
    if (active && !active.key) throw locked(this.ringPath, active.kid);
    return active?.kid ?? null;
  }

  /** Key bytes for a kid, or null when this ring does not hold it (INVALID_CONFIG if locked). */
  keyFor(kid: string): Uint8Array | null {
    const e = this.#entries.find((x) => x.kid === kid);
    if (e && !e.key && e.wrapped) throw locked(this.ringPath, kid);
    return e?.key ?? null;
  }

  /** Kids still needed for reading but no longer used for new data. */
  retiringKids(): string[] {
    return this.#entries.filter((e) => e.state === "retiring" && (e.key || e.wrapped))
      .map((e) => e.kid);
  }

  /**
   * Start a rotation: a new random key becomes active, the previous active key retiring.
   * Written atomically (temporary file, fsync, rename) before any row uses the new key.
   */
  addActiveKey(now: Date): string {
    const { key, wrapped } = this.#newKey();
    const kid = kidOf(key);
    if (wrapped) provideRingKey(this.keyPath, kid, key);
    for (const e of this.#entries) if (e.state === "active") e.state = "retiring";
    this.#entries.push({
      kid,
      state: "active",
      created_at: now.toISOString(),
      base: false,
      key,
      wrapped,
    });
    this.#save();
    return kid;
  }

  /**
   * The next key: random; in a Vault home the one wrapped ahead of the rotation (its plaintext
   * is never written), and none is INVALID_CONFIG.
   */
  #newKey(): { key: Uint8Array; wrapped: string | null } {
    if (!isVaultHome(this.keyPath)) {
      return { key: crypto.getRandomValues(new Uint8Array(32)), wrapped: null };
    }
    const p = takeNewRingKey(this.keyPath);
    if (p) return p;
    throw new MemoryossError(
      "INVALID_CONFIG",
      `this home's keys are wrapped by Vault (${this.keyPath}${WRAPPED_KEY_SUFFIX}): a new key ` +
        "must be wrapped by Vault before it is stored; rotate with 'memoryoss encryption rotate'",
    );
  }

  /**
   * Store these keys (kid → Vault ciphertext) wrapped from now on: their plaintext leaves the
   * keyring file. For keys rotated into a Vault home before rotations wrapped them.
   */
  storeWrapped(wrapped: ReadonlyMap<string, string>): void {
    let changed = false;
    for (const e of this.#entries) {
      const w = wrapped.get(e.kid);
      if (w && !e.base && e.key) {
        e.wrapped = w;
        changed = true;
      }
    }
    if (changed) this.#save();
  }

  /** Mark a key retired and drop its bytes (the base key file itself stays). */
  retire(kid: string): void {
    const e = this.#entries.find((x) => x.kid === kid);
    if (!e || e.state === "active") return;
    e.state = "retired";
    if (!e.base) {
      e.key = null;
      e.wrapped = null;
    }
    this.#save();
  }

  #save(): void {
    const file: RingFile = {
      format: KEYRING_FORMAT,
      keys: this.#entries.map((e) => ({
        kid: e.kid,
        state: e.state,
        created_at: e.created_at,
        ...(e.base
          ? {}
          : e.wrapped
          ? { wrapped: e.wrapped }
          : e.key
          ? { key: Buffer.from(e.key).toString("base64") }
          : {}),
      })),
    };
    const tmp = `${this.ringPath}.tmp-${crypto.randomUUID().slice(0, 8)}`;
    try {
      const f = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o600 });
      try {
        f.writeSync(new TextEncoder().encode(JSON.stringify(file, null, 2) + "\n"));
        f.syncSync();
      } finally {
        f.close();
      }
      Deno.renameSync(tmp, this.ringPath);
    } catch (e) {
      try {
        Deno.removeSync(tmp);
      } catch { /* already gone */ }
      throw new MemoryossError(
        "IO",
        `cannot write ${this.ringPath}: ${(e as Error).message.split(":")[0]}`,
      );
    }
  }
}
