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
} from "./roles.ts";
export {
  type ApiKeyInfo,
  createApiKey,
  getApiKey,
  keyIdFor,
  listApiKeys,
  revokeKey,
  rotateApiKey,
  touchApiKey,
} from "./keys.ts";
export { importJwtKey, signJwt } from "./jwt.ts";
export { loadJwtSecret } from "./secret.ts";
export { Authenticator } from "./authenticator.ts";
export { adminKeyPath, ensureAdminKey } from "./bootstrap.ts";
export {
  CreateKeyInputSchema,
  MintTokenInputSchema,
  RotateKeyInputSchema,
  ScopeSchema,
  TokenRequestSchema,
} from "./schemas.ts";
