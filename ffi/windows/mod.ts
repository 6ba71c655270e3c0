/**
 * Windows native layer for RAM relief: the `WinApi` interface, its `Deno.dlopen`
 * implementation and pure-TypeScript struct codecs (x64 layouts, specs/memoria.md §2.2).
 *
 * @example
 * ```ts
 * import { decodeMemoryStatusEx, encodeMemoryStatusEx, openWinApi } from "./mod.ts";
 * const api = openWinApi();
 * const buf = encodeMemoryStatusEx();
 * if (api.globalMemoryStatusEx(buf)) console.log(decodeMemoryStatusEx(buf).availPhys);
 * ```
 *
 * @module
 */
export type { Handle, WinApi } from "./api.ts";
export { openWinApi } from "./bindings.ts";
export * from "./constants.ts";
export * from "./structs_memory.ts";
export * from "./structs_process.ts";
export { fromUtf16, utf16z } from "./_codec.ts";
