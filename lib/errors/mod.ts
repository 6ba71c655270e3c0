/**
 * One error type for every surface. Each surface (HTTP, MCP, CLI) maps the stable `code`
 * once: an HTTP status, an MCP tool error, a CLI exit code. No surface invents its own text.
 *
 * @module
 */

/** Stable error codes; part of the public contract (HTTP bodies, CLI `--json` errors). */
export type ErrorCode =
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
