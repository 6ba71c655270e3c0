/** Reading a proxied request's body: size cap, Codex's zstd bodies, a JSON object or a 4xx. */
import { zstdDecompressSync } from "node:zlib";
import type { Flavor } from "./flavors.ts";
import type { JsonObject } from "./inject.ts";

/** The flavor's error body with `status`. */
export function fail(flavor: Flavor, status: number, message: string, type: string): Response {
  return Response.json(flavor.error(message, type), { status });
}

async function readBody(req: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = req.body?.getReader();
  if (!reader) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Whether `b` starts with the zstd frame magic `28 B5 2F FD`. */
function isZstd(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;
}

/** The request's bytes (plain JSON) and its parsed object, or the 413/400 to answer with. */
export async function readJsonRequest(
  req: Request,
  flavor: Flavor,
  max: number,
): Promise<{ raw: Uint8Array<ArrayBuffer>; body: JsonObject } | Response> {
  let raw = await readBody(req, max);
  if (!raw) return fail(flavor, 413, "request body too large", "invalid_request_error");
  if (isZstd(raw)) {
    // Codex sends zstd-compressed bodies; upstream gets the plain JSON.
    try {
      raw = new Uint8Array(zstdDecompressSync(raw, { maxOutputLength: max }));
    } catch {
      return fail(flavor, 400, "invalid or oversized zstd body", "invalid_request_error");
    }
  }
  let body: JsonObject;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
  } catch {
    return fail(flavor, 400, "request body must be a JSON object", "invalid_request_error");
  }
  const invalid = flavor.invalid(body);
  if (invalid) return fail(flavor, 400, invalid, "invalid_request_error");
  return { raw, body };
}
