/**
 * Shared namespaces: one namespace made readable (never writable) for keys bound to another,
 * with an optional webhook told about every store (memoryOSS `[sharing]`, §2.4).
 *
 * @example
 * ```ts
 * import { SharingRegistry } from "./lib/sharing/mod.ts";
 * const reg = await SharingRegistry.open(home);
 * reg.readableBy(["team-b"], new Date()); // ["team-a"] when team-a is shared with team-b
 * ```
 *
 * @module
 */
export {
  addGrant,
  addShare,
  GrantInputSchema,
  ShareInputSchema,
  SharingRegistry,
} from "./registry.ts";
export { checkWebhookUrl, deliverWebhook } from "./webhook.ts";
