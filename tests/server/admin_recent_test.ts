/**
 * GET /v1/admin/recent in memoryOSS's shape (its `recent` admin view: `counts` plus the groups
 * `injections`, `extractions`, `feedbacks`, `consolidations`, each newest first and cut at
 * `limit`, entries with a 100-character preview), our activity log (`events`) kept beside it.
 * A real server on 127.0.0.1; a proxied request to a fake upstream makes the injection; roles
 * and namespaces as for every admin route. Expected values are written from those rules.
 */
import assert from "node:assert/strict";
import { type Json, request, withServer } from "./_api_support.ts";

const BASE = "The nightly backup job writes encrypted snapshots to the cold storage bucket";

Deno.test("admin recent: memoryOSS's groups with per-group limit, our events beside, scoped to admins", async () => {
  const fake = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.body?.cancel();
    return Response.json({ choices: [{ message: { role: "assistant", content: "ok" } }] });
  });
  try {
    const config = `[proxy]
enabled = true
upstream_url = "http://127.0.0.1:${fake.addr.port}/v1"
key_mapping = [{ proxy_key = "pk-recent-0001", namespace = "ops" }]
confidence_gate = false
min_recall_score = 0.01
extraction_enabled = false
`;
    await withServer(async (s) => {
      const admin = await s.key("admin", ["ops"]);
      const store = async (content: string) => {
        const r = await s.req("POST", "/v1/store", {
          key: admin,
          body: { namespace: "ops", content },
        });
        assert.equal(r.status, 200, r.text);
        return r.json.id as string;
      };
      const a = await store(`${BASE}.`);
      const b = await store(`${BASE}, and a weekly job verifies that restores work in staging.`);
      const long = await store(`The billing gateway listens on port 8443. ${"x".repeat(150)}`);
      const coffee = await store(
        "An unrelated note about the office coffee machine being broken again.",
      );

      // Feedback twice (confirm, then reject of another), a consolidation, one injection.
      for (const [id, action] of [[long, "confirm"], [coffee, "reject"]]) {
        const f = await s.req("POST", "/v1/feedback", {
          key: admin,
          body: { namespace: "ops", id, action },
        });
        assert.equal(f.status, 200, f.text);
      }
      const c = await s.req("POST", "/v1/consolidate", { key: admin, body: { namespace: "ops" } });
      assert.equal(c.status, 200, c.text);
      const derived = c.json.groups[0]?.derived_id as string;
      assert.ok(derived, c.text);
      const r = await request(`${s.url}/proxy/v1/chat/completions`, "POST", {
        key: "pk-recent-0001",
        body: {
          model: "gpt-4o",
          messages: [{ role: "user", content: "which port does the billing gateway listen on?" }],
        },
      });
      assert.equal(r.status, 200, r.text);
      assert.notEqual(r.headers.get("x-memory-injected-count"), "0");

      // The injection is booked after the response: wait for it (bounded by attempts).
      let v: Json = null;
      for (let i = 0; i < 100; i++) {
        v = (await s.req("GET", "/v1/admin/recent?namespace=ops", { key: admin })).json;
        if (v.injections.length > 0) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      assert.ok(v.injections.length > 0, JSON.stringify(v));
      const inj = v.injections.find((e: Json) => e.id === long);
      assert.ok(inj, JSON.stringify(v.injections));
      assert.deepEqual(Object.keys(inj).sort(), [
        "agent",
        "archived",
        "at",
        "id",
        "injection_count",
        "last_reused_at",
        "namespace",
        "preview",
        "reuse_count",
        "session",
        "status",
      ]);
      assert.equal(inj.injection_count, 1);
      // 100 characters, then "..."
      assert.equal(inj.preview, `The billing gateway listens on port 8443. ${"x".repeat(58)}...`);

      // Feedbacks, newest outcome first: the reject came after the confirm.
      assert.deepEqual(v.feedbacks.map((e: Json) => [e.id, e.action, e.status]), [
        [coffee, "reject", "contested"],
        [long, "confirm", "active"],
      ]);
      assert.deepEqual(v.consolidations.map((e: Json) => e.id), [derived]);
      assert.deepEqual(v.consolidations[0].derived_from, [a, b].sort());
      assert.equal(v.consolidations[0].derived_count, 2);
      assert.deepEqual(v.extractions, []); // nothing came from proxy extraction
      for (const g of ["injections", "extractions", "feedbacks", "consolidations"]) {
        assert.equal(v.counts[g], v[g].length, g);
      }
      // Our activity log stays beside, never instead.
      assert.ok(Array.isArray(v.events));
      assert.ok(
        v.events.some((e: Json) => e.kind === "feedback.confirm"),
        JSON.stringify(v.events),
      );
      assert.equal(v.counts["feedback.confirm"], 1);

      // limit is per group.
      const one = await s.req("GET", "/v1/admin/recent?namespace=ops&limit=1", { key: admin });
      assert.equal(one.status, 200, one.text);
      assert.equal(one.json.feedbacks.length, 1);
      assert.equal(one.json.events.length, 1);
      assert.equal(one.json.counts.feedbacks, 1);

      // Roles and scope: a reader is refused, another namespace's admin sees nothing of ops.
      const reader = await s.key("reader", ["ops"]);
      const denied = await s.req("GET", "/v1/admin/recent?namespace=ops", { key: reader });
      assert.equal(denied.status, 403, denied.text);
      const other = await s.key("admin", ["elsewhere"]);
      const foreign = await s.req("GET", "/v1/admin/recent?namespace=ops", { key: other });
      assert.equal(foreign.status, 403, foreign.text);
      const own = await s.req("GET", "/v1/admin/recent", { key: other });
      assert.equal(own.status, 200, own.text);
      assert.deepEqual([own.json.injections, own.json.feedbacks, own.json.events], [[], [], []]);
      const bad = await s.req("GET", "/v1/admin/recent?limit=101", { key: admin });
      assert.equal(bad.status, 400, bad.text);
    }, { config });
  } finally {
    await fake.shutdown();
  }
});
