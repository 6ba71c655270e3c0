/**
 * THE "is something there?" check. Only "not there" answers false (NotFound, or a path through
 * a file, NotADirectory); a refusal (Deno's sandbox or the OS) is the one-line FORBIDDEN error
 * and any other failure an IO error naming the path, so a denied path never reads as missing.
 *
 * @module
 */
import { MemoryossError, permissionError } from "./mod.ts";

/** How to look. */
export interface ExistsOptions {
  /**
   * Follow a symbolic link (stat, the default: a dangling link is not there) or look at the
   * link itself (lstat: a dangling link is there).
   */
  follow?: boolean;
}

/**
 * True when something (file, folder, link, …) is at `path`.
 *
 * @example
 * ```ts
 * if (!await pathExists(home)) console.log("no home yet");
 * ```
 */
export async function pathExists(path: string, opts: ExistsOptions = {}): Promise<boolean> {
  try {
    await (opts.follow === false ? Deno.lstat(path) : Deno.stat(path));
    return true;
  } catch (e) {
    return missing(e, path);
  }
}

/**
 * {@link pathExists} for synchronous code paths (start-up guards).
 *
 * @example
 * ```ts
 * if (pathExistsSync(dbPath)) openDb(dbPath);
 * ```
 */
export function pathExistsSync(path: string, opts: ExistsOptions = {}): boolean {
  try {
    opts.follow === false ? Deno.lstatSync(path) : Deno.statSync(path);
    return true;
  } catch (e) {
    return missing(e, path);
  }
}

/**
 * The bytes of the file at `path`, or null when nothing is there; a refusal is the FORBIDDEN
 * error and any other failure an IO error naming the path, as {@link pathExists}.
 *
 * @example
 * ```ts
 * const key = readFileOrNull(keyPath) ?? createKey(keyPath);
 * ```
 */
export function readFileOrNull(path: string): Uint8Array | null {
  try {
    return Deno.readFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return null;
    throw permissionError(e) ??
      new MemoryossError(
        "IO",
        `cannot read ${path}: ${(e instanceof Error ? e.message : String(e)).split(":")[0]}`,
      );
  }
}

/** False for "not there"; throws the permission or IO error for anything else. */
function missing(e: unknown, path: string): false {
  if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return false;
  throw permissionError(e) ??
    new MemoryossError(
      "IO",
      `cannot check ${path}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`,
    );
}
