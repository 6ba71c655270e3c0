/**
 * Node's crypto module, loaded on first use. Deno's `node:crypto` polyfill costs ≈ 20 ms of
 * CPU to load (≈ a quarter of `remember`'s whole process, docs/benchmarks.md), so no module
 * imports it statically: the synchronous primitives this folder needs (AES-GCM, HKDF, SHA-256,
 * timing-safe comparison) come from here, and a command that never calls them never loads it.
 * `process.getBuiltinModule` returns the module synchronously, so every sync API stays sync;
 * the global `process` is used rather than an import of `node:process`, which alone would load
 * ≈ 35 Node-compatibility modules at start-up.
 * Paths that must stay light use WebCrypto (`crypto.subtle`, in the runtime) instead.
 *
 * @module
 */
import type * as NodeCrypto from "node:crypto";

let loaded: typeof NodeCrypto | undefined;

/**
 * `node:crypto`, loaded (synchronously) by the first call.
 *
 * @example
 * ```ts
 * nodeCrypto().createHash("sha256").update("abc").digest("hex").slice(0, 8); // "ba7816bf"
 * ```
 */
export function nodeCrypto(): typeof NodeCrypto {
  // deno-lint-ignore no-process-global -- read at first use only (see the module's note)
  return loaded ??= process.getBuiltinModule("node:crypto");
}

/** `node:crypto` when something has loaded it already, else undefined (nothing is loaded). */
export function loadedNodeCrypto(): typeof NodeCrypto | undefined {
  return loaded;
}

/**
 * Load `node:crypto` ahead, by a dynamic import: for a caller that will seal or open anyway
 * (the runtime of `store`, `recall`, `serve`, …). The first {@link nodeCrypto} call then skips
 * `process.getBuiltinModule`, whose require path loads `node:module` and ≈ 10 more Node modules
 * (≈ 2–3 ms of CPU).
 */
export async function preloadNodeCrypto(): Promise<void> {
  loaded ??= await import("node:crypto");
}
