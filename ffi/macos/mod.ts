/**
 * macOS native layer for the report-only relief path: `MacApi` (host_statistics64,
 * sysctlbyname) and the vm_statistics64 / xsw_usage codecs.
 *
 * @example
 * ```ts
 * import { openMacApi } from "./mod.ts";
 * const api = openMacApi();
 * api.close();
 * ```
 *
 * @module
 */
export { type MacApi, openMacApi } from "./bindings.ts";
export * from "./structs.ts";
