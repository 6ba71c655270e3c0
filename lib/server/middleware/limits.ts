/**
 * Limits: per-key (or per-address) token-bucket rate limiting with `Retry-After`, and the
 * request body reader: size cap (413), strict UTF-8, JSON object bodies within the document
 * depth limit and with well-formed strings (400; the lib/memory input checks every door uses).
 * Bodies are parsed whatever the Content-Type, so `curl -d '{…}'` works.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MemoryossError } from "../../errors/mod.ts";
import { checkJsonInput, decodeUtf8, MAX_DOCUMENT_DEPTH } from "../../memory/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { RetryableError } from "../errors.ts";
import type { RateLimiter } from "../rate_limit.ts";

function limited(limiter: RateLimiter, key: string): void {
  const r = limiter.take(key);
  if (!r.ok) {
    throw new RetryableError(
      "RATE_LIMITED",
      `rate limit exceeded (${limiter.rate} requests/s); retry after ${r.retryAfterMs} ms`,
      r.retryAfterMs,
    );
  }
}

/** One bucket per API key (tokens share their key's bucket). */
export function rateLimitByKey(state: ServerState): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    limited(state.limiter, c.get("principal").key_id);
    await next();
  };
}

/** One bucket per client address, for unauthenticated routes. */
export function rateLimitByAddress(state: ServerState): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    limited(state.ipLimiter, c.env?.remoteAddr?.hostname ?? "unknown");
    await next();
  };
}

function tooLarge(max: number): MemoryossError {
  return new MemoryossError(
    "PAYLOAD_TOO_LARGE",
    `request body is larger than ${max} bytes (server.max_body_bytes)`,
  );
}

/**
 * Read a request body: at most `max` bytes, valid UTF-8, a JSON object. An empty body is `{}`.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(req, 2 * 1024 * 1024);
 * ```
 */
export async function readJsonBody(req: Request, max: number): Promise<unknown> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > max) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge(max);
  }
  if (!req.body) return {};
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  if (total === 0) return {};
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  const text = decodeUtf8(bytes, "request body");
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `request body is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MemoryossError("INVALID_INPUT", "request body must be a JSON object");
  }
  checkJsonInput(value, [], { maxDepth: MAX_DOCUMENT_DEPTH, label: "request body" });
  return value;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Parse the body of POST/PUT/PATCH/DELETE into `c.var.body`: Hono's `bodyLimit` caps the
 * size (413 in our error shape), {@link readJsonBody} checks UTF-8 and the JSON object.
 */
export function jsonBody(state: ServerState): MiddlewareHandler<AppEnv> {
  const max = state.maxBodyBytes;
  const cap = bodyLimit({
    maxSize: max,
    onError: async (c) => {
      await c.req.raw.body?.cancel().catch(() => {});
      throw tooLarge(max);
    },
  });
  return async (c, next) => {
    if (!BODY_METHODS.has(c.req.method)) return await next();
    await cap(c, async () => {
      c.set("body", await readJsonBody(c.req.raw, max));
      await next();
    });
  };
}
