/** zod schemas for the auth surfaces (token exchange, key and token management). */
import { z } from "zod";
import { NamespaceSchema } from "../memory/mod.ts";
import { ROLES } from "./roles.ts";

/** `"*"` or 1..100 namespaces. */
export const ScopeSchema = z.union([
  z.literal("*"),
  z.array(NamespaceSchema).min(1, "give at least one namespace").max(100),
]);

export const TokenRequestSchema = z.strictObject({
  api_key: z.string().min(1).max(512),
  /** Token lifetime; default 3600 s, at most one day. */
  expires_in_secs: z.number().int().min(60).max(86_400).optional(),
});

export const CreateKeyInputSchema = z.strictObject({
  role: z.enum(ROLES),
  /** Bound namespaces (default: the caller's default namespace). */
  namespaces: ScopeSchema.optional(),
  /** memoryOSS-style single namespace; same as `namespaces: [namespace]`. */
  namespace: NamespaceSchema.optional(),
  label: z.string().max(200).optional(),
  expires_in_secs: z.number().int().min(60).max(10 * 365 * 86_400).optional(),
});

export const RotateKeyInputSchema = z.strictObject({
  /** Key to rotate; default the caller's own key. */
  key_id: z.string().regex(/^[0-9a-f]{16}$/, "key_id is 16 hex characters").optional(),
  /** Accepted for memoryOSS compatibility; must be inside the caller's scope. */
  namespace: NamespaceSchema.optional(),
  /** How long the old key keeps working (default 86400, 0 = stop now). */
  grace_period_secs: z.number().int().min(0).max(30 * 86_400).optional(),
});

export const MintTokenInputSchema = z.strictObject({
  role: z.enum(ROLES),
  namespace: NamespaceSchema.optional(),
  namespaces: ScopeSchema.optional(),
  /** Default 86400, at most 30 days. */
  expires_in_secs: z.number().int().min(60).max(30 * 86_400).optional(),
});
