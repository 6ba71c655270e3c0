/**
 * Generic passthrough for other OpenAI-style paths under `/proxy/v1/` (embeddings, files, …):
 * no memory, same auth, path checked after URL-decoding (no `..`, no `//`), body capped at
 * 1 MiB, 120 s upstream timeout, response streamed back unchanged.
 */
import type { Context } from "hono";
import type { Config } from "../config/mod.ts";
import { isLoopback, resolveOpenAiAuth } from "./auth.ts";
import { clientHost, type ProxyEnv } from "./env.ts";

const MAX_BODY = 1024 * 1024;
const TIMEOUT_MS = 120_000;
const PASS_RESPONSE = /^(content-type|request-id|retry-after|x-ratelimit-.*|openai-.*)$/i;

function openAiError(status: number, message: string, type: string): Response {
  return Response.json({ error: { message, type, code: null } }, { status });
}

/**
 * Forward `c` to `upstream_url` + the part of the path after `/v1`.
 *
 * @example
 * ```ts
 * app.all("/v1/*", (c) => passthrough(c, cfg));
 * ```
 */
export async function passthrough<E extends ProxyEnv>(
  c: Context<E>,
  cfg: Config["proxy"],
): Promise<Response> {
  const auth = resolveOpenAiAuth(cfg, c.req.raw.headers, isLoopback(clientHost(c)));
  if (!auth) return openAiError(401, "invalid or missing proxy API key", "authentication_error");
  const url = new URL(c.req.url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return openAiError(400, "invalid path", "invalid_request_error");
  }
  const at = url.pathname.indexOf("/v1/");
  const rest = at < 0 ? "" : url.pathname.slice(at + 3);
  if (!rest || decoded.includes("..") || decoded.slice(1).includes("//")) {
    return openAiError(400, "invalid path", "invalid_request_error");
  }
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    body = new Uint8Array(await c.req.raw.arrayBuffer());
    if (body.length > MAX_BODY) {
      return openAiError(413, "request body too large", "invalid_request_error");
    }
  }
  const headers: Record<string, string> = { ...auth.headers };
  const ct = c.req.header("content-type");
  if (ct) headers["content-type"] = ct;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), Math.min(TIMEOUT_MS, cfg.upstream_timeout_ms));
  try {
    const up = await fetch(`${cfg.upstream_url.replace(/\/+$/, "")}${rest}${url.search}`, {
      method: c.req.method,
      headers,
      body,
      signal: ctrl.signal,
    });
    const out = new Headers();
    for (const [k, v] of up.headers) if (PASS_RESPONSE.test(k)) out.set(k, v);
    const text = new Uint8Array(await up.arrayBuffer());
    return new Response(text, { status: up.status, headers: out });
  } catch {
    return openAiError(502, "upstream request failed", "upstream_error");
  } finally {
    clearTimeout(timer);
  }
}
