/**
 * HTTP API behaviour and JSON shapes: store/batch/recall/update/feedback/forget/consolidate,
 * export, memories, inspect, peek, review queue, lifecycle, recent, query-explain,
 * index-health, runtime contract, namespaces and metrics.
 */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import { createApiKey } from "../../lib/auth/mod.ts";
import { startServer } from "../../lib/server/mod.ts";
import { assertError, type Json, request, withServer } from "./_api_support.ts";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("api memory: store → {id, version}; batch → {stored:[…]}; recall → memoryOSS ScoredMemory", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    const one = await s.req("POST", "/v1/store", {
      key: k,
      body: { content: "Deploy only after staging signoff.", tags: ["deploy"] },
    });
    assert.equal(one.status, 200, one.text);
    assert.match(one.json.id, ID);
    assert.equal(one.json.version, 1);
    assert.equal(one.json.outcome, "created");
    const dup = await s.req("POST", "/v1/store", {
      key: k,
      body: { content: "Deploy only after staging signoff." },
    });
    assert.deepEqual(
      { id: dup.json.id, version: dup.json.version, outcome: dup.json.outcome },
      { id: one.json.id, version: 2, outcome: "merged" },
    );
    const batch = await s.req("POST", "/v1/store/batch", {
      key: k,
      body: {
        memories: [
          { content: "The billing service reads STRIPE_API_KEY from the environment." },
          { content: "Cats sleep most of the day.", namespace: "pets" },
        ],
      },
    });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.json.stored.length, 2);
    for (const st of batch.json.stored) {
      assert.match(st.id, ID);
      assert.equal(st.version, 1);
    }
    const r = await s.req("POST", "/v1/recall", {
      key: k,
      body: { query: "when can we deploy?", limit: 5 },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.namespace, "default");
    const top: Json = r.json.memories[0];
    assert.deepEqual(Object.keys(top).sort(), [
      "low_trust",
      "memory",
      "provenance",
      "score",
      "trust_score",
    ]);
    assert.equal(top.memory.id, one.json.id);
    assert.equal(top.memory.content, "Deploy only after staging signoff.");
    assert.equal(top.memory.status, "active");
    assert.equal(top.memory.evidence_count, 2);
    assert.equal(top.memory.embedding, undefined, "no raw embeddings");
    assert.equal(typeof top.score, "number");
    assert.ok(top.trust_score > 0 && top.trust_score <= 1);
    assert.ok(!r.text.includes("Cats"), "other namespace leaked into default recall");
    // memoryOSS clients may send limit > 100 and consistency.
    const compat = await s.req("POST", "/v1/recall", {
      key: k,
      body: { query: "STRIPE_API_KEY", limit: 500, consistency: "eventual" },
    });
    assert.equal(compat.status, 200, compat.text);
    assert.ok(compat.json.memories[0].provenance.includes("exact"));
    const rb = await s.req("POST", "/v1/recall/batch", {
      key: k,
      body: { queries: [{ query: "deploy" }, { query: "cats", namespace: "pets" }] },
    });
    assert.equal(rb.json.results.length, 2);
    assert.equal(rb.json.results[1].namespace, "pets");
    assert.match(rb.json.results[1].memories[0].memory.content, /Cats/);
  });
});

Deno.test("api memory: recall hides candidates by default; status/explain flags opt in", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    const store = async (content: string, extra: Json = {}) =>
      (await s.req("POST", "/v1/store", { key: k, body: { content, ...extra } })).json.id;
    const active = await store("The staging database is called orbit-staging.");
    const cand = await store("The staging database might be called orbit-stage2.", {
      status: "candidate",
    });
    const q = { query: "staging database name" };
    const def = await s.req("POST", "/v1/recall", { key: k, body: q });
    assert.deepEqual(def.json.memories.map((m: Json) => m.memory.id), [active]);
    const wide = await s.req("POST", "/v1/recall", {
      key: k,
      body: { ...q, status: ["active", "candidate"], explain: true },
    });
    const ids = wide.json.memories.map((m: Json) => m.memory.id);
    assert.ok(ids.includes(cand) && ids.includes(active));
    const c = wide.json.memories.find((m: Json) => m.memory.id === cand);
    assert.equal(c.memory.status, "candidate");
    assert.deepEqual(Object.keys(c.explain.channels).sort(), ["exact", "fts", "recency", "vector"]);
  });
});

Deno.test("api memory: update, feedback confirm/reject/supersede, review queue and action", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    const a = (await s.req("POST", "/v1/store", {
      key: k,
      body: { content: "Releases are cut from the main branch every Tuesday.", confidence: 0.5 },
    })).json.id;
    const b = (await s.req("POST", "/v1/store", {
      key: k,
      body: { content: "Releases are cut from the release branch every Thursday." },
    })).json.id;
    const u = await s.req("PATCH", "/v1/update", { key: k, body: { id: a, tags: ["release"] } });
    assert.equal(u.status, 200, u.text);
    assert.deepEqual(Object.keys(u.json).sort(), [
      "contradicts_with",
      "eligible_for_injection",
      "id",
      "status",
      "updated_at",
      "version",
    ]);
    assert.equal(u.json.version, 2);
    assertError(
      await s.req("PATCH", "/v1/update", {
        key: k,
        body: { id: "01900000-0000-7000-8000-000000000000", tags: ["x"] },
      }),
      404,
      "NOT_FOUND",
    );

    const rej = await s.req("POST", "/v1/feedback", { key: k, body: { id: a, action: "reject" } });
    assert.equal(rej.status, 200, rej.text);
    assert.equal(rej.json.status, "contested");
    assert.equal(rej.json.confidence, 0.25);
    assert.equal(rej.json.reject_count, 1);
    // Rejected memories wait in the review queue.
    const queue = await s.req("GET", "/v1/admin/review-queue", { key: k });
    assert.equal(queue.status, 200, queue.text);
    assert.equal(queue.json.summary.pending, 1);
    assert.equal(queue.json.summary.rejected, 1);
    const item = queue.json.items[0];
    assert.equal(item.review_key, `review:${a}`);
    assert.equal(item.queue_kind, "rejected");
    assert.equal(item.suggested_action, "reject");
    // Supersede needs a replacement and not itself.
    assertError(
      await s.req("POST", "/v1/feedback", { key: k, body: { id: a, action: "supersede" } }),
      400,
      "INVALID_INPUT",
      /superseded_by/,
    );
    assertError(
      await s.req("POST", "/v1/feedback", {
        key: k,
        body: { id: a, action: "supersede", superseded_by: a },
      }),
      400,
      "INVALID_INPUT",
      /itself/,
    );
    const act = await s.req("POST", "/v1/admin/review/action", {
      key: k,
      body: {
        review_key: `rq:${a}`,
        action: "supersede",
        supersede_with_review_key: `review:${b}`,
      },
    });
    assert.equal(act.status, 200, act.text);
    assert.equal(act.json.queue_kind_before, "rejected");
    assert.equal(act.json.memory.status, "stale");
    assert.equal(act.json.memory.superseded_by, b);
    assert.equal(act.json.replacement.id, b);
    const conf = await s.req("POST", "/v1/feedback", {
      key: k,
      body: { id: a, action: "confirm" },
    });
    assert.equal(conf.json.status, "active");
    assert.equal(conf.json.superseded_by, null);
    assert.equal(conf.json.confirm_count, 1);
    assert.equal(conf.json.confidence, 0.5);
    const insp = await s.req("GET", `/v1/inspect/${a}`, { key: k });
    assert.equal(insp.json.review_events.length, 3);
    assert.deepEqual(insp.json.review_events.map((e: Json) => e.via), [
      "api",
      "review_queue",
      "api",
    ]);
    assert.equal(insp.json.eligible_for_injection, true);
    assert.equal(typeof insp.json.trust_score, "number");
    assert.equal(insp.json.review_queue_kind, null);
    assert.equal(insp.json.has_embedding, true);
    const recent = await s.req("GET", "/v1/admin/recent?limit=10", { key: k });
    assert.deepEqual(recent.json.events.map((e: Json) => e.kind), [
      "feedback.confirm",
      "feedback.supersede",
      "feedback.reject",
    ]);
    const life = await s.req("GET", "/v1/admin/lifecycle", { key: k });
    assert.deepEqual(life.json.summary, {
      total: 2,
      active: 2,
      candidate: 0,
      contested: 0,
      stale: 0,
      archived: 0,
    });
  });
});

Deno.test("api memory: forget needs ids, a filter or all=true (admin only)", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    await s.req("POST", "/v1/store/batch", {
      key: k,
      body: {
        memories: [
          { content: "alpha one", tags: ["tmp"] },
          { content: "beta two", tags: ["keep"] },
          { content: "gamma three" },
        ],
      },
    });
    assertError(
      await s.req("DELETE", "/v1/forget", { key: k, body: {} }),
      400,
      "INVALID_INPUT",
      /unscoped forget/,
    );
    const dry = await s.req("DELETE", "/v1/forget", {
      key: k,
      body: { tags: ["tmp"], dry_run: true },
    });
    assert.equal(dry.json.would_delete.count, 1);
    assert.equal(dry.json.dry_run, true);
    assert.equal(dry.json.deleted, undefined, "a dry run never reports deleted");
    const tagged = await s.req("DELETE", "/v1/forget", { key: k, body: { tags: ["tmp"] } });
    assert.deepEqual(
      { deleted: tagged.json.deleted, namespace: tagged.json.namespace },
      { deleted: 1, namespace: "default" },
    );
    const writer = await s.key("writer", ["default"]);
    assertError(
      await s.req("DELETE", "/v1/forget", { key: writer, body: { all: true } }),
      403,
      "FORBIDDEN",
      /admin role/,
    );
    const all = await s.req("POST", "/v1/forget", { key: k, body: { all: true } });
    assert.equal(all.json.deleted, 2);
    assert.equal((await s.req("GET", "/v1/memories", { key: k })).json.count, 0);
  });
});

Deno.test("api memory: consolidate merges near-duplicates into one derived memory with lineage", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    const base = "The nightly backup job writes encrypted snapshots to the cold storage bucket";
    const ids: string[] = [];
    for (
      const c of [
        `${base}.`,
        // Different enough not to merge on write (cosine < 0.95), yet a structural duplicate.
        `${base}, and a weekly job verifies that restores work in the staging cluster.`,
        "An unrelated note about the office coffee machine being broken again.",
      ]
    ) {
      const r = await s.req("POST", "/v1/store", { key: k, body: { content: c } });
      assert.equal(r.json.outcome, "created", r.text);
      ids.push(r.json.id);
    }
    const dry = await s.req("POST", "/v1/consolidate", { key: k, body: { dry_run: true } });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.groups.length, 1);
    assert.deepEqual([...dry.json.groups[0].source_ids].sort(), [ids[0], ids[1]].sort());
    assert.equal(dry.json.dry_run, true);
    const run = await s.req("POST", "/v1/consolidate", { key: k, body: {} });
    assert.equal(run.json.derived_created, 1);
    assert.equal(run.json.active_before, 3);
    assert.equal(run.json.active_after, 2);
    const derived = run.json.groups[0].derived_id;
    const d = await s.req("GET", `/v1/inspect/${derived}`, { key: k });
    assert.deepEqual(d.json.derived_from, [ids[0], ids[1]].sort());
    assert.match(d.json.content, /weekly job verifies/);
    const src = await s.req("GET", `/v1/inspect/${ids[0]}`, { key: k });
    assert.equal(src.json.archived, true);
    assert.equal(src.json.status, "stale");
    assert.equal(src.json.superseded_by, derived);
    const rec = await s.req("POST", "/v1/recall", { key: k, body: { query: "nightly backup" } });
    assert.deepEqual(
      rec.json.memories.map((m: Json) => m.memory.id).filter((id: string) =>
        ids.slice(0, 2).includes(id)
      ),
      [],
    );
    assert.equal(rec.json.memories[0].memory.id, derived);
  });
});

Deno.test("api memory: export, memories, peek, namespaces, contract, explain, health, metrics", async () => {
  await withServer(async (s) => {
    const k = s.admin;
    const id = (await s.req("POST", "/v1/store", {
      key: k,
      body: { content: "Use pnpm, not npm, in the web repo.", agent: "claude", namespace: "web" },
    })).json.id;
    const exp = await s.req("GET", "/v1/export?namespace=web", { key: k });
    assert.equal(exp.json.count, 1);
    assert.equal(exp.json.runtime_contract.contract_id, "memoryoss.runtime.v1alpha1");
    assert.equal(exp.json.memories[0].id, id);
    const mem = await s.req("GET", "/v1/memories?namespace=web&agent=claude", { key: k });
    assert.deepEqual(
      { namespace: mem.json.namespace, agent: mem.json.agent, count: mem.json.count },
      { namespace: "web", agent: "claude", count: 1 },
    );
    const peek = await s.req("GET", `/v1/peek/${id}`, { key: k });
    assert.equal(peek.json.preview, "Use pnpm, not npm, in the web repo.");
    assert.equal(peek.json.content, undefined);
    const ns = await s.req("GET", "/v1/namespaces", { key: k });
    assert.deepEqual(ns.json.namespaces.map((n: Json) => [n.namespace, n.total, n.active]), [[
      "web",
      1,
      1,
    ]]);
    const contract = await s.req("GET", "/v1/runtime/contract", { key: k });
    for (
      const key of [
        "contract_id",
        "version",
        "runtime_name",
        "stable_semantics",
        "experimental_layers",
        "object_model",
        "guarantees",
        "api_mappings",
        "known_gaps",
      ]
    ) assert.ok(key in contract.json, key);
    const ex = await s.req("POST", "/v1/admin/query-explain", {
      key: k,
      body: { query: "which package manager in the web repo", namespace: "web" },
    });
    assert.equal(ex.status, 200, ex.text);
    assert.equal(ex.json.final_results[0].id, id);
    assert.ok(ex.json.vector_results.length >= 1);
    assert.equal(typeof ex.json.weights.vector, "number");
    const health = await s.req("GET", "/v1/admin/index-health", { key: k });
    assert.equal(health.json.fts_consistent, true);
    assert.equal(health.json.fts_rows, 1);
    assert.equal(health.json.vector_index_consistent, true);
    assert.equal(health.json.write_queue.pending_items, 0);
    const metrics = await s.req("GET", "/metrics", { key: k });
    assert.match(metrics.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    assert.match(metrics.text, /^memoryoss_stores_total 1$/m);
    assert.match(metrics.text, /^# TYPE memoryoss_recalls_total counter$/m);
    assert.match(metrics.text, /^memoryoss_http_requests_total\{code="2xx"\} \d+$/m);
  });
});

Deno.test("api memory: a runtime outlives its server; a second server on it still writes", async () => {
  await using t = await tempRuntime();
  const key = (await createApiKey(t.rt.store, { role: "writer", namespaces: ["x"] }))!.key;
  for (const round of [1, 2]) {
    const server = await startServer(t.rt, "127.0.0.1", 0, { log: () => {} });
    try {
      const r = await request(`${server.url}/v1/store`, "POST", {
        key,
        body: { content: `written in round ${round} of the restart test` },
      });
      assert.equal(r.status, 200, r.text);
    } finally {
      await server.shutdown();
    }
  }
  assert.equal(t.rt.store.count({ namespace: "x" }), 2);
});
