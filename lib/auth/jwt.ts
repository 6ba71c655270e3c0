/**
 * HS256 JSON Web Tokens (RFC 7519) through `jose`: `alg` must be HS256, `exp`, `iss` and `aud`
 * are required, no clock leeway. Claims follow memoryOSS
 * `{sub, role, namespace, exp, iat, iss:"memoryoss", aud:"memoryoss"}` plus `namespaces`
 * (every bound namespace) and `kid` (the API key the token derives from).
 */
import { CompactSign, errors, jwtVerify } from "jose";
import { MemoryossError } from "../errors/mod.ts";

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
 * Sign claims: the header is `{"alg":"HS256","typ":"JWT"}`, the payload the claims' JSON.
 *
 * @example
 * ```ts
 * const t = await signJwt(key, { sub: "k1", exp: Math.floor(Date.now() / 1000) + 60 });
 * ```
 */
export async function signJwt(key: CryptoKey, claims: Record<string, unknown>): Promise<string> {
  return await new CompactSign(enc.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(key);
}

function unauthorized(msg: string): MemoryossError {
  return new MemoryossError("UNAUTHORIZED", msg);
}

/** jose's verdict as our short reason. */
function reason(e: unknown): string {
  if (e instanceof errors.JWTExpired) return "token expired";
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "exp") return "token has no expiry";
    if (e.claim === "iss" || e.claim === "aud") return "token issuer or audience mismatch";
    return `invalid token claim ${e.claim}`;
  }
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) {
    return "unsupported token algorithm (HS256 only)";
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) return "invalid token signature";
  if (e instanceof errors.JWTInvalid) return "malformed token claims";
  return "malformed token";
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
  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    verified = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      requiredClaims: ["exp"],
      currentDate: new Date(nowSec * 1000),
    });
  } catch (e) {
    throw unauthorized(reason(e));
  }
  const { payload, protectedHeader } = verified;
  if (protectedHeader.typ !== undefined && protectedHeader.typ !== "JWT") {
    throw unauthorized("unsupported token type (JWT only)");
  }
  if (typeof payload.iat === "number" && payload.iat > nowSec + 60) {
    throw unauthorized("token issued in the future");
  }
  return payload as Record<string, unknown>;
}
