/**
 * The JWT signing secret: `MEMORYOSS_JWT_SECRET` (≥ 32 characters) when set, else the config's
 * `[auth] jwt_secret`, else derived from the home's `memoryoss.key` with HKDF-SHA256, so tokens
 * survive restarts without any config.
 */
import { MemoryossError } from "../errors/mod.ts";
import { providedBaseKey } from "../crypto/mod.ts";

const enc = new TextEncoder();

/** Where the secret came from, for the start-up line. */
export type SecretSource = "env" | "config" | "key_file" | "ephemeral";

/**
 * Load or derive the secret; `configured` is `[auth] jwt_secret` (validated ≥ 32 characters
 * by the config schema, "" when unset).
 *
 * @example
 * ```ts
 * const { secret } = await loadJwtSecret(rt.loaded.keyPath, undefined, rt.config.auth.jwt_secret);
 * ```
 */
export async function loadJwtSecret(
  keyPath: string,
  env: (k: string) => string | undefined = (k) => Deno.env.get(k),
  configured = "",
): Promise<{ secret: Uint8Array; source: SecretSource }> {
  const fromEnv = env("MEMORYOSS_JWT_SECRET");
  if (fromEnv !== undefined && fromEnv !== "") {
    if (fromEnv.length < 32) {
      throw new MemoryossError(
        "INVALID_CONFIG",
        "MEMORYOSS_JWT_SECRET must be at least 32 characters",
      );
    }
    return { secret: enc.encode(fromEnv), source: "env" };
  }
  if (configured.length >= 32) return { secret: enc.encode(configured), source: "config" };
  let master: Uint8Array;
  try {
    // A key provider (Vault Transit) may hold the key in memory instead of the file.
    master = providedBaseKey(keyPath) ?? await Deno.readFile(keyPath);
  } catch {
    return { secret: crypto.getRandomValues(new Uint8Array(32)), source: "ephemeral" };
  }
  if (master.length < 16) {
    return { secret: crypto.getRandomValues(new Uint8Array(32)), source: "ephemeral" };
  }
  const ikm = await crypto.subtle.importKey(
    "raw",
    master as Uint8Array<ArrayBuffer>,
    "HKDF",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: enc.encode("memoryoss-jwt-v1"),
      info: enc.encode("hs256"),
    },
    ikm,
    256,
  );
  return { secret: new Uint8Array(bits), source: "key_file" };
}
