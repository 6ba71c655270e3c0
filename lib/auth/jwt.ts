/**
 * HS256 JSON Web Tokens with Web Crypto (RFC 7519 subset): `alg` must be HS256, `exp`, `iss`
 * and `aud` are required, no clock leeway. Claims follow memoryOSS
 * `{sub, role, namespace, exp, iat, iss:"memoryoss", aud:"memoryoss"}` plus `namespaces`
 * (every bound namespace) and `kid` (the API key the token derives from).
 */
import { MemoryossError } from "../errors/mod.ts";
import { base64url, fromBase64url } from "./_encoding.ts";

export const JWT_ISSUER = "memoryoss";
export const JWT_AUDIENCE = "memoryoss";

/** Claims we issue. */
export interface JwtClaims {
  sub: string;
  role: string;
  /** The first bound namespace (memoryOSS clients read this one). */
  namespace: string;
  /** Every bound namespace, or "*". */
  namespaces: "*" | string[];
  /** Issuing API key id. */
  kid: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  jti: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/** Import a raw secret (≥ 32 bytes) as an HMAC-SHA256 key. */
export function importJwtKey(secret: Uint8Array): Promise<CryptoKey> {
  if (secret.length < 32) throw new Error("JWT secret must be at least 32 bytes");
  return crypto.subtle.importKey(
    "raw",
    secret as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** True when `s` has the three-part shape of a compact JWS. */
export function looksLikeJwt(s: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(s);
}

/**
 * Sign claims.
 *
 * @example
 * ```ts
 * const t = await signJwt(key, { sub: "k1", exp: Math.floor(Date.now() / 1000) + 60 });
 * ```
 */
export async function signJwt(key: CryptoKey, claims: Record<string, unknown>): Promise<string> {
  const head = base64url(enc.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const body = base64url(enc.encode(JSON.stringify(claims)));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(`${head}.${body}`)));
  return `${head}.${body}.${base64url(sig)}`;
}

function unauthorized(msg: string): MemoryossError {
  return new MemoryossError("UNAUTHORIZED", msg);
}

function decodeJson(part: string): Record<string, unknown> | null {
  const bytes = fromBase64url(part);
  if (!bytes) return null;
  try {
    const v = JSON.parse(dec.decode(bytes));
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Verify signature, algorithm, issuer, audience and expiry (`nowSec` in seconds). Throws
 * UNAUTHORIZED with a short reason; returns the claims.
 */
export async function verifyJwt(
  key: CryptoKey,
  token: string,
  nowSec: number,
): Promise<Record<string, unknown>> {
  const parts = token.split(".");
  if (parts.length !== 3) throw unauthorized("malformed token");
  const header = decodeJson(parts[0]);
  if (!header || header.alg !== "HS256" || (header.typ !== undefined && header.typ !== "JWT")) {
    throw unauthorized("unsupported token algorithm (HS256 only)");
  }
  const sig = fromBase64url(parts[2]);
  if (!sig || sig.length !== 32) throw unauthorized("invalid token signature");
  const ok = await crypto.subtle.verify(
    "HMAC",
    key,
    sig as Uint8Array<ArrayBuffer>,
    enc.encode(`${parts[0]}.${parts[1]}`),
  );
  if (!ok) throw unauthorized("invalid token signature");
  const claims = decodeJson(parts[1]);
  if (!claims) throw unauthorized("malformed token claims");
  if (typeof claims.exp !== "number") throw unauthorized("token has no expiry");
  if (claims.iss !== JWT_ISSUER || claims.aud !== JWT_AUDIENCE) {
    throw unauthorized("token issuer or audience mismatch");
  }
  if (nowSec >= claims.exp) throw unauthorized("token expired");
  if (typeof claims.iat === "number" && claims.iat > nowSec + 60) {
    throw unauthorized("token issued in the future");
  }
  return claims;
}
