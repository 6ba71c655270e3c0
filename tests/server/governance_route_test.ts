/**
 * `GET /v1/admin/team/governance` on a real loopback server: memoryOSS's summary counters,
 * computed here by hand for four stored memories, branches, stale governance, admin role.
 */
import assert from "node:assert/strict";
import { assertError, type Json, withServer } from "./_api_support.ts";

const gov = (o: Record<string, unknown>) => ({
  team_governance: { proposed_by: "alice", watchlist: [], ...o },
});

Deno.test("GET /v1/admin/team/governance: summary and branches", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["team"]);
    const writer = await s.key("writer", ["team"]);
    const memories = [
      {
        content: "Production deploys need a staging smoke test first.",
        metadata: gov({
          branch: "main",
          scope: "deploy",
          review_required: true,
          owners: ["alice", "bob"],
          watchlist: ["prod"],
          proposed_at: "2099-01-01T00:00:00Z",
          merged_by: "bob",
          merged_at: "2099-01-02T00:00:00Z",
        }),
      },
      {
        content: "Secrets are rotated every ninety days by the platform team.",
        status: "candidate",
        metadata: gov({
          branch: "main",
          scope: "security",
          review_required: false,
          owners: ["alice"],
          watchlist: ["prod", "secrets"],
          proposed_at: "2020-01-01T00:00:00Z",
        }),
      },
      {
        content: "Release branches are cut on Thursdays after the sync.",
        metadata: gov({
          branch: "release",
          scope: "deploy",
          review_required: true,
          owners: ["carol"],
          proposed_at: "2099-01-01T00:00:00Z",
        }),
      },
      { content: "The office plant gets watered on Mondays." },
    ];
    for (const m of memories) {
      const r = await s.req("POST", "/v1/store", { key: writer, body: m });
      assert.equal(r.status, 200, r.text);
    }
    assertError(await s.req("GET", "/v1/admin/team/governance", { key: writer }), 403, "FORBIDDEN");
    assertError(await s.req("GET", "/v1/admin/team/governance"), 401, "UNAUTHORIZED");
    assertError(
      await s.req("GET", "/v1/admin/team/governance?namespace=other", { key: admin }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("GET", "/v1/admin/team/governance?x=1", { key: admin }),
      400,
      "INVALID_INPUT",
    );

    const r = await s.req("GET", "/v1/admin/team/governance", { key: admin });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.summary, {
      governed_memories: 3,
      active_branches: 2,
      review_required_scopes: 1,
      pending_review: 1,
      duplicate_memories: 0,
      stale_policies: 1,
      conflicting_decisions: 0,
      watchlist_entries: 2,
      owner_count: 3,
    });
    assert.deepEqual(r.json.branches.map((b: Json) => b.branch), ["main", "release"]);
    const main = r.json.branches[0];
    assert.equal(main.memory_count, 2);
    assert.deepEqual(main.scopes, ["deploy", "security"]);
    assert.deepEqual(main.owners, ["alice", "bob"]);
    const stale = main.memories.find((m: Json) => m.scope === "security");
    assert.equal(stale.stale_governance, true, "changed after it was proposed, never merged");
    assert.equal(stale.status, "candidate");
  });
});

Deno.test("POST /v1/admin/team/governance/propose: candidate when review is required", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["team"]);
    const writer = await s.key("writer", ["team"]);
    const body = {
      content: "Schema migrations run only in the Tuesday window.",
      tags: ["policy"],
      branch: "main",
      scope: "database",
      review_required: true,
      owners: ["dba"],
      watchlist: ["migrations"],
    };
    assertError(
      await s.req("POST", "/v1/admin/team/governance/propose", { key: writer, body }),
      403,
      "FORBIDDEN",
    );
    const r = await s.req("POST", "/v1/admin/team/governance/propose", { key: admin, body });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, "candidate");
    assert.equal(r.json.review_key, `review:${r.json.id}`);
    const m = s.rt.store.getById(r.json.id)!.record;
    const g = m.metadata.team_governance as Json;
    assert.equal(g.branch, "main");
    assert.equal(g.scope, "database");
    assert.equal(g.review_required, true);
    assert.deepEqual(g.owners, ["dba"]);
    assert.ok(!Number.isNaN(Date.parse(g.proposed_at)));
    assert.equal(g.merged_at, null);

    const open = await s.req("POST", "/v1/admin/team/governance/propose", {
      key: admin,
      body: { ...body, content: "Backups are verified every Friday.", review_required: false },
    });
    assert.equal(open.json.status, "active");
    const view = await s.req("GET", "/v1/admin/team/governance", { key: admin });
    assert.equal(view.json.summary.governed_memories, 2);
    assert.equal(view.json.summary.pending_review, 1);

    for (
      const [bad, re] of [
        [{ ...body, branch: "" }, /branch/],
        [{ ...body, content: "" }, /content/],
        [{ ...body, owners: "dba" }, /owners/],
      ] as const
    ) {
      assertError(
        await s.req("POST", "/v1/admin/team/governance/propose", { key: admin, body: bad }),
        400,
        "INVALID_INPUT",
        re,
      );
    }
  });
});
