/**
 * The server's middleware as a client sees it: exactly the API's security headers (set with
 * Hono's secureHeaders, none of its other defaults), on success, errors, 401 and 413; the body
 * cap (Hono's bodyLimit) answers in our error shape; public paths skip the guard.
 */
import assert from "node:assert/strict";
import { assertError, type Res, withServer } from "./_api_support.ts";

// What the server sent before the switch to Hono's middleware (lib/server/middleware/request.ts).
const API_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  // memoryOSS §2.1 lists these two as well (its exact values).
  "x-xss-protection": "1; mode=block",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};
// Hono's secureHeaders defaults we do not send.
const NOT_SENT = [
  "origin-agent-cluster",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-permitted-cross-domain-policies",
];

function assertApiHeaders(r: Res, name: string): void {
  for (const [k, v] of Object.entries(API_HEADERS)) {
    assert.equal(r.headers.get(k), v, `${name}: ${k}`);
  }
  for (const k of NOT_SENT) assert.equal(r.headers.get(k), null, `${name}: ${k}`);
  assert.ok(r.headers.get("x-request-id"), `${name}: x-request-id`);
}

Deno.test("middleware: the same seven security headers on every API answer", async () => {
  await withServer(async (s) => {
    assertApiHeaders(await s.req("GET", "/health"), "health");
    const stored = await s.req("POST", "/v1/store", { key: s.admin, body: { content: "a note" } });
    assert.equal(stored.status, 200, stored.text);
    assertApiHeaders(stored, "store");
    const anon = await s.req("GET", "/v1/recall?query=x");
    assertError(anon, 401, "UNAUTHORIZED");
    assertApiHeaders(anon, "401");
    const bad = await s.req("POST", "/v1/store", { key: s.admin, body: "[1,2]" });
    assertError(bad, 400, "INVALID_INPUT", /must be a JSON object/);
    assertApiHeaders(bad, "400");
    const big = await s.req("POST", "/v1/store", { key: s.admin, body: "x".repeat(5000) });
    assertError(big, 413, "PAYLOAD_TOO_LARGE", /larger than 4096 bytes/);
    assertApiHeaders(big, "413");
  }, { server: { maxBodyBytes: 4096 } });
});

Deno.test("middleware: the body cap applies on /metrics; public paths need no key", async () => {
  await withServer(async (s) => {
    const big = await s.req("POST", "/metrics", { key: s.admin, body: "x".repeat(5000) });
    assertError(big, 413, "PAYLOAD_TOO_LARGE");
    const source = await s.req("GET", "/v1/source");
    assert.notEqual(source.status, 401, source.text);
    const token = await s.req("POST", "/v1/auth/token", { body: { api_key: "nope" } });
    assert.notEqual(token.status, 404, token.text);
    assert.notEqual(token.json?.error?.message, "missing bearer credential");
  }, { server: { maxBodyBytes: 4096 } });
});
