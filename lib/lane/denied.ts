/**
 * Permission refusals inside the lane. A refusal must never read as "nothing there": each one
 * becomes a FORBIDDEN MemoryossError (exit 5) that names the access and the command, so a
 * narrowed `memoryoss lane` fails loudly instead of listing no processes.
 */
import { MemoryossError } from "../errors/mod.ts";

/**
 * True for a refusal by Deno's sandbox (`NotCapable`) or by the OS (`PermissionDenied`).
 *
 * @example
 * ```ts
 * isDenial(new Deno.errors.NotCapable("Requires run access")); // true
 * ```
 */
export function isDenial(e: unknown): boolean {
  return e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied;
}

/**
 * The FORBIDDEN error for a refusal met while doing `what`.
 *
 * @example
 * ```ts
 * deniedError(new Deno.errors.NotCapable('Requires all access to "/proc", run again …'),
 *   "list processes").message;
 * // 'permission denied: memoryoss lane cannot list processes: Deno refused all access to …'
 * ```
 */
export function deniedError(e: unknown, what: string): MemoryossError {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof Deno.errors.NotCapable) {
    const m = /Requires (\S+) access(?: to (.+?))?(?:, run again| \(|$)/.exec(msg);
    const access = m ? `${m[1]} access${m[2] ? ` to ${m[2]}` : ""}` : msg.split(",")[0];
    const err = new MemoryossError(
      "FORBIDDEN",
      `permission denied: memoryoss lane cannot ${what}: Deno refused ${access} ` +
        `(it holds ${held()}; see the README's permission table)`,
    );
    sandboxed.add(err);
    return err;
  }
  return new MemoryossError(
    "FORBIDDEN",
    `permission denied: memoryoss lane cannot ${what}: ${msg.split("\n")[0]}`,
  );
}

const sandboxed = new WeakSet<Error>();

/**
 * True for a raw `NotCapable` or a {@link deniedError} made from one: the permission set
 * itself is wrong, so retrying (the next tick) cannot help.
 *
 * @example
 * ```ts
 * fromSandbox(deniedError(new Deno.errors.NotCapable("x"), "read")); // true
 * ```
 */
export function fromSandbox(e: unknown): boolean {
  return e instanceof Deno.errors.NotCapable || (e instanceof Error && sandboxed.has(e));
}

/**
 * Rethrow a refusal as {@link deniedError}; return quietly for anything else.
 *
 * @example
 * ```ts
 * try { Deno.readTextFileSync(path); } catch (e) { rethrowDenied(e, `read ${path}`); }
 * ```
 */
export function rethrowDenied(e: unknown, what: string): void {
  if (e instanceof MemoryossError && e.code === "FORBIDDEN") throw e;
  if (isDenial(e)) throw deniedError(e, what);
}

/**
 * A `.catch` handler: a refusal is rethrown, any other error becomes `fallback`.
 *
 * @example
 * ```ts
 * const text = await Deno.readTextFile(p).catch(unlessDenied(null, `read ${p}`));
 * ```
 */
export function unlessDenied<T>(fallback: T, what: string): (e: unknown) => T {
  return (e) => {
    rethrowDenied(e, what);
    return fallback;
  };
}

const CATEGORIES = ["read", "write", "env", "net", "sys", "ffi", "run"] as const;

/** The permission categories this process holds, e.g. "read, write, env, net, run". */
function held(): string {
  const on = CATEGORIES.filter((name) => Deno.permissions.querySync({ name }).state === "granted");
  return on.length ? on.join(", ") : "no permissions";
}
