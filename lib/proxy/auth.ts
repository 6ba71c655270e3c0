/**
 * Upstream credentials (memoryOSS §3.2). A client key found in `proxy.key_mapping` selects a
 * namespace and the upstream key to use. Any other credential is forwarded only when
 * `passthrough_auth` is on and (`passthrough_local_only` is off or the client is on
 * loopback); otherwise the request is refused. The socket address decides what loopback is:
 * `X-Forwarded-For` is not trusted.
 */
import { createHash } from "node:crypto";
import { constantTimeEqual } from "../crypto/mod.ts";
import type { Config } from "../config/mod.ts";

type ProxyConfig = Config["proxy"];

/** How a request authenticates upstream. */
export interface UpstreamAuth {
  /** Namespace memories are recalled from and extracted into. */
  namespace: string;
  /** Headers to send upstream (authorization and, for Anthropic, version/beta). */
  headers: Record<string, string>;
  via: "mapping" | "passthrough" | "oauth";
}

const PASSTHROUGH_NAMESPACE = "default";

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** The mapping entry for `key`, compared in constant time over SHA-256 digests. */
export function findMapping(
  cfg: ProxyConfig,
  key: string,
): ProxyConfig["key_mapping"][number] | null {
  const d = digest(key);
  let found: ProxyConfig["key_mapping"][number] | null = null;
  for (const m of cfg.key_mapping) {
    if (constantTimeEqual(d, digest(m.proxy_key)) && !found) found = m;
  }
  return found;
}

/** Whether a socket address is loopback. */
export function isLoopback(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "::1" || /^127\./.test(h) || /^::ffff:127\./.test(h);
}

function passthroughAllowed(cfg: ProxyConfig, loopback: boolean): boolean {
  return cfg.passthrough_auth && (!cfg.passthrough_local_only || loopback);
}

function bearer(headers: Headers): string | null {
  const h = headers.get("authorization");
  const m = h?.match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1] : null;
}

/**
 * Resolve an OpenAI-style request (`Authorization: Bearer`); null means 401.
 *
 * @example
 * ```ts
 * const auth = resolveOpenAiAuth(cfg.proxy, req.headers, true);
 * ```
 */
export function resolveOpenAiAuth(
  cfg: ProxyConfig,
  headers: Headers,
  loopback: boolean,
): UpstreamAuth | null {
  const token = bearer(headers);
  if (!token) return null;
  const m = findMapping(cfg, token);
  if (m) {
    const key = m.upstream_key || cfg.upstream_api_key;
    return {
      namespace: m.namespace,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      via: "mapping",
    };
  }
  if (!passthroughAllowed(cfg, loopback)) return null;
  if (token.startsWith("eyJ")) {
    return {
      namespace: PASSTHROUGH_NAMESPACE,
      headers: { authorization: `Bearer ${token}` },
      via: "oauth",
    };
  }
  return {
    namespace: PASSTHROUGH_NAMESPACE,
    headers: { authorization: `Bearer ${cfg.upstream_api_key || token}` },
    via: "passthrough",
  };
}

/**
 * Resolve an Anthropic request: `x-api-key` first, then `Authorization: Bearer` (OAuth,
 * forwarded as is with `anthropic-beta`); null means 401.
 */
export function resolveAnthropicAuth(
  cfg: ProxyConfig,
  headers: Headers,
  loopback: boolean,
): UpstreamAuth | null {
  const version = headers.get("anthropic-version") ?? "2023-06-01";
  const beta = headers.get("anthropic-beta");
  const extra: Record<string, string> = { "anthropic-version": version };
  if (beta) extra["anthropic-beta"] = beta;
  const apiKey = headers.get("x-api-key");
  const token = bearer(headers);
  const presented = apiKey ?? token;
  if (!presented) return null;
  const m = findMapping(cfg, presented);
  if (m) {
    const key = m.upstream_key || cfg.anthropic_api_key;
    return {
      namespace: m.namespace,
      headers: key ? { ...extra, "x-api-key": key } : extra,
      via: "mapping",
    };
  }
  if (!passthroughAllowed(cfg, loopback)) return null;
  if (apiKey) {
    return {
      namespace: PASSTHROUGH_NAMESPACE,
      headers: { ...extra, "x-api-key": cfg.anthropic_api_key || apiKey },
      via: "passthrough",
    };
  }
  return {
    namespace: PASSTHROUGH_NAMESPACE,
    headers: { ...extra, authorization: `Bearer ${token}` },
    via: "oauth",
  };
}
