/**
 * Authentication and authorization for the HTTP API: hashed API keys, HS256 JWTs, roles
 * (reader < writer < admin) and namespace scopes.
 *
 * @module
 */
export {
  defaultNamespace,
  isSubScope,
  type Principal,
  requireRole,
  resolveNamespace,
  resolveReadNamespace,
  type Role,
  roleAllows,
  ROLES,
  type Scope,
  scopeIncludes,
} from "./roles.ts";
export {
  type ApiKeyInfo,
  countKeys,
  createApiKey,
  findApiKey,
  generateApiKey,
  getApiKey,
  keyIdFor,
  listApiKeys,
  type NewKey,
  revokeApiKey,
  revokeKey,
  type RevokeKeyOptions,
  rotateApiKey,
  touchApiKey,
} from "./keys.ts";
export { importJwtKey, JWT_AUDIENCE, JWT_ISSUER, looksLikeJwt, signJwt, verifyJwt } from "./jwt.ts";
export { loadJwtSecret, type SecretSource } from "./secret.ts";
export { Authenticator, type AuthenticatorOptions, type IssuedToken } from "./authenticator.ts";
export { StaticKeys, type StaticKeySpec } from "./static_keys.ts";
export { adminKeyPath, type BootstrapResult, ensureAdminKey } from "./bootstrap.ts";
export {
  CreateKeyInputSchema,
  MintTokenInputSchema,
  RotateKeyInputSchema,
  ScopeSchema,
  TokenRequestSchema,
} from "./schemas.ts";
