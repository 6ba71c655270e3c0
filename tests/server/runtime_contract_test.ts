/**
 * `/v1/runtime/contract` is generated from the route table: every endpoint it lists is served
 * (probed over HTTP with the owner key), every registered `/v1` route is listed, and
 * docs/http-api.md names every `/v1` path.
 */
import assert from "node:assert/strict";
import { type Json, type TestServer, withServer } from "./_api_support.ts";
import { createApp } from "../../lib/server/mod.ts";
import type { Runtime } from "../../lib/memory/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const NINE = [
  "contract_id",
  "version",
  "runtime_name",
  "stable_semantics",
  "experimental_layers",
  "object_model",
  "guarantees",
  "api_mappings",
  "known_gaps",
];

/** The router's own answer for a path/method it does not have. */
const isNoSuchRoute = (status: number, json: Json) =>
  status === 404 && json?.error?.message === "no such route";

/** `METHOD /v1/path` of every concrete-method `/v1` route, `:id` written `{id}`. */
function registered(s: { rt: Runtime }): Set<string> {
  const app = createApp(s.rt, { log: () => {}, jwtSecret: new Uint8Array(32) });
  return new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  );
}

async function contractOf(s: TestServer): Promise<Json> {
  const r = await s.req("GET", "/v1/runtime/contract", { key: s.admin });
  assert.equal(r.status, 200, r.text);
  for (const k of NINE) assert.ok(k in r.json, k);
  return r.json;
}

/** Call `method path` with the owner key and an input every route refuses (unknown field). */
function probe(s: TestServer, method: string, path: string) {
  const url = path.replaceAll(/\{\w+\}/g, "0190a0b4-0000-7000-8000-000000000000");
  const body = method === "GET" || method === "HEAD" ? undefined : { _contract_probe: true };
  return s.req(method, url, { key: s.admin, body });
}

Deno.test("runtime contract: every endpoint it lists is served for its method", async () => {
  await withServer(async (s) => {
    const doc = await contractOf(s);
    const listed = doc.endpoints.map((e: Json) => `${e.method} ${e.path}`);
    // Routes of memoryOSS §2.2 we serve, written by hand from the spec.
    for (
      const e of [
        "POST /v1/store",
        "POST /v1/recall",
        "PATCH /v1/update",
        "DELETE /v1/forget",
        "GET /v1/inspect/{id}",
        "GET /v1/export",
        "GET /v1/runtime/contract",
        "POST /v1/auth/token",
      ]
    ) assert.ok(listed.includes(e), `${e} missing from the contract`);
    for (const e of doc.endpoints) {
      const r = await probe(s, e.method, e.path);
      assert.ok(!isNoSuchRoute(r.status, r.json), `${e.method} ${e.path} is not served: ${r.text}`);
    }
    // The probe can fail: a path nobody registered, and a known path under the wrong method.
    const none = await probe(s, "GET", "/v1/contract-probe-nowhere");
    assert.ok(isNoSuchRoute(none.status, none.json), none.text);
    const wrong = await probe(s, "PUT", "/v1/store");
    assert.ok(isNoSuchRoute(wrong.status, wrong.json), wrong.text);
  });
});

Deno.test("runtime contract: every registered /v1 route is listed, and nothing else", async () => {
  await withServer(async (s) => {
    const doc = await contractOf(s);
    const table = registered(s);
    assert.ok(table.size > 20, `only ${table.size} routes registered?`);
    const listed = new Set<string>(doc.endpoints.map((e: Json) => `${e.method} ${e.path}`));
    assert.deepEqual([...table].filter((r) => !listed.has(r)), [], "registered, not listed");
    assert.deepEqual([...listed].filter((r) => !table.has(r)), [], "listed, not registered");
    // memoryOSS's own view of the routes: api_mappings cover exactly the listed paths.
    const paths = new Set([...table].map((r) => r.split(" ")[1]));
    const mapped = new Set<string>(doc.api_mappings.flatMap((m: Json) => m.routes));
    assert.deepEqual([...paths].filter((p) => !mapped.has(p)), [], "paths without a mapping");
    assert.deepEqual([...mapped].filter((p) => !paths.has(p)), [], "mapped paths not served");
    // Prose surfaces name no route that is not served.
    const surfaces: string[] = [
      ...doc.stable_semantics.flatMap((x: Json) => x.current_surfaces),
      ...doc.experimental_layers.flatMap((x: Json) => x.current_surfaces),
      ...doc.object_model.flatMap((x: Json) => x.current_mapping),
    ];
    assert.deepEqual(surfaces.filter((x) => x.startsWith("/") && !paths.has(x)), []);
    // The LLM proxy is off by default: its drop-in paths are not endpoints of the runtime.
    assert.ok(![...listed].some((r) => r.endsWith(" /v1/chat/completions")));
  });
});

Deno.test("runtime contract: with the proxy on, its drop-in routes are listed", async () => {
  await withServer(async (s) => {
    const doc = await contractOf(s);
    const listed = doc.endpoints.map((e: Json) => `${e.method} ${e.path}`);
    for (const e of ["POST /v1/chat/completions", "GET /v1/models", "POST /v1/messages"]) {
      assert.ok(listed.includes(e), `${e} missing`);
      const [method, path] = e.split(" ");
      const r = await probe(s, method, path);
      assert.ok(!isNoSuchRoute(r.status, r.json), `${e}: ${r.text}`);
    }
    assert.deepEqual(
      new Set(listed),
      registered(s),
      "the contract and the route table differ with the proxy on",
    );
  }, { config: '[proxy]\nenabled = true\nupstream_url = "http://127.0.0.1:9"\n' });
});

Deno.test("docs/http-api.md names every registered /v1 path", async () => {
  const docs = await Deno.readTextFile(new URL("../../docs/http-api.md", import.meta.url));
  await using t = await tempRuntime(
    '[proxy]\nenabled = true\nupstream_url = "http://127.0.0.1:9"\n',
  );
  const paths = new Set([...registered(t)].map((r) => r.split(" ")[1]));
  const undocumented = [...paths].filter((p) => {
    const esc = p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return !new RegExp(`\`${esc}[\`?]`).test(docs);
  });
  assert.deepEqual(undocumented, [], "add a row to docs/http-api.md for each");
});
