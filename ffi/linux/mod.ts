/**
 * Linux native layer for RAM relief: pure /proc parsers, the /proc/<pid>/maps → iovec codec,
 * libc bindings (pidfd_open, process_madvise, file I/O) behind the `LinuxApi` interface,
 * /proc and /sys access through libc (Deno gates those paths behind --allow-all), and the
 * page-out driver.
 *
 * @example
 * ```ts
 * import { parseMeminfo } from "./mod.ts";
 * const mem = parseMeminfo(await Deno.readTextFile("/proc/meminfo"));
 * console.log(mem.MemAvailable);
 * ```
 *
 * @module
 */
export * from "./procfs.ts";
export * from "./maps.ts";
export {
  ERRNO,
  type LinuxApi,
  MADV_COLD,
  MADV_PAGEOUT,
  O_FLAGS,
  openLibc,
  type SysResult,
} from "./libc.ts";
export {
  decodeDirents,
  type DirEntry,
  errnoError,
  type LibcFiles,
  libcFiles,
  type LibcFilesSync,
  libcFilesSync,
} from "./files.ts";
export { pageoutRanges, type PageoutResult } from "./pageout.ts";
