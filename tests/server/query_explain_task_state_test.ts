/** `POST /v1/admin/query-explain` shows memoryOSS's `task_context` and compiled `task_state`. */
import assert from "node:assert/strict";
import { assertError, withServer } from "./_api_support.ts";

Deno.test("query-explain: task_context and task_state for a deploy question; null otherwise", async () => {
  await withServer(async (s) => {
    const rule = "Production deploys must wait for the smoke checklist.";
    const st = await s.req("POST", "/v1/store", { key: s.admin, body: { content: rule } });
    assert.equal(st.status, 200, st.text);
    const ex = await s.req("POST", "/v1/admin/query-explain", {
      key: s.admin,
      body: { query: "when can we deploy to production?" },
    });
    assert.equal(ex.status, 200, ex.text);
    assert.deepEqual(ex.json.task_context, {
      kind: "deploy",
      matched_terms: ["deploy", "production"],
    });
    assert.equal(
      ex.json.task_state.goal,
      "Compile the minimum safe deployment state for this task.",
    );
    assert.deepEqual(ex.json.task_state.constraints.map((c: { summary: string }) => c.summary), [
      rule,
    ]);
    assert.deepEqual(ex.json.task_state.inputs.selected_memory_ids, [st.json.id]);
    assert.deepEqual(ex.json.task_state.open_questions, [
      "Missing deploy state: confirm the blocking rollout rule or latest rollout action.",
    ]);
    const plain = await s.req("POST", "/v1/admin/query-explain", {
      key: s.admin,
      body: { query: "smoke tests" },
    });
    assert.equal(plain.json.task_context, null);
    assert.equal(plain.json.task_state, null);
    const reader = await s.key("reader", ["default"]);
    const denied = await s.req("POST", "/v1/admin/query-explain", {
      key: reader,
      body: { query: "deploy" },
    });
    assertError(denied, 403, "FORBIDDEN");
  });
});
