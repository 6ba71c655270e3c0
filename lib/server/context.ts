/** Types shared by the app, its middleware and its routes. */
import type { Hono } from "hono";
import type { Authenticator, Principal } from "../auth/mod.ts";
import type { Runtime, WriteQueue, WriteQueueOptions } from "../memory/mod.ts";
import type { Metrics } from "./metrics.ts";
import type { RateLimiter } from "./rate_limit.ts";
import type { WarmUp } from "./warm.ts";
import type { SharingRegistry } from "../sharing/mod.ts";

/** Options for {@link createApp} and `startServer`. */
export interface ServerOptions {
  /** Request body cap in bytes (default `server.max_body_bytes`, 2 MiB). */
  maxBodyBytes?: number;
  /** Requests per second per API key (token bucket; default 100, 0 = unlimited). */
  rateLimitPerSec?: number;
  /** Bucket size (default = rateLimitPerSec). */
  rateLimitBurst?: number;
  /** Lifetime of `/v1/auth/token` tokens in seconds (default 3600). */
  tokenTtlSecs?: number;
  /** JWT secret (≥ 32 bytes); default derived from the home's key file. */
  jwtSecret?: Uint8Array;
  /** Where log lines go (default: stderr, filtered by `logging.level`). */
  log?: (level: LogLevel, line: string) => void;
  writeQueue?: WriteQueueOptions;
  /**
   * Where a request from a key on every namespace goes when it names none (`serve` passes
   * the CLI's namespace rule: MEMORYOSS_NAMESPACE, else the current store's; default
   * `default`). Keys bound to namespaces use their first one.
   */
  defaultNamespace?: string;
  /**
   * Let sharing webhooks target loopback and private addresses (memoryOSS
   * `[sharing] allow_private_webhooks`; default false).
   */
  allowPrivateWebhooks?: boolean;
  /** Mount the sharing routes (memoryOSS `[sharing] enabled`; default true here). */
  sharingEnabled?: boolean;
  /**
   * Serve HTTPS with this certificate chain and private key (PEM text; memoryOSS
   * `[tls] cert_path`/`key_path`). The URL `startServer` returns is then `https://`.
   */
  tls?: { cert: string; key: string };
  /**
   * memoryOSS `dev` mode's relaxed auth: a request WITHOUT credentials is admin in namespace
   * `default` (`sub` "dev"); a credential that is sent is still checked. Only for loopback.
   */
  devAuth?: boolean;
}

export type LogLevel = "error" | "warn" | "info" | "debug";

/** Everything the routes share for one app. */
export interface ServerState {
  rt: Runtime;
  queue: WriteQueue;
  auth: Promise<Authenticator>;
  limiter: RateLimiter;
  ipLimiter: RateLimiter;
  metrics: Metrics;
  maxBodyBytes: number;
  log: (level: LogLevel, line: string) => void;
  defaultNamespace?: string;
  /** The index warm-up `startServer` runs (absent for an app that is only built). */
  warm?: WarmUp;
  /** Shared namespaces (`<home>/sharing.json`), loaded once. */
  sharing: Promise<SharingRegistry>;
  allowPrivateWebhooks: boolean;
  sharingEnabled: boolean;
  /** See {@link ServerOptions.devAuth}. */
  devAuth: boolean;
}

/** Hono environment: what `c.env` and `c.var` hold. */
export interface AppEnv {
  Bindings: { remoteAddr?: { hostname?: string } };
  Variables: {
    requestId: string;
    principal: Principal;
    body: unknown;
  };
}

export type App = Hono<AppEnv>;
