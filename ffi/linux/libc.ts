/**
 * libc through `Deno.dlopen`: pidfd_open, process_madvise, file I/O, sync and errno. glibc ≥ 2.36
 * exports the first two; older libcs reach the same kernel entry points through syscall(2)
 * (numbers 434 and 440 are shared by every architecture since Linux 5.1).
 *
 * @module
 */

/** A syscall outcome: `value` is the C return (-1 on failure), `errno` is 0 on success. */
export interface SysResult {
  value: number;
  errno: number;
}

/** The libc calls the Linux relief backend makes. Tests substitute a fake. */
export interface LinuxApi {
  /** pidfd_open(pid, 0). */
  pidfdOpen(pid: number): SysResult;
  /** process_madvise(pidfd, iov, count, advice, 0): bytes advised. */
  processMadvise(pidfd: number, iov: Uint8Array, count: number, advice: number): SysResult;
  closeFd(fd: number): void;
  /** sync(2): write dirty pages back before dropping caches. */
  sync(): void;
  /** open(2) of a NUL-terminated path. */
  open(path: Uint8Array, flags: number, mode: number): SysResult;
  /** read(2) into `buf`: bytes read. */
  read(fd: number, buf: Uint8Array): SysResult;
  /** write(2) of `buf`: bytes written. */
  write(fd: number, buf: Uint8Array): SysResult;
  /** getdents64(2) into `buf`: bytes of linux_dirent64 records. */
  getdents64(fd: number, buf: Uint8Array): SysResult;
  /** readlink(2) of a NUL-terminated path into `buf`: bytes written, no NUL (fakes may omit it). */
  readlink?(path: Uint8Array, buf: Uint8Array): SysResult;
  /** Unload libc. */
  close(): void;
}

/** madvise advice values. */
export const MADV_COLD = 20;
export const MADV_PAGEOUT = 21;

/** errno values the backend tells apart. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EINVAL: 22,
  EROFS: 30,
  ENOSYS: 38,
} as const;

/** open(2) flags (the same on x86_64 and aarch64 for these). */
export const O_FLAGS = {
  RDONLY: 0,
  WRONLY: 1,
  CREAT: 0o100,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  CLOEXEC: 0o2000000,
} as const;

const SYS_PIDFD_OPEN = 434n;
const SYS_PROCESS_MADVISE = 440n;
// getdents64 predates the unified numbering: it differs per architecture.
const SYS_GETDENTS64 = Deno.build.arch === "aarch64" ? 61n : 217n;

const LIBC = {
  pidfd_open: { parameters: ["i32", "u32"], result: "i32", optional: true },
  process_madvise: {
    parameters: ["i32", "buffer", "usize", "i32", "u32"],
    result: "isize",
    optional: true,
  },
  syscall: { parameters: ["i64", "i64", "i64", "i64", "i64", "i64"], result: "i64" },
  close: { parameters: ["i32"], result: "i32" },
  sync: { parameters: [], result: "void" },
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  getdents64: { parameters: ["i32", "buffer", "usize"], result: "isize", optional: true },
  readlink: { parameters: ["buffer", "buffer", "usize"], result: "isize" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

/**
 * Open libc and return the real LinuxApi. Throws when libc cannot be loaded.
 *
 * @example
 * ```ts
 * const api = openLibc();
 * const fd = api.pidfdOpen(Deno.pid);
 * if (fd.value >= 0) api.closeFd(fd.value);
 * api.close();
 * ```
 */
export function openLibc(): LinuxApi {
  let lib: Deno.DynamicLibrary<typeof LIBC>;
  try {
    lib = Deno.dlopen("libc.so.6", LIBC);
  } catch {
    lib = Deno.dlopen("libc.so", LIBC); // musl
  }
  const s = lib.symbols;
  // errno is thread-local; read it right after the failing call, before anything else runs.
  const errno = () => {
    const p = s.__errno_location();
    return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32();
  };
  const result = (v: number | bigint): SysResult => {
    const n = Number(v);
    return { value: n, errno: n < 0 ? errno() : 0 };
  };
  const addr = (buf: Uint8Array) => {
    const p = Deno.UnsafePointer.of(buf as Uint8Array<ArrayBuffer>);
    return p === null ? 0n : Deno.UnsafePointer.value(p);
  };
  return {
    pidfdOpen: (pid) =>
      result(
        s.pidfd_open
          ? s.pidfd_open(pid, 0)
          : s.syscall(SYS_PIDFD_OPEN, BigInt(pid), 0n, 0n, 0n, 0n),
      ),
    processMadvise: (pidfd, iov, count, advice) =>
      result(
        s.process_madvise ? s.process_madvise(pidfd, iov, BigInt(count), advice, 0) : s.syscall(
          SYS_PROCESS_MADVISE,
          BigInt(pidfd),
          addr(iov),
          BigInt(count),
          BigInt(advice),
          0n,
        ),
      ),
    closeFd: (fd) => void s.close(fd),
    sync: () => s.sync(),
    open: (path, flags, mode) => result(s.open(path, flags, mode)),
    read: (fd, buf) => result(s.read(fd, buf, BigInt(buf.byteLength))),
    write: (fd, buf) => result(s.write(fd, buf, BigInt(buf.byteLength))),
    getdents64: (fd, buf) =>
      result(
        s.getdents64
          ? s.getdents64(fd, buf, BigInt(buf.byteLength))
          : s.syscall(SYS_GETDENTS64, BigInt(fd), addr(buf), BigInt(buf.byteLength), 0n, 0n),
      ),
    readlink: (path, buf) => result(s.readlink(path, buf, BigInt(buf.byteLength))),
    close: () => lib.close(),
  };
}
