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
  Grant,
  GrantInputSchema,
  readSharing,
  Share,
  type ShareCap,
  ShareInputSchema,
  SHARING_FILE,
  SHARING_FORMAT,
  type SharingFile,
  SharingRegistry,
  writeSharing,
} from "./registry.ts";
export { checkWebhookUrl, deliverWebhook, isPrivateAddress } from "./webhook.ts";
