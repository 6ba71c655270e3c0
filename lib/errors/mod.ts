/**
 * One error type for every surface. Each surface (HTTP, MCP, CLI) maps the stable `code`
 * once: an HTTP status, an MCP tool error, a CLI exit code. No surface invents its own text.
 *
 * @module
 */

/** Stable error codes; part of the public contract (HTTP bodies, CLI `--json` errors). */
type ErrorCode =
  | "INVALID_INPUT"
  | "INVALID_CONFIG"
  | "NOT_FOUND"
  | "CONFLICT"
  | "UNAUTHORIZED"
  | "FORBIDDEN_NAMESPACE"
  | "FORBIDDEN"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTEGRITY"
  | "IO"
  | "INTERNAL";

/**
 * An expected failure with a stable code and a one-line message meant for a person.
 *
 * @example
 * ```ts
 * throw new MemoryossError("INVALID_INPUT", "content must not be empty", ["content"]);
 * ```
 */
export class MemoryossError extends Error {
  readonly code: ErrorCode;
  /** Where in the input the problem is (a zod-style path), when it is about input. */
  readonly path: (string | number)[];

  constructor(code: ErrorCode, message: string, path: (string | number)[] = []) {
    super(message);
    this.name = "MemoryossError";
    this.code = code;
    this.path = path;
  }
}

/** CLI exit code for an error code: 3 for caller mistakes, 2 for operational failures. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case "INVALID_INPUT":
    case "INVALID_CONFIG":
    case "PAYLOAD_TOO_LARGE": // input over a limit is the caller's to fix (413 over HTTP)
      return 3;
    case "NOT_FOUND":
    case "CONFLICT":
      return 4;
    case "UNAUTHORIZED":
    case "FORBIDDEN":
    case "FORBIDDEN_NAMESPACE":
      return 5;
    default:
      return 2;
  }
}

/** HTTP status for an error code. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case "INVALID_INPUT":
    case "INVALID_CONFIG":
      return 400;
    case "UNAUTHORIZED":
      return 401;
    case "FORBIDDEN":
    case "FORBIDDEN_NAMESPACE":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "CONFLICT":
      return 409;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "RATE_LIMITED":
      return 429;
    case "UNAVAILABLE":
      return 503;
    default:
      return 500;
  }
}

/**
 * A refusal as one FORBIDDEN error, or null for any other error. Deno's sandbox ("Requires read
 * access to "/x", run again with …") becomes "permission denied: <who> does not hold read
 * access to "/x" (see the permission table in the README)"; the OS's refusal keeps its first line.
 *
 * @example
 * ```ts
 * permissionError(new Deno.errors.NotCapable('Requires read access to "/x", run again'))?.message;
 * // 'permission denied: this command does not hold read access to "/x" (see the permission table in the README)'
 * ```
 */
export function permissionError(e: unknown, who = "this command"): MemoryossError | null {
  if (e instanceof Deno.errors.NotCapable) {
    const m = /Requires (\S+) access(?: to (.+?))?(?:, run again| \(|$)/.exec(e.message);
    const access = m ? `${m[1]} access${m[2] ? ` to ${m[2]}` : ""}` : e.message.split(",")[0];
    return new MemoryossError(
      "FORBIDDEN",
      `permission denied: ${who} does not hold ${access} (see the permission table in the README)`,
    );
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return new MemoryossError("FORBIDDEN", `permission denied: ${e.message.split("\n")[0]}`);
  }
  return null;
}

export { pathExists, pathExistsSync, readFileOrNull } from "./exists.ts";
