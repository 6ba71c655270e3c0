/**
 * memoryOSS's admin stats routes on a real loopback server: caches this runtime does not keep
 * (zero, never an error), space and IDF stats, per-source trust reputation (Beta(2,1) prior,
 * computed here by hand), the HUD as JSON and escaped HTML, admin role and scope.
 */
import assert from "node:assert/strict";
import { assertError, type Json, withServer } from "./_api_support.ts";

const CONTENTS = [
  "Café menu changes weekly on Mondays.",
  "The build cache lives in /var/cache/ci.",
];

Deno.test("/v1/admin stats routes: caches, space, idf, trust, hud", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["proj"]);
    const writer = await s.key("writer", ["proj"]);
    const ids: string[] = [];
    for (const content of CONTENTS) {
      const r = await s.req("POST", "/v1/store", { key: writer, body: { content } });
      assert.equal(r.status, 200, r.text);
      ids.push(r.json.id);
    }
    const cand = await s.req("POST", "/v1/store", {
      key: writer,
      body: { content: "Maybe <b>bold</b> release notes need review.", status: "candidate" },
    });
    assert.equal(cand.status, 200, cand.text);
    const fb = await s.req("POST", "/v1/feedback", {
      key: writer,
      body: { id: ids[0], action: "confirm" },
    });
    assert.equal(fb.status, 200, fb.text);

    for (const path of ["cache", "intent-cache", "prefetch"]) {
      assertError(await s.req("GET", `/v1/admin/${path}/stats`, { key: writer }), 403, "FORBIDDEN");
      const st = await s.req("GET", `/v1/admin/${path}/stats`, { key: admin });
      assert.equal(st.status, 200, st.text);
      assert.equal(st.json.enabled, false);
      assert.equal(st.json.entries, 0);
      assert.match(st.json.note, /no .*(cache|prefetch)/);
    }
    for (const path of ["cache", "intent-cache"]) {
      const f = await s.req("POST", `/v1/admin/${path}/flush`, { key: admin });
      assert.deepEqual(f.json, { flushed: true, entries_removed: 0 });
    }

    const enc = new TextEncoder();
    const bytes = [...CONTENTS, "Maybe <b>bold</b> release notes need review."]
      .reduce((a, t) => a + enc.encode(t).length, 0);
    const space = await s.req("GET", "/v1/admin/space-stats", { key: admin });
    assert.equal(space.status, 200, space.text);
    assert.equal(space.json.total_memories, 3);
    assert.equal(space.json.total_bytes, bytes, "UTF-8 bytes, é counts two");
    assert.equal(space.json.decomposition_threshold_bytes, 200000);
    assert.deepEqual(space.json.namespaces.map((n: Json) => n.namespace), ["proj"]);
    assertError(
      await s.req("GET", "/v1/admin/space-stats?namespace=other", { key: admin }),
      403,
      "FORBIDDEN_NAMESPACE",
    );

    const idf = await s.req("GET", "/v1/admin/idf-stats", { key: admin });
    assert.equal(idf.json.total_docs, 3);

    const trust = await s.req("GET", "/v1/admin/trust-stats", { key: admin });
    assert.equal(trust.status, 200, trust.text);
    assert.equal(trust.json.sources.length, 1, "one writer key stored everything");
    const src = trust.json.sources[0];
    assert.equal(src.memories, 3);
    assert.equal(src.confirms, 1);
    // Beta(2,1) prior + 1 confirm: α = 3, β = 1 → 0.75
    assert.equal(src.alpha, 3);
    assert.equal(src.beta, 1);
    assert.equal(src.reputation, 0.75);
    assert.equal(trust.json.config.threshold, 0.3);

    const h = await s.req("GET", "/v1/admin/hud?limit=5", { key: admin });
    assert.equal(h.status, 200, h.text);
    assert.equal(h.json.namespace, "proj");
    assert.equal(h.json.lifecycle.total, 3);
    assert.equal(h.json.lifecycle.candidate, 1);
    assert.equal(h.json.review_queue.summary.pending, 1);
    assert.ok(Array.isArray(h.json.recent));
    const html = await s.req("GET", "/v1/admin/hud?format=html", { key: admin });
    assert.equal(html.status, 200);
    assert.match(html.headers.get("content-type") ?? "", /text\/html/);
    assert.match(html.text, /<h1>memoryoss HUD: proj<\/h1>/);
    assert.ok(html.text.includes("&lt;b&gt;bold&lt;/b&gt;"), "content is escaped");
    assert.ok(!html.text.includes("<b>bold"));
    assertError(
      await s.req("GET", "/v1/admin/hud?limit=26", { key: admin }),
      400,
      "INVALID_INPUT",
      /limit/,
    );
    assertError(
      await s.req("GET", "/v1/admin/hud?format=pdf", { key: admin }),
      400,
      "INVALID_INPUT",
      /format/,
    );
  });
});
