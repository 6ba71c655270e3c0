/**
 * The dashboard (docs/dashboard.md): static assets served by `serve` under `/ui`, no build
 * step, no CDN. The page holds no data of its own: it signs in with an API key kept in
 * sessionStorage and calls the same authenticated JSON API as the CLI and SDKs.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import { toHex } from "../crypto/mod.ts";

export { dashboardStats, recentInjections } from "./stats.ts";
export { recentInjectionRequests } from "./requests.ts";
export { reliefPage } from "./relief.ts";
export { archiveMemory } from "./archive.ts";

/** The Content-Security-Policy of every `/ui` response: no inline code, no third parties. */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Files under `lib/ui/assets/` that are served, with their content types. */
export const UI_ASSETS: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
  "charts.css": "text/css; charset=utf-8",
  "views.css": "text/css; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "state.js": "text/javascript; charset=utf-8",
  "api.js": "text/javascript; charset=utf-8",
  "dom.js": "text/javascript; charset=utf-8",
  "charts.js": "text/javascript; charset=utf-8",
  "search.js": "text/javascript; charset=utf-8",
  "browse.js": "text/javascript; charset=utf-8",
  "memory.js": "text/javascript; charset=utf-8",
  "review.js": "text/javascript; charset=utf-8",
  "health.js": "text/javascript; charset=utf-8",
  "injections.js": "text/javascript; charset=utf-8",
  "portable.js": "text/javascript; charset=utf-8",
  "relief.js": "text/javascript; charset=utf-8",
  "reader.js": "text/javascript; charset=utf-8",
  "favicon.svg": "image/svg+xml",
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

const cache = new Map<string, Promise<Asset>>();

async function load(name: string): Promise<Asset> {
  const body = await Deno.readFile(new URL(`./assets/${name}`, import.meta.url));
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const etag = `"${toHex(d.slice(0, 12))}"`;
  return { body: new Uint8Array(body), etag };
}

function asset(name: string): Promise<Asset> {
  let p = cache.get(name);
  if (!p) {
    p = load(name);
    cache.set(name, p);
    p.catch(() => cache.delete(name));
  }
  return p;
}

/**
 * Headers for `/ui` responses. Mount it before the app's request middleware, which sets the
 * API's stricter defaults on the way out; this one runs last and gives the page its policy.
 */
export function uiHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("Content-Security-Policy", UI_CSP);
    c.header("Cache-Control", "no-cache");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    c.header("Cross-Origin-Resource-Policy", "same-origin");
  };
}

/**
 * The `/ui` sub-app: `GET /ui` (the page) and `GET /ui/assets/<file>`. No auth: the assets
 * are public; every datum comes from the authenticated API.
 *
 * @example
 * ```ts
 * app.route("/ui", uiRoutes());
 * ```
 */
export function uiRoutes(): Hono {
  const r = new Hono();
  const serve = async (
    name: string,
    ifNoneMatch: string | undefined,
  ): Promise<Response> => {
    const type = UI_ASSETS[name];
    if (!type) {
      return Response.json(
        { error: { code: "NOT_FOUND", message: "no such route", path: [] } },
        { status: 404 },
      );
    }
    const a = await asset(name);
    if (ifNoneMatch && ifNoneMatch === a.etag) {
      return new Response(null, { status: 304, headers: { ETag: a.etag } });
    }
    return new Response(a.body, { headers: { "Content-Type": type, ETag: a.etag } });
  };
  r.get("/", (c) => serve("index.html", c.req.header("if-none-match")));
  r.get("/assets/:name", (c) => serve(c.req.param("name"), c.req.header("if-none-match")));
  return r;
}
