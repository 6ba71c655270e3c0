/**
 * Artifact bodies: routes that hash artifacts byte-exactly (passports, histories, envelopes)
 * read the body themselves, with the same size cap, UTF-8 and object checks as every route
 * (`c.var.body`) plus a lossless tree (number lexemes and key order as sent). Such routes are
 * mounted before the generic `/v1/*` guard and apply authentication and the per-key rate limit
 * through {@link artifactRoute}.
 */
import type { Context, MiddlewareHandler } from "hono";
import { MemoryossError } from "../../errors/mod.ts";
import { isJsonObject, type JsonObject, type JsonValue, parseJson } from "../../portable/mod.ts";
import type { Role } from "../../auth/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { authenticate, requireRole } from "../middleware/auth.ts";
import { rateLimitByKey, readJsonBody } from "../middleware/limits.ts";

/** The lossless parse of each request body, beside the plain one in `c.var.body`. */
const TREES = new WeakMap<Request, JsonObject>();

/** Size cap, UTF-8 and object checks as everywhere (`c.var.body`), plus a lossless tree. */
export function losslessBody(state: ServerState): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "POST") {
      // readJsonBody applies the limits; the bytes it reads are kept on the way through
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      const raw = c.req.raw;
      const seen = raw.body?.pipeThrough(
        new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
          transform(chunk, out) {
            chunks.push(chunk);
            out.enqueue(chunk);
          },
        }),
      );
      const copy = new Request(raw.url, { method: "POST", headers: raw.headers, body: seen });
      c.set("body", await readJsonBody(copy, state.maxBodyBytes));
      const text = new TextDecoder().decode(await new Blob(chunks).bytes());
      let tree: JsonValue = new Map();
      if (text.trim() !== "") {
        try {
          tree = parseJson(text);
        } catch (e) {
          throw new MemoryossError("INVALID_INPUT", `request body: ${(e as Error).message}`);
        }
      }
      TREES.set(c.req.raw, tree as JsonObject);
    }
    await next();
  };
}

/** The artifact in `field`: a JSON object, or a string holding the artifact's JSON text. */
export function artifactField(c: Context<AppEnv>, fields: string[]): JsonValue {
  const tree = artifactTree(c);
  const given = fields.filter((f) => tree.get(f) !== undefined && tree.get(f) !== null);
  if (given.length > 1) {
    throw new MemoryossError("INVALID_INPUT", `give ${fields.join(" or ")}, not both`, [given[1]]);
  }
  const field = given[0] ?? fields[0];
  const v = tree.get(field);
  if (v === undefined || v === null) {
    throw new MemoryossError("INVALID_INPUT", `${field}: required`, [field]);
  }
  if (typeof v === "string") {
    try {
      return parseJson(v);
    } catch (e) {
      throw new MemoryossError("INVALID_INPUT", `${field}: ${(e as Error).message}`, [field]);
    }
  }
  if (!isJsonObject(v)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${field}: expected the artifact as a JSON object (or its JSON text)`,
      [field],
    );
  }
  return v;
}

/** The lossless tree of the request body (empty for a body-less request). */
export function artifactTree(c: Context<AppEnv>): JsonObject {
  return TREES.get(c.req.raw) ?? new Map();
}

/** Authentication, the per-key limit, the lossless body, then the role check. */
export function artifactRoute(state: ServerState, role: Role): MiddlewareHandler<AppEnv> {
  const chain = [
    authenticate(state),
    rateLimitByKey(state),
    losslessBody(state),
    requireRole(role),
  ];
  return async (c, next) => {
    const step = async (i: number): Promise<void> => {
      if (i === chain.length) return await next();
      await chain[i](c, () => step(i + 1));
    };
    await step(0);
  };
}

/**
 * memoryOSS answers integrity failures with 400 (also for a dry run); `conflict` adds CONFLICT
 * (history replay into a namespace that is not empty).
 */
export function integrity400(c: Context<AppEnv>, e: unknown, conflict = false): Response {
  const codes = conflict ? ["INTEGRITY", "CONFLICT"] : ["INTEGRITY"];
  if (e instanceof MemoryossError && codes.includes(e.code)) {
    return c.json({ error: { code: e.code, message: e.message, path: e.path } }, 400);
  }
  throw e;
}
