/**
 * Where the LLM proxy sits in the server. `/proxy/…` always; with `[proxy] enabled` also
 * memoryOSS's drop-in paths on the API's own `/v1` (chat/completions, responses, models,
 * Anthropic messages), and a passthrough for every other `/v1/<segment>/…` whose first
 * segment no memory route uses. The memory API keeps its paths: a request for one of its
 * route families (`/v1/store`, `/v1/admin/…`) never goes upstream.
 */
import type { Context, Hono } from "hono";
import { createProxyGateway, findMapping } from "../proxy/mod.ts";
import type { AppEnv, ServerState } from "./context.ts";

/** The three steps of mounting the proxy, in the order `buildApp` calls them. */
export interface ProxyMount {
  /** Mount the drop-in paths; call before the `/v1` guard. */
  mountDropIn(): void;
  /** Whether the `/v1` guard should let `path` through to the passthrough. */
  bypassesGuard(path: string): boolean;
  /** Mount `/proxy` and the `/v1` passthrough; call after every memory route. */
  mountRest(): void;
}

const NOT_FOUND = { error: { code: "NOT_FOUND", message: "no such route", path: [] } };

/**
 * Prepare the proxy mounts for `app`.
 *
 * @example
 * ```ts
 * const proxy = proxyMount(app, state);
 * proxy.mountDropIn();
 * app.use("/v1/*", (c, next) => proxy.bypassesGuard(c.req.path) ? next() : guard(c, next));
 * // … memory routes …
 * proxy.mountRest();
 * ```
 */
export function proxyMount(app: Hono<AppEnv>, state: ServerState): ProxyMount {
  const gw = createProxyGateway(state.rt, { queue: state.queue, log: state.log });
  let ours: Set<string> | null = null;
  // Read once all routes exist: the first segments under /v1 the memory API uses.
  const memoryFamilies = () =>
    ours ??= new Set(
      app.routes
        .filter((r) => r.path.startsWith("/v1/") && !gw.dropInPaths.includes(r.path))
        .map((r) => r.path.split("/")[2])
        .filter((seg) => seg && seg !== "*" && !seg.startsWith(":")),
    );

  /** A client sending one of our own API keys or tokens meant the memory API. */
  const memoryCredential = async (c: Context): Promise<boolean> => {
    const m = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!m || findMapping(state.rt.config.proxy, m[1])) return false;
    try {
      await (await state.auth).authenticate(`Bearer ${m[1]}`);
      return true;
    } catch {
      return false;
    }
  };

  const bypassesGuard = (path: string) => {
    const seg = path.startsWith("/v1/") ? path.split("/")[2] : "";
    return gw.enabled && seg !== "" && !memoryFamilies().has(seg);
  };
  return {
    mountDropIn: () => void app.route("/", gw.dropIn),
    bypassesGuard,
    mountRest: () => {
      app.route("/proxy", gw.app);
      if (!gw.enabled) return;
      app.all("/v1/*", async (c, next) => {
        // A memory route family stays ours (routes mounted later included: they come next).
        if (!bypassesGuard(c.req.path)) return await next();
        // A typo sent with a memoryoss credential is never forwarded upstream.
        if (await memoryCredential(c)) return c.json(NOT_FOUND, 404);
        return await gw.passthrough(c);
      });
    },
  };
}
