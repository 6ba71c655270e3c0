/**
 * Pick and open the backend for this OS with its real dependencies. A library that will not
 * load is an engine failure (exit 2).
 *
 * @module
 */
import { libcFiles, openLibc } from "../../ffi/linux/mod.ts";
import { openMacApi } from "../../ffi/macos/mod.ts";
import { openWinApi } from "../../ffi/windows/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { errorText } from "./fs.ts";
import { linuxBackend } from "./linux_backend.ts";
import { macBackend } from "./macos_backend.ts";
import { type Backend, systemClock } from "./types.ts";
import { windowsBackend } from "./windows_backend.ts";

/** Options for {@link openBackend}. */
export interface OpenOptions {
  os?: string;
  /** Linux memory.reclaim request in bytes. */
  reclaimBytes?: number;
}

/**
 * The backend for the running OS.
 *
 * @example
 * ```ts
 * const backend = openBackend();
 * try { console.log((await backend.sample()).available); } finally { backend.close(); }
 * ```
 */
export function openBackend(opts: OpenOptions = {}): Backend {
  const os = opts.os ?? Deno.build.os;
  try {
    switch (os) {
      case "linux": {
        // /proc and /sys through libc: Deno allows them only with --allow-all.
        const libc = openLibc();
        const backend = linuxBackend({
          fs: libcFiles(libc),
          libc: () => libc,
          selfPid: Deno.pid,
          clock: systemClock,
          reclaimBytes: opts.reclaimBytes,
        });
        return { ...backend, close: () => libc.close() };
      }
      case "windows":
        return windowsBackend({ api: openWinApi(), clock: systemClock });
      case "darwin":
        return macBackend({ api: openMacApi(), clock: systemClock });
    }
  } catch (e) {
    throw new MemoryossError("UNAVAILABLE", `cannot load the ${os} memory API: ${errorText(e)}`);
  }
  throw new MemoryossError("UNAVAILABLE", `relief does not support ${os}`);
}
