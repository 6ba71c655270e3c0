/**
 * `/v1/connectors` and `/v1/connectors/ingest` on a real loopback server (memoryOSS §2.5):
 * the connector list, candidates with memoryOSS's content, tags, confidence and provenance,
 * redaction of whole lines holding secrets, dry runs, roles and bad input.
 */
import assert from "node:assert/strict";
import { assertError, countIn, type Json, withServer } from "./_api_support.ts";

Deno.test("GET /v1/connectors: every kind, off by default, redacting by default", async () => {
  await withServer(async (s) => {
    const reader = await s.key("reader", ["proj"]);
    const r = await s.req("GET", "/v1/connectors", { key: reader });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.json.connectors.map((c: Json) => c.kind),
      ["editor", "terminal", "browser", "docs", "ticket", "calendar", "pull_request", "incident"],
    );
    for (const c of r.json.connectors) {
      assert.equal(c.enabled_by_default, false);
      assert.equal(c.redact_sensitive_by_default, true);
      assert.equal(c.capture_raw_by_default, false);
      assert.equal(typeof c.label, "string");
      assert.equal(typeof c.description, "string");
    }
    assert.equal(r.json.ingest_path, "/v1/connectors/ingest");
    assert.equal(r.json.review_queue_path, "/v1/admin/review-queue");
    assertError(await s.req("GET", "/v1/connectors"), 401, "UNAUTHORIZED");
  });
});

Deno.test("POST /v1/connectors/ingest: a redacted candidate in the review queue", async () => {
  await withServer(async (s) => {
    const reader = await s.key("reader", ["proj"]);
    const writer = await s.key("writer", ["proj"]);
    const admin = await s.key("admin", ["proj"]);
    const req = {
      connector: "pr",
      summary: "Merged the retry budget change for the billing worker.",
      evidence: ["PR #42 approved by ops", "token: Bearer abcdef"],
      tags: ["billing"],
      source_ref: "GitHub PR #42 / billing-worker",
    };
    const dry = await s.req("POST", "/v1/connectors/ingest", {
      key: writer,
      body: { ...req, dry_run: true },
    });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.dry_run, true);
    assert.equal(dry.json.source, "ambient-connector:pull_request");
    assert.equal(dry.json.review_key, undefined);
    assert.equal(dry.json.preview.connector, "pull_request");
    assert.equal(dry.json.preview.evidence_count, 2);
    assert.equal(dry.json.preview.redacted, true, "the bearer line is redacted");
    assert.deepEqual(dry.json.preview.tags, [
      "ambient-capture",
      "connector:pull_request",
      "client:ambient_mesh",
      "source_ref:github_pr_42_billing_worker",
      "billing",
    ]);
    assert.equal(countIn(s.rt, "proj"), 0, "a dry run stores nothing");

    assertError(
      await s.req("POST", "/v1/connectors/ingest", { key: reader, body: req }),
      403,
      "FORBIDDEN",
    );
    const done = await s.req("POST", "/v1/connectors/ingest", { key: writer, body: req });
    assert.equal(done.status, 200, done.text);
    assert.match(done.json.review_key, /^review:[0-9a-f-]{36}$/);
    const m = s.rt.store.getById(done.json.review_key.slice("review:".length))!.record;
    assert.equal(m.namespace, "proj");
    assert.equal(m.status, "candidate");
    assert.equal(m.confidence, 0.15);
    assert.equal(m.source_key, "ambient-connector:pull_request");
    // the evidence item holding the token is replaced whole; the rest is kept
    assert.equal(
      m.content,
      "Pull request signal: Merged the retry budget change for the billing worker. " +
        "Evidence: PR #42 approved by ops | [REDACTED: contains bearer ]",
    );

    const clean = await s.req("POST", "/v1/connectors/ingest", {
      key: writer,
      body: {
        connector: "incidents",
        summary: "Cache stampede after deploy",
        evidence: ["p95 8s", "fixed by jitter"],
      },
    });
    assert.equal(clean.status, 200, clean.text);
    const c2 = s.rt.store.getById(clean.json.id)!.record;
    assert.equal(
      c2.content,
      "Incident signal: Cache stampede after deploy Evidence: p95 8s | fixed by jitter",
    );
    const queue = await s.req("GET", "/v1/admin/review-queue?namespace=proj", { key: admin });
    assert.equal(queue.status, 200, queue.text);
    const keys = queue.json.items.map((i: Json) => i.review_key);
    assert.ok(keys.includes(clean.json.review_key), keys.join());

    for (
      const [bad, re] of [
        [{ ...req, connector: "fax" }, /unknown connector/],
        [{ ...req, summary: " " }, /summary/],
        [{ ...req, evidence: "x" }, /evidence/],
        [{ ...req, extra: 1 }, /extra/],
      ] as const
    ) {
      assertError(
        await s.req("POST", "/v1/connectors/ingest", { key: writer, body: bad }),
        400,
        "INVALID_INPUT",
        re,
      );
    }
    assertError(
      await s.req("POST", "/v1/connectors/ingest", {
        key: writer,
        body: { ...req, namespace: "other" },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
  });
});
