/**
 * Error bodies: `{"error": {"code", "message", "path"}}` with the status of the code
 * (`httpStatusFor`). Unexpected failures are logged with the request id and answered with a
 * generic 500 that reveals nothing.
 */
import type { Context } from "hono";
import { httpStatusFor, MemoryossError } from "../errors/mod.ts";
import type { AppEnv, LogLevel } from "./context.ts";

/** The JSON error body. */
export interface ErrorBody {
  error: { code: string; message: string; path: (string | number)[]; retry_after_ms?: number };
}

/** A MemoryossError that also carries how long to wait (429/503). */
export class RetryableError extends MemoryossError {
  readonly retryAfterMs: number;
  constructor(code: "RATE_LIMITED" | "UNAVAILABLE", message: string, retryAfterMs: number) {
    super(code, message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Classify an unknown error: our errors as they are, SQLite lock timeouts as UNAVAILABLE. */
export function asMemoryossError(e: unknown): MemoryossError | null {
  if (e instanceof MemoryossError) return e;
  const msg = e instanceof Error ? e.message : "";
  if (/database is locked|SQLITE_BUSY/i.test(msg)) {
    return new RetryableError("UNAVAILABLE", "the database is busy; retry shortly", 1000);
  }
  return null;
}

/** The response for an error. */
export function errorResponse(
  c: Context<AppEnv>,
  e: unknown,
  log: (level: LogLevel, line: string) => void,
): Response {
  const known = asMemoryossError(e);
  if (!known) {
    const id = c.get("requestId") ?? "-";
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log("error", `req=${id} internal error: ${detail}`);
    return c.json(
      { error: { code: "INTERNAL", message: "internal server error", path: [] } } as ErrorBody,
      500,
    );
  }
  const status = httpStatusFor(known.code);
  const body: ErrorBody = {
    error: { code: known.code, message: known.message, path: known.path },
  };
  if (known instanceof RetryableError || known.code === "RATE_LIMITED") {
    const ms = known instanceof RetryableError ? known.retryAfterMs : 1000;
    body.error.retry_after_ms = ms;
    c.header("Retry-After", String(Math.max(1, Math.ceil(ms / 1000))));
  }
  if (known.code === "UNAUTHORIZED") c.header("WWW-Authenticate", 'Bearer realm="memoryoss"');
  // deno-lint-ignore no-explicit-any
  return c.json(body, status as any);
}
