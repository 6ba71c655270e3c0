/**
 * The dashboard over real HTTP: its assets are public but locked down by CSP, and the API
 * routes it added (`/v1/dashboard/*`, `/v1/archive`) keep the usual auth, role and
 * namespace rules.
 */
import assert from "node:assert/strict";
import { assertError, withServer } from "../server/_api_support.ts";
import { UI_ASSETS, UI_CSP } from "../../lib/ui/mod.ts";

Deno.test("ui: /ui serves the page and every asset with a strict CSP, no inline code", async () => {
  await withServer(async (s) => {
    const page = await s.req("GET", "/ui");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type")!, /^text\/html/);
    assert.equal(page.headers.get("content-security-policy"), UI_CSP);
    assert.match(UI_CSP, /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    assert.equal(page.headers.get("cache-control"), "no-cache");
    // No inline script or style, no external origin, no inline event handler attributes.
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(page.text, /<style|style=|\son[a-z]+=/i);
    assert.doesNotMatch(page.text, /https?:\/\//);

    for (const name of Object.keys(UI_ASSETS)) {
      const r = await s.req("GET", `/ui/assets/${name}`);
      assert.equal(r.status, 200, name);
      assert.equal(r.headers.get("content-type"), UI_ASSETS[name], name);
      assert.equal(r.headers.get("content-security-policy"), UI_CSP, name);
      const etag = r.headers.get("etag")!;
      assert.ok(etag, name);
      const again = await s.req("GET", `/ui/assets/${name}`, {
        headers: { "if-none-match": etag },
      });
      assert.equal(again.status, 304, name);
      if (name.endsWith(".js")) {
        assert.doesNotMatch(r.text, /innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function/);
        assert.doesNotMatch(r.text, /document\.cookie|localStorage/);
      }
    }
    // Only the listed files: no path tricks, no directory listing.
    assertError(await s.req("GET", "/ui/assets/mod.ts"), 404, "NOT_FOUND");
    assertError(await s.req("GET", "/ui/assets/..%2Fmod.ts"), 404, "NOT_FOUND");
    // API responses keep their own, stricter policy.
    const health = await s.req("GET", "/health");
    assert.equal(health.headers.get("content-security-policy"), "default-src 'none'");
  });
});

Deno.test("ui: dashboard stats and injections are scoped to the caller's namespaces", async () => {
  await withServer(async (s) => {
    for (const [ns, n] of [["a", 3], ["b", 2]] as const) {
      for (let i = 0; i < n; i++) {
        const r = await s.req("POST", "/v1/store", {
          key: s.admin,
          body: { namespace: ns, content: `fact ${i} in ${ns}` },
        });
        assert.equal(r.status, 200, r.text);
      }
    }
    const id = (await s.req("GET", "/v1/memories?namespace=a", { key: s.admin })).json
      .memories[0].id;
    // As the proxy's injection bookkeeping does after a call.
    const m = s.rt.store.getById(id)!;
    s.rt.store.update(m.pk, {
      ...m.record,
      injection_count: 2,
      last_injected_at: new Date().toISOString(),
    });

    assertError(await s.req("GET", "/v1/dashboard/stats"), 401, "UNAUTHORIZED");
    const all = (await s.req("GET", "/v1/dashboard/stats", { key: s.admin })).json;
    assert.equal(all.totals.total, 5);
    assert.equal(all.created_per_day.length, 30);
    assert.equal(all.created_per_day.at(-1).count, 5);
    assert.equal(all.index.lag, 0);
    assert.equal(all.index.vector_index_size, 5);
    assert.equal(typeof all.embedder.id, "string");
    assert.ok(all.database.bytes > 0);

    const readerB = await s.key("reader", ["b"]);
    const b = (await s.req("GET", "/v1/dashboard/stats?days=7", { key: readerB })).json;
    assert.equal(b.totals.total, 2);
    assert.equal(b.created_per_day.length, 7);
    assert.deepEqual(b.namespaces.map((n: { namespace: string }) => n.namespace), ["b"]);
    assert.equal(b.database, null, "store-wide size is for owner keys only");
    assertError(
      await s.req("GET", "/v1/dashboard/stats?namespace=a", { key: readerB }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("GET", "/v1/dashboard/stats?bogus=1", { key: readerB }),
      400,
      "INVALID_INPUT",
    );

    const inj = (await s.req("GET", "/v1/dashboard/injections", { key: s.admin })).json;
    assert.equal(inj.injections.length, 1);
    assert.equal(inj.injections[0].id, id);
    assert.equal(inj.injections[0].injection_count, 2);
    const injB = (await s.req("GET", "/v1/dashboard/injections", { key: readerB })).json;
    assert.deepEqual(injB.injections, []);
  });
});

Deno.test("ui: /v1/archive archives and restores, writer role, 404 outside scope", async () => {
  await withServer(async (s) => {
    const stored = await s.req("POST", "/v1/store", {
      key: s.admin,
      body: { namespace: "a", content: "the staging database is pg-stage-01" },
    });
    const id = stored.json.id;
    const readerA = await s.key("reader", ["a"]);
    const writerB = await s.key("writer", ["b"]);
    const writerA = await s.key("writer", ["a"]);
    assertError(
      await s.req("POST", "/v1/archive", { key: readerA, body: { id } }),
      403,
      "FORBIDDEN",
    );
    assertError(
      await s.req("POST", "/v1/archive", { key: writerB, body: { id } }),
      404,
      "NOT_FOUND",
    );

    const r = await s.req("POST", "/v1/archive", { key: writerA, body: { id } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.archived, true);
    assert.equal(r.json.version, 2);
    const recall = await s.req("POST", "/v1/recall", {
      key: writerA,
      body: { namespace: "a", query: "staging database" },
    });
    assert.equal(recall.json.memories.length, 0, "archived memories leave recall");
    const inspect = await s.req("GET", `/v1/inspect/${id}`, { key: writerA });
    assert.equal(inspect.json.archived, true);

    const back = await s.req("POST", "/v1/archive", {
      key: writerA,
      body: { id, archived: false },
    });
    assert.equal(back.json.archived, false);
    assert.equal(back.json.version, 3);
    const again = await s.req("POST", "/v1/recall", {
      key: writerA,
      body: { namespace: "a", query: "staging database" },
    });
    assert.equal(again.json.memories[0].memory.id, id);
    assertError(
      await s.req("POST", "/v1/archive", { key: writerA, body: { id, extra: 1 } }),
      400,
      "INVALID_INPUT",
    );
  });
});
