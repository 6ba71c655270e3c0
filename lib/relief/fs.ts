/**
 * The real `FsLike` and the error classification every backend shares.
 *
 * @module
 */
import type { FsLike } from "./types.ts";

/**
 * Deno's file system as `FsLike`.
 *
 * @example
 * ```ts
 * const text = await realFs.readText("/proc/meminfo");
 * ```
 */
export const realFs: FsLike = {
  readText: (path) => Deno.readTextFile(path),
  writeText: (path, text, opts) =>
    Deno.writeTextFile(path, text, {
      append: opts?.append ?? false,
      create: opts?.create ?? true,
      ...(opts?.mode === undefined ? {} : { mode: opts.mode }),
    }),
  readDir: async (path) => {
    const out: string[] = [];
    for await (const e of Deno.readDir(path)) out.push(e.name);
    return out;
  },
};

/** The kinds of file errors the backends branch on. */
export type FsErrorKind = "not_found" | "denied" | "again" | "other";

/**
 * Classify a file error by its errno code (EACCES/EPERM → denied, EAGAIN → again, …).
 *
 * @example
 * ```ts
 * fsErrorKind(new Deno.errors.NotFound("x")); // "not_found"
 * ```
 */
export function fsErrorKind(e: unknown): FsErrorKind {
  if (e instanceof Deno.errors.NotFound) return "not_found";
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return "denied";
  }
  const code = (e as { code?: string })?.code;
  if (code === "ENOENT" || code === "ESRCH") return "not_found";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "denied";
  if (code === "EAGAIN" || code === "EBUSY") return "again";
  return "other";
}

/** A short, one-line description of an error for notes. */
export function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}
