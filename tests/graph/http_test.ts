/** `GET /v1/memories/:id/graph` and `POST /v1/graph/link`: shape, roles, namespace isolation. */
import assert from "node:assert/strict";
import { assertError, withServer } from "../server/_api_support.ts";
import { storeHistory } from "./_history.ts";

Deno.test("http graph: the GET shape the dashboard reads; kind and depth filters", async () => {
  await withServer(async (s) => {
    const keys = await storeHistory(s.rt, "a");
    const reader = await s.key("reader", ["a"]);
    const r = await s.req("GET", `/v1/memories/${keys.get("canary")}/graph`, { key: reader });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, keys.get("canary"));
    assert.ok(r.json.edges.length >= 3);
    for (const e of r.json.edges) {
      assert.ok(["temporal", "entity", "causal", "semantic"].includes(e.kind));
      assert.equal(typeof e.from, "string");
      assert.equal(typeof e.to, "string");
      assert.equal(typeof e.weight, "number");
      assert.ok(["auto", "manual"].includes(e.origin));
      for (const f of ["id", "content", "namespace", "status", "category", "created_at"]) {
        assert.ok(f in e.neighbour, `neighbour.${f}`);
      }
      assert.equal(e.neighbour.namespace, "a");
    }
    const causal = await s.req("GET", `/v1/memories/${keys.get("canary")}/graph?kind=causal`, {
      key: reader,
    });
    assert.deepEqual(causal.json.edges.map((e: { kind: string }) => e.kind), ["causal"]);
    assert.equal(causal.json.edges[0].from, keys.get("etcd"));
    const bad = await s.req("GET", `/v1/memories/${keys.get("canary")}/graph?kind=vibes`, {
      key: reader,
    });
    assertError(bad, 400, "INVALID_INPUT", /unknown edge kind/);
    const missing = await s.req("GET", "/v1/memories/nope/graph", { key: reader });
    assertError(missing, 404, "NOT_FOUND");
  });
});

Deno.test("http graph: roles and namespace isolation", async () => {
  await withServer(async (s) => {
    const a = await storeHistory(s.rt, "a");
    const b = await storeHistory(s.rt, "b");
    const readerA = await s.key("reader", ["a"]);
    const writerA = await s.key("writer", ["a"]);
    // A key for `a` cannot see `b`'s memory, and learns nothing about whether it exists.
    const other = await s.req("GET", `/v1/memories/${b.get("canary")}/graph`, { key: readerA });
    assertError(other, 404, "NOT_FOUND");
    const named = await s.req("GET", `/v1/memories/${a.get("canary")}/graph?namespace=b`, {
      key: readerA,
    });
    assert.ok([403, 404].includes(named.status), named.text);
    // Readers cannot link; writers can, within their namespaces only.
    const body = { from: a.get("fix"), to: a.get("bus"), kind: "entity", weight: 0.5 };
    assertError(await s.req("POST", "/v1/graph/link", { key: readerA, body }), 403, "FORBIDDEN");
    const ok = await s.req("POST", "/v1/graph/link", { key: writerA, body });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.origin, "manual");
    assert.equal(ok.json.namespace, "a");
    const across = await s.req("POST", "/v1/graph/link", {
      key: s.admin,
      body: { from: a.get("fix"), to: b.get("bus"), kind: "entity" },
    });
    assertError(across, 404, "NOT_FOUND");
    const intoB = await s.req("POST", "/v1/graph/link", {
      key: writerA,
      body: { from: b.get("fix"), to: b.get("bus"), kind: "entity" },
    });
    assertError(intoB, 404, "NOT_FOUND");
    const badKind = await s.req("POST", "/v1/graph/link", {
      key: writerA,
      body: { ...body, kind: "friendship" },
    });
    assertError(badKind, 400, "INVALID_INPUT");
    const unauth = await s.req("GET", `/v1/memories/${a.get("canary")}/graph`);
    assert.equal(unauth.status, 401);
  });
});
