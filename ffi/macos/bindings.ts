/**
 * libSystem through `Deno.dlopen`: host_statistics64 and sysctlbyname, behind `MacApi`.
 *
 * @module
 */
import { HOST_VM_INFO64 } from "./structs.ts";

/** The macOS calls the snapshot makes. Tests substitute a fake. */
export interface MacApi {
  /** host_statistics64(mach_host_self(), HOST_VM_INFO64, buf, &count) → kern_return_t. */
  hostVmInfo64(buf: Uint8Array, count: Uint8Array): number;
  /** sysctlbyname(name, out, &len, NULL, 0) → 0 or -1; `len` is a size_t cell. */
  sysctlByName(name: string, out: Uint8Array, len: Uint8Array): number;
  close(): void;
}

const LIBSYSTEM = {
  mach_host_self: { parameters: [], result: "u32" },
  host_statistics64: { parameters: ["u32", "i32", "buffer", "buffer"], result: "i32" },
  sysctlbyname: { parameters: ["buffer", "buffer", "buffer", "pointer", "usize"], result: "i32" },
} as const;

/**
 * Open libSystem and return the real MacApi.
 *
 * @example
 * ```ts
 * const api = openMacApi();
 * api.close();
 * ```
 */
export function openMacApi(): MacApi {
  const lib = Deno.dlopen("/usr/lib/libSystem.B.dylib", LIBSYSTEM);
  const s = lib.symbols;
  const host = s.mach_host_self();
  const cstr = (t: string) => new TextEncoder().encode(`${t}\0`);
  return {
    hostVmInfo64: (buf, count) => s.host_statistics64(host, HOST_VM_INFO64, buf, count),
    sysctlByName: (name, out, len) => s.sysctlbyname(cstr(name), out, len, null, 0n),
    close: () => lib.close(),
  };
}
