/**
 * Sharing on a real loopback server: a namespace shared read-only with another namespace's
 * keys (recall, list and export work; store, update, forget stay 403), grants refused for
 * write/admin, revocation and expiry, `/v1/sharing/accessible`, and webhooks: private targets
 * refused by default, delivered to a local receiver when allowed.
 */
import assert from "node:assert/strict";
import { startServer } from "../../lib/server/mod.ts";
import { assertError, type Json, request, withServer } from "./_api_support.ts";

Deno.test("sharing: read-only grants, never writable, revocable", async () => {
  await withServer(async (s) => {
    const ownerAdmin = await s.key("admin", ["team-a"]);
    const ownerWriter = await s.key("writer", ["team-a"]);
    const otherAdmin = await s.key("admin", ["team-b"]);
    const grantee = await s.key("writer", ["team-b"]);
    const stored = await s.req("POST", "/v1/store", {
      key: ownerWriter,
      body: { content: "Team A deploys the billing service with blue-green switches." },
    });
    assert.equal(stored.status, 200, stored.text);
    const recallA = (key: string) =>
      s.req("POST", "/v1/recall", {
        key,
        body: { query: "how does billing deploy", namespace: "team-a" },
      });
    assertError(await recallA(grantee), 403, "FORBIDDEN_NAMESPACE");

    assertError(
      await s.req("POST", "/v1/admin/sharing/create", {
        key: otherAdmin,
        body: { name: "team-a" },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("POST", "/v1/admin/sharing/create", {
        key: ownerWriter,
        body: { name: "team-a" },
      }),
      403,
      "FORBIDDEN",
    );
    const created = await s.req("POST", "/v1/admin/sharing/create", {
      key: ownerAdmin,
      body: { name: "team-a" },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json.name, "team-a");
    assert.equal(created.json.webhook_url, null);
    assert.deepEqual(created.json.grants, []);
    assertError(
      await s.req("POST", "/v1/admin/sharing/create", {
        key: ownerAdmin,
        body: { name: "team-a" },
      }),
      409,
      "CONFLICT",
    );
    const list = await s.req("GET", "/v1/admin/sharing/list", { key: ownerAdmin });
    assert.deepEqual(list.json.shared_namespaces.map((x: Json) => x.name), ["team-a"]);
    assert.deepEqual(
      (await s.req("GET", "/v1/admin/sharing/list", { key: otherAdmin })).json.shared_namespaces,
      [],
    );

    const add = (body: Json, key = ownerAdmin) =>
      s.req("POST", "/v1/admin/sharing/team-a/grants/add", { key, body });
    for (const permission of ["write", "admin"]) {
      assertError(
        await add({ grantee_namespace: "team-b", permission }),
        400,
        "INVALID_INPUT",
        /read-only/,
      );
    }
    assertError(await add({ grantee_namespace: "team-b" }, otherAdmin), 404, "NOT_FOUND");
    assertError(
      await add({ grantee_namespace: "team-b", tag_filter: ["x"] }),
      400,
      "INVALID_INPUT",
    );
    const grant = await add({ grantee_namespace: "team-b", permission: "read" });
    assert.equal(grant.status, 200, grant.text);
    assert.equal(grant.json.shared_namespace, "team-a");
    assert.equal(grant.json.permission, "read");
    assert.equal(grant.json.grantee_namespace, "team-b");

    // the grantee reads …
    const got = await recallA(grantee);
    assert.equal(got.status, 200, got.text);
    assert.ok(got.json.memories.some((m: Json) => m.memory.id === stored.json.id), got.text);
    const mem = await s.req("GET", "/v1/memories?namespace=team-a", { key: grantee });
    assert.equal(mem.status, 200, mem.text);
    assert.equal(mem.json.count, 1);
    assert.equal((await s.req("GET", "/v1/export?namespace=team-a", { key: grantee })).status, 200);
    const acc = await s.req("GET", "/v1/sharing/accessible", { key: grantee });
    assert.equal(acc.status, 200, acc.text);
    assert.deepEqual(acc.json.accessible.map((a: Json) => [a.shared_namespace, a.permission]), [
      ["team-a", "read"],
    ]);
    // … and never writes
    assertError(
      await s.req("POST", "/v1/store", {
        key: grantee,
        body: { content: "Injected by team B.", namespace: "team-a" },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("POST", "/v1/feedback", {
        key: grantee,
        body: { id: stored.json.id, namespace: "team-a", action: "reject" },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("POST", "/v1/store/batch", {
        key: grantee,
        body: { memories: [{ content: "x y z w", namespace: "team-a" }] },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    const upd = await s.req("PATCH", "/v1/update", {
      key: grantee,
      body: { id: stored.json.id, content: "changed" },
    });
    assert.ok([403, 404].includes(upd.status), upd.text);
    assert.equal(
      s.rt.store.getById(stored.json.id)!.record.content,
      "Team A deploys the billing service with blue-green switches.",
    );

    const grants = await s.req("GET", "/v1/admin/sharing/team-a/grants/list", { key: ownerAdmin });
    assert.equal(grants.json.grants.length, 1);
    const del = await s.req("DELETE", `/v1/admin/sharing/team-a/grants/${grant.json.grant_id}`, {
      key: ownerAdmin,
    });
    assert.equal(del.status, 200, del.text);
    assertError(await recallA(grantee), 403, "FORBIDDEN_NAMESPACE");

    // an expired grant reads nothing
    await add({ grantee_namespace: "team-b", expires_at: "2020-01-01T00:00:00Z" });
    assertError(await recallA(grantee), 403, "FORBIDDEN_NAMESPACE");
    assert.deepEqual(
      (await s.req("GET", "/v1/sharing/accessible", { key: grantee })).json.accessible,
      [],
    );
    assertError(
      await s.req("DELETE", "/v1/admin/sharing/team-a", { key: otherAdmin }),
      404,
      "NOT_FOUND",
    );
    const gone = await s.req("DELETE", "/v1/admin/sharing/team-a", { key: ownerAdmin });
    assert.deepEqual(gone.json, { deleted: true, name: "team-a" });
    assertError(await s.req("GET", "/v1/sharing/accessible"), 401, "UNAUTHORIZED");
  });
});

Deno.test("sharing webhooks: private targets refused by default", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["team-a"]);
    for (
      const url of [
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://[::1]:9/x",
        "http://localhost/x",
      ]
    ) {
      assertError(
        await s.req("POST", "/v1/admin/sharing/create", {
          key: admin,
          body: { name: "team-a", webhook_url: url },
        }),
        400,
        "INVALID_INPUT",
        /allow_private_webhooks/,
      );
    }
    assertError(
      await s.req("POST", "/v1/admin/sharing/create", {
        key: admin,
        body: { name: "team-a", webhook_url: "ftp://example.com/x" },
      }),
      400,
      "INVALID_INPUT",
      /webhook_url/,
    );
  });
});

Deno.test("sharing webhooks: delivered after a store when private targets are allowed", async () => {
  const got = Promise.withResolvers<Json>();
  await using receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      got.resolve({
        method: req.method,
        type: req.headers.get("content-type"),
        body: await req.json(),
      });
      return new Response("ok");
    },
  );
  await withServer(async (s) => {
    const admin = await s.key("admin", ["team-a"]);
    const hook = `http://127.0.0.1:${receiver.addr.port}/hook`;
    const created = await s.req("POST", "/v1/admin/sharing/create", {
      key: admin,
      body: { name: "team-a", webhook_url: hook },
    });
    assert.equal(created.status, 200, created.text);
    const st = await s.req("POST", "/v1/store", {
      key: admin,
      body: { content: "A fact the webhook should hear about." },
    });
    assert.equal(st.status, 200, st.text);
    const timer = setTimeout(() => got.reject(new Error("no webhook in 10 s")), 10_000);
    const hit = await got.promise.finally(() => clearTimeout(timer));
    assert.equal(hit.method, "POST");
    assert.equal(hit.type, "application/json");
    assert.equal(hit.body.event, "memory_stored");
    assert.equal(hit.body.shared_namespace, "team-a");
    assert.equal(hit.body.memory_id, st.json.id);
    assert.ok(!Number.isNaN(Date.parse(hit.body.timestamp)));
  }, { server: { allowPrivateWebhooks: true } });
});

Deno.test("sharing: [sharing] enabled = false turns existing grants off, not only the routes", async () => {
  await withServer(async (s) => {
    const ownerAdmin = await s.key("admin", ["team-a"]);
    const grantee = await s.key("reader", ["team-b"]);
    const stored = await s.req("POST", "/v1/store", {
      key: ownerAdmin,
      body: { content: "Team A rotates the on-call pager every Monday at nine." },
    });
    assert.equal(stored.status, 200, stored.text);
    const created = await s.req("POST", "/v1/admin/sharing/create", {
      key: ownerAdmin,
      body: { name: "team-a" },
    });
    assert.equal(created.status, 200, created.text);
    const grant = await s.req("POST", "/v1/admin/sharing/team-a/grants/add", {
      key: ownerAdmin,
      body: { grantee_namespace: "team-b", permission: "read" },
    });
    assert.equal(grant.status, 200, grant.text);
    const recall = (url: string) =>
      request(`${url}/v1/recall`, "POST", {
        key: grantee,
        body: { query: "who rotates the pager", namespace: "team-a" },
      });
    assert.equal((await recall(s.url)).status, 200, "the grant works while sharing is on");

    // A second server on the same home, with sharing switched off: sharing.json is still there.
    const off = await startServer(s.rt, "127.0.0.1", 0, {
      rateLimitPerSec: 0,
      sharingEnabled: false,
      log: () => {},
    });
    try {
      assertError(await recall(off.url), 403, "FORBIDDEN_NAMESPACE");
      const list = await request(`${off.url}/v1/admin/sharing/list`, "GET", { key: ownerAdmin });
      assert.equal(list.status, 404, list.text);
    } finally {
      await off.shutdown();
    }
  });
});
