/**
 * Namespace isolation across roles: a key bound to `a` can neither read, write, list nor infer
 * `b`, on every route; and each role gets exactly the routes it should.
 */
import assert from "node:assert/strict";
import type { Role } from "../../lib/auth/mod.ts";
import { assertError, type Json, type Res, type TestServer, withServer } from "./_api_support.ts";

type Op = {
  name: string;
  role: Role;
  /** "ns": the request names a namespace; "id": it names a memory by id only. */
  target: "ns" | "id";
  run: (s: TestServer, key: string, ns: string, id: string) => Promise<Res>;
};

const OPS: Op[] = [
  {
    name: "store",
    role: "writer",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/store", { key, body: { content: `new fact for ${ns}`, namespace: ns } }),
  },
  {
    name: "store/batch",
    role: "writer",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/store/batch", {
        key,
        body: { memories: [{ content: `batch fact for ${ns}`, namespace: ns }] },
      }),
  },
  {
    name: "recall",
    role: "reader",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/recall", { key, body: { query: "secret plan", namespace: ns } }),
  },
  {
    name: "recall/batch",
    role: "reader",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/recall/batch", {
        key,
        body: { queries: [{ query: "secret plan", namespace: ns }] },
      }),
  },
  {
    name: "update by id",
    role: "writer",
    target: "id",
    run: (s, key, _ns, id) => s.req("PATCH", "/v1/update", { key, body: { id, tags: ["t"] } }),
  },
  {
    name: "update naming namespace",
    role: "writer",
    target: "ns",
    run: (s, key, ns, id) =>
      s.req("PATCH", "/v1/update", { key, body: { id, namespace: ns, tags: ["t"] } }),
  },
  {
    name: "feedback by id",
    role: "writer",
    target: "id",
    run: (s, key, _ns, id) =>
      s.req("POST", "/v1/feedback", { key, body: { id, action: "confirm" } }),
  },
  {
    name: "forget naming namespace",
    role: "admin",
    target: "ns",
    run: (s, key, ns) =>
      s.req("DELETE", "/v1/forget", { key, body: { namespace: ns, tags: ["nothing-has-this"] } }),
  },
  {
    name: "consolidate",
    role: "admin",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/consolidate", { key, body: { namespace: ns, dry_run: true } }),
  },
  {
    name: "export",
    role: "reader",
    target: "ns",
    run: (s, key, ns) => s.req("GET", `/v1/export?namespace=${ns}`, { key }),
  },
  {
    name: "memories",
    role: "reader",
    target: "ns",
    run: (s, key, ns) => s.req("GET", `/v1/memories?namespace=${ns}`, { key }),
  },
  {
    name: "inspect",
    role: "reader",
    target: "id",
    run: (s, key, _ns, id) => s.req("GET", `/v1/inspect/${id}`, { key }),
  },
  {
    name: "peek",
    role: "reader",
    target: "id",
    run: (s, key, _ns, id) => s.req("GET", `/v1/peek/${id}`, { key }),
  },
  {
    name: "review-queue",
    role: "admin",
    target: "ns",
    run: (s, key, ns) => s.req("GET", `/v1/admin/review-queue?namespace=${ns}`, { key }),
  },
  {
    name: "review/action",
    role: "admin",
    target: "id",
    run: (s, key, _ns, id) =>
      s.req("POST", "/v1/admin/review/action", {
        key,
        body: { review_key: `review:${id}`, action: "confirm" },
      }),
  },
  {
    name: "lifecycle",
    role: "admin",
    target: "ns",
    run: (s, key, ns) => s.req("GET", `/v1/admin/lifecycle?namespace=${ns}`, { key }),
  },
  {
    name: "recent",
    role: "admin",
    target: "ns",
    run: (s, key, ns) => s.req("GET", `/v1/admin/recent?namespace=${ns}`, { key }),
  },
  {
    name: "query-explain",
    role: "admin",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/admin/query-explain", { key, body: { query: "secret", namespace: ns } }),
  },
  {
    name: "index-health",
    role: "admin",
    target: "ns",
    run: (s, key, ns) => s.req("GET", `/v1/admin/index-health?namespace=${ns}`, { key }),
  },
  {
    name: "mint token",
    role: "admin",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/admin/tokens", { key, body: { role: "reader", namespace: ns } }),
  },
  {
    name: "create key",
    role: "admin",
    target: "ns",
    run: (s, key, ns) =>
      s.req("POST", "/v1/admin/keys", { key, body: { role: "reader", namespaces: [ns] } }),
  },
];

const RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

function snapshot(s: TestServer, ns: string): string {
  return JSON.stringify(
    s.rt.store.db.prepare(
      "SELECT id, version, status, tags, content FROM memories WHERE namespace = ? ORDER BY id",
    ).all(ns),
  );
}

Deno.test("api isolation: every route × every role, own namespace vs another (matrix)", async () => {
  await withServer(async (s) => {
    const seed = async (ns: string, content: string): Promise<string> => {
      const r = await s.req("POST", "/v1/store", {
        key: s.admin,
        body: { content, namespace: ns, tags: ["seed"] },
      });
      assert.equal(r.status, 200, r.text);
      return r.json.id;
    };
    const idA = await seed("a", "Team A secret plan: ship the alpha on Monday.");
    const idB = await seed("b", "Team B secret plan: migrate billing to the new ledger.");
    const bBefore = snapshot(s, "b");
    const failures: string[] = [];
    for (const role of ["reader", "writer", "admin"] as Role[]) {
      const key = await s.key(role, ["a"]);
      for (const op of OPS) {
        const allowed = RANK[role] >= RANK[op.role];
        // Own namespace.
        const own = await op.run(s, key, "a", idA);
        const ownOk = allowed ? own.status < 300 : own.status === 403 &&
          own.json?.error?.code === "FORBIDDEN";
        if (!ownOk) failures.push(`${role} ${op.name} on a → ${own.status} ${own.text}`);
        // Someone else's namespace (and one that does not exist): same refusal.
        for (const other of ["b", "zzz-does-not-exist"]) {
          const id = other === "b" ? idB : "01900000-0000-7000-8000-000000000000";
          const r = await op.run(s, key, other, id);
          const want = !allowed
            ? [403, "FORBIDDEN"]
            : op.target === "ns"
            ? [403, "FORBIDDEN_NAMESPACE"]
            : [404, "NOT_FOUND"];
          if (r.status !== want[0] || r.json?.error?.code !== want[1]) {
            failures.push(`${role} ${op.name} on ${other} → ${r.status} ${r.text}`);
          }
          if (r.text.includes("billing") || r.text.includes("ledger")) {
            failures.push(`${role} ${op.name} leaked b content: ${r.text}`);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(snapshot(s, "b"), bBefore, "namespace b changed");
  });
});

Deno.test("api isolation: a key for a cannot infer b (ids, listings, counts, metrics, keys)", async () => {
  await withServer(async (s) => {
    const r = await s.req("POST", "/v1/store", {
      key: s.admin,
      body: { content: "Team B secret plan: migrate billing.", namespace: "b" },
    });
    const idB = r.json.id;
    await s.req("POST", "/v1/recall", { key: s.admin, body: { query: "billing", namespace: "b" } });
    const bKey = await s.key("reader", ["b"]);
    const adminA = await s.key("admin", ["a"]);
    await s.req("POST", "/v1/store", { key: adminA, body: { content: "A note for team a." } });

    // An id in b looks exactly like an id that never existed.
    const real = await s.req("GET", `/v1/inspect/${idB}`, { key: adminA });
    const fake = await s.req("GET", "/v1/inspect/01900000-0000-7000-8000-000000000000", {
      key: adminA,
    });
    assert.equal(real.status, fake.status);
    assert.equal(
      real.json.error.message.replace(idB, "ID"),
      fake.json.error.message.replace("01900000-0000-7000-8000-000000000000", "ID"),
    );
    // Forget by b's id looks only in a: not found, exactly like an id that never existed; b untouched.
    const f = await s.req("DELETE", "/v1/forget", { key: adminA, body: { ids: [idB] } });
    const g = await s.req("DELETE", "/v1/forget", {
      key: adminA,
      body: { ids: ["01900000-0000-7000-8000-000000000000"] },
    });
    assertError(f, 404, "NOT_FOUND");
    assert.equal(
      f.json.error.message.replace(idB, "ID"),
      g.json.error.message.replace("01900000-0000-7000-8000-000000000000", "ID"),
    );
    assert.ok(s.rt.store.getById(idB));
    // Listings and counts see only a.
    const ns: Json = (await s.req("GET", "/v1/namespaces", { key: adminA })).json;
    assert.deepEqual(ns.namespaces.map((n: Json) => n.namespace), ["a"]);
    assert.deepEqual(ns.scope, ["a"]);
    const metrics = (await s.req("GET", "/metrics", { key: adminA })).text;
    assert.match(metrics, /^memoryoss_stores_total 1$/m);
    assert.match(metrics, /^memoryoss_recalls_total 0$/m);
    assert.match(metrics, /^memoryoss_memories 1$/m);
    assert.doesNotMatch(metrics, /http_requests_total|write_queue/);
    const health = (await s.req("GET", "/v1/admin/index-health", { key: adminA })).json;
    assert.equal(health.memory_rows, 1);
    assert.equal(health.fts_rows, undefined);
    const keys = (await s.req("GET", "/v1/admin/keys", { key: adminA })).json.keys;
    assert.ok(
      keys.every((k: Json) => JSON.stringify(k.namespaces) === '["a"]'),
      JSON.stringify(keys),
    );
    assertError(
      await s.req(
        "DELETE",
        `/v1/admin/keys/${
          (await s.req("GET", "/v1/admin/keys", { key: s.admin }))
            .json.keys.find((k: Json) => JSON.stringify(k.namespaces) === '["b"]').key_id
        }`,
        {
          key: adminA,
        },
      ),
      404,
      "NOT_FOUND",
    );
    const recent = (await s.req("GET", "/v1/admin/recent", { key: adminA })).json;
    assert.ok(recent.events.every((e: Json) => e.namespace === "a"));
    // The b reader sees b and only b.
    const asB = await s.req("POST", "/v1/recall", { key: bKey, body: { query: "secret plan" } });
    assert.equal(asB.json.namespace, "b");
    assert.equal(asB.json.memories[0].memory.id, idB);
  });
});
