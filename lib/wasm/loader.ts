/**
 * The one way to load a compiled WebAssembly kernel: compiled once per process, instantiated
 * over the caller's memory (imported as `env.mem`), null where WebAssembly or a feature the
 * kernel uses (e.g. SIMD) is unavailable.
 *
 * @module
 */

/** A loader for the kernel exported as `name` by the module in `base64`. */
export function kernelLoader<F>(
  base64: string,
  name: string,
): (memory: WebAssembly.Memory) => F | null {
  let compiled: WebAssembly.Module | null | undefined;
  return (memory) => {
    try {
      if (compiled === undefined) {
        compiled = new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
      }
      if (compiled === null) return null;
      return new WebAssembly.Instance(compiled, { env: { mem: memory } }).exports[name] as F;
    } catch {
      compiled = null; // once failed, the fallback for the rest of the process
      return null;
    }
  };
}
