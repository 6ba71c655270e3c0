/**
 * Compiled WebAssembly kernels. Each kernel ships as base64 in a generated file beside its
 * `.wat` source (dots_wasm.ts here, lib/embed/word_index_wasm.ts) and loads through
 * {@link kernelLoader} (loader.ts). The dot product kernel (dots.wat) is the one vector scan of
 * lib/recall's index and of the engines' `nearest` index (lib/store/engine/vector_rows.ts, over
 * {@link DotRows}).
 *
 * @module
 */
export { kernelLoader } from "./loader.ts";
export { dotsKernel } from "./dots_wasm.ts";
export { DotRows } from "./dot_rows.ts";
