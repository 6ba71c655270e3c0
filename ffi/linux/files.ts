/**
 * /proc and /sys file access through libc. Deno 2.9 refuses every /proc and /sys path unless
 * the process holds --allow-all (it reports "Requires all access"), so under the per-command
 * permission narrowing relief reads and writes them with open/read/write/getdents64 instead.
 * relief already holds `ffi`, which is native access by definition.
 *
 * @module
 */
import { ERRNO, type LinuxApi, O_FLAGS } from "./libc.ts";

const CODES: Record<number, string> = {
  1: "EPERM",
  2: "ENOENT",
  3: "ESRCH",
  4: "EINTR",
  5: "EIO",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  16: "EBUSY",
  20: "ENOTDIR",
  21: "EISDIR",
  22: "EINVAL",
  30: "EROFS",
};

/**
 * An Error for an errno, shaped like Deno's own (NotFound / PermissionDenied, with `code`).
 *
 * @example
 * ```ts
 * errnoError(2, "open /proc/x").code; // "ENOENT"
 * ```
 */
export function errnoError(errno: number, what: string): Error & { code: string } {
  const code = CODES[errno] ?? `E${errno}`;
  const msg = `${what}: ${code} (os error ${errno})`;
  const e = errno === ERRNO.ENOENT || errno === ERRNO.ESRCH
    ? new Deno.errors.NotFound(msg)
    : errno === ERRNO.EACCES || errno === ERRNO.EPERM
    ? new Deno.errors.PermissionDenied(msg)
    : new Error(msg);
  return Object.assign(e, { code });
}

/** One linux_dirent64 record. */
export interface DirEntry {
  name: string;
  type: number;
}

/**
 * Decode `length` bytes of linux_dirent64 records (d_ino u64@0, d_off i64@8, d_reclen u16@16,
 * d_type u8@18, d_name NUL-terminated @19).
 *
 * @example
 * ```ts
 * decodeDirents(buf, n).map((e) => e.name);
 * ```
 */
export function decodeDirents(buf: Uint8Array, length: number): DirEntry[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dec = new TextDecoder();
  const out: DirEntry[] = [];
  for (let at = 0; at + 19 < length;) {
    const reclen = v.getUint16(at + 16, true);
    if (reclen === 0) break;
    let end = at + 19;
    while (end < at + reclen && buf[end] !== 0) end++;
    out.push({ name: dec.decode(buf.subarray(at + 19, end)), type: buf[at + 18] });
    at += reclen;
  }
  return out;
}

const cstr = (s: string) => new TextEncoder().encode(`${s}\0`);

/** File access through libc, shaped like relief's `FsLike`. */
export interface LibcFiles {
  readText(path: string): Promise<string>;
  writeText(
    path: string,
    text: string,
    opts?: { append?: boolean; create?: boolean },
  ): Promise<void>;
  readDir(path: string): Promise<string[]>;
}

/** The same reads, synchronous, plus readlink (what the memory lane's /proc scan needs). */
export interface LibcFilesSync {
  readText(path: string): string;
  /** Entry names without `.` and `..`. */
  readDir(path: string): string[];
  /** The target of a symlink (e.g. `/proc/<pid>/fd/<n>`). */
  readLink(path: string): string;
  writeText(path: string, text: string, opts?: { append?: boolean; create?: boolean }): void;
}

/**
 * Read, write and list files with libc calls (no Deno permission checks apply), synchronously.
 *
 * @example
 * ```ts
 * libcFilesSync(openLibc()).readLink("/proc/self/fd/0"); // "/dev/null"
 * ```
 */
export function libcFilesSync(api: LinuxApi): LibcFilesSync {
  function open(path: string, flags: number): number {
    for (;;) {
      const r = api.open(cstr(path), flags | O_FLAGS.CLOEXEC, 0o644);
      if (r.value >= 0) return r.value;
      if (r.errno !== ERRNO.EINTR) throw errnoError(r.errno, `open ${path}`);
    }
  }
  /** Run `fn` on an open descriptor and always close it. */
  function withFd<T>(path: string, flags: number, fn: (fd: number) => T): T {
    const fd = open(path, flags);
    try {
      return fn(fd);
    } finally {
      api.closeFd(fd);
    }
  }
  return {
    readText: (path) =>
      withFd(path, O_FLAGS.RDONLY, (fd) => {
        const chunks: Uint8Array[] = [];
        const buf = new Uint8Array(65536);
        for (;;) {
          const r = api.read(fd, buf);
          if (r.value < 0 && r.errno === ERRNO.EINTR) continue;
          if (r.value < 0) throw errnoError(r.errno, `read ${path}`);
          if (r.value === 0) break;
          chunks.push(buf.slice(0, r.value));
        }
        const all = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        return new TextDecoder().decode(all);
      }),
    writeText: (path, text, opts) =>
      withFd(
        path,
        O_FLAGS.WRONLY | (opts?.create === false ? 0 : O_FLAGS.CREAT) |
          (opts?.append ? O_FLAGS.APPEND : O_FLAGS.TRUNC),
        (fd) => {
          // sysfs and procfs knobs take one write; a short write is not retried.
          const r = api.write(fd, new TextEncoder().encode(text));
          if (r.value < 0) throw errnoError(r.errno, `write ${path}`);
        },
      ),
    readDir: (path) =>
      withFd(path, O_FLAGS.RDONLY, (fd) => {
        const names: string[] = [];
        const buf = new Uint8Array(32768);
        for (;;) {
          const r = api.getdents64(fd, buf);
          if (r.value < 0) throw errnoError(r.errno, `readdir ${path}`);
          if (r.value === 0) return names;
          for (const e of decodeDirents(buf, r.value)) {
            if (e.name !== "." && e.name !== "..") names.push(e.name);
          }
        }
      }),
    readLink: (path) => {
      if (!api.readlink) throw new Error(`readlink ${path}: not available`);
      const buf = new Uint8Array(4096); // PATH_MAX
      const r = api.readlink(cstr(path), buf);
      if (r.value < 0) throw errnoError(r.errno, `readlink ${path}`);
      return new TextDecoder().decode(buf.subarray(0, r.value));
    },
  };
}

/**
 * Read, write and list files with libc calls (no Deno permission checks apply).
 *
 * @example
 * ```ts
 * const files = libcFiles(openLibc());
 * const text = await files.readText("/proc/meminfo");
 * ```
 */
export function libcFiles(api: LinuxApi): LibcFiles {
  const sync = libcFilesSync(api);
  /** A rejected promise rather than a throw, as the async callers expect. */
  const later = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    readText: (path) => later(() => sync.readText(path)),
    writeText: (path, text, opts) => later(() => sync.writeText(path, text, opts)),
    readDir: (path) => later(() => sync.readDir(path)),
  };
}
