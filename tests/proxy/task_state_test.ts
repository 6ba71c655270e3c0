/**
 * The <task_state> form of the injected context (memoryOSS §3.5, §4.1 step 2). Expected values
 * are written by hand from the spec's rules: task kind by strictly leading hint count, buckets
 * (candidate/contested → questions, normative → constraints, actions → recent actions, the
 * rest → facts), two per bucket, four evidence previews, the "Missing … state" question.
 */
import assert from "node:assert/strict";
import {
  buildMemoryContext,
  compileTaskState,
  detectTaskContext,
  renderTaskStateXml,
} from "../../lib/proxy/mod.ts";

Deno.test("task context: the kind with strictly the most hints; ties and none give null", () => {
  assert.deepEqual(detectTaskContext("How do we deploy to production?"), {
    kind: "deploy",
    matched_terms: ["deploy", "production"],
  });
  assert.deepEqual(detectTaskContext("please review the pull request"), {
    kind: "review",
    matched_terms: ["pull request", "review"],
  });
  assert.deepEqual(detectTaskContext("keep the summary concise")?.kind, "style");
  assert.equal(detectTaskContext("fix the deploy"), null); // bugfix 1, deploy 1: fail closed
  assert.equal(detectTaskContext("what is the capital of France?"), null);
});

const A = {
  id: "a",
  status: "active",
  tags: ["policy"],
  content: "Production deploys require approval from ops before rollout. Smoke tests run first.",
};
const B = { id: "b", status: "candidate", content: "Staging uses canary builds." };
const C = {
  id: "c",
  status: "active",
  content: "Rolled back the release last week and notified the channel.",
};
const D = { id: "d", status: "active", content: "The billing DB is Postgres & Redis." };
const E = { id: "e", status: "active", content: "Releases must pass the smoke checklist." };
const F = { id: "f", status: "active", content: "Hotfixes must be reviewed by two people." };

Deno.test("task state: buckets, caps, evidence and the exact XML", () => {
  const ctx = detectTaskContext("how do we deploy to production?")!;
  const st = compileTaskState([A, B, C, D, E, F], ctx)!;
  assert.deepEqual(st.constraints.map((i) => i.memory_id), ["a", "e"]);
  assert.deepEqual(st.recent_actions.map((i) => i.memory_id), ["c"]);
  assert.deepEqual(st.facts.map((i) => i.memory_id), ["d"]);
  assert.deepEqual(st.open_questions, [
    "Confirm candidate memory before relying on it: Staging uses canary builds.",
  ]);
  assert.deepEqual(st.inputs.selected_memory_ids, ["a", "b", "c", "d", "e"]);
  assert.deepEqual(st.inputs.omitted_memory_ids, ["f"]); // a third constraint
  assert.deepEqual(st.evidence.map((e) => e.memory_id), ["a", "b", "c", "d"]); // at most 4
  assert.equal(
    renderTaskStateXml(st),
    '<task_state kind="deploy">\n' +
      "<goal>Compile the minimum safe deployment state for this task.</goal>\n" +
      "<facts>\n<fact>The billing DB is Postgres &amp; Redis.</fact>\n</facts>\n" +
      "<constraints>\n" +
      "<constraint>Production deploys require approval from ops before rollout.</constraint>\n" +
      "<constraint>Releases must pass the smoke checklist.</constraint>\n" +
      "</constraints>\n" +
      "<recent_actions>\n" +
      "<recent_action>Rolled back the release last week and notified the channel.</recent_action>\n" +
      "</recent_actions>\n" +
      "<open_questions>\n" +
      "<question>Confirm candidate memory before relying on it: Staging uses canary builds.</question>\n" +
      "</open_questions>\n" +
      "<evidence>\n" +
      "<item>Smoke tests run first</item>\n" +
      "<item>Staging uses canary builds.</item>\n" +
      "<item>Rolled back the release last week and notified the channel.</item>\n" +
      "<item>The billing DB is Postgres &amp; Redis.</item>\n" +
      "</evidence>\n" +
      "</task_state>\n",
  );
});

Deno.test("task state: only constraints → one is demoted to facts; a spare fills facts", () => {
  const ctx = detectTaskContext("deploy")!;
  const two = compileTaskState([A, E], ctx)!;
  assert.deepEqual(two.constraints.map((i) => i.memory_id), ["a"]);
  assert.deepEqual(two.facts.map((i) => i.memory_id), ["e"]);
  assert.deepEqual(two.open_questions, []);
  assert.equal(
    two.decisions[0],
    "Demoted the lowest-priority constraint into facts to keep the working state balanced.",
  );
  const three = compileTaskState([A, E, F], ctx)!;
  assert.deepEqual(three.constraints.map((i) => i.memory_id), ["a", "e"]);
  assert.deepEqual(three.facts.map((i) => i.memory_id), ["f"]); // the unselected one
  const none = compileTaskState([D], ctx)!;
  assert.deepEqual(none.open_questions, [
    "Missing deploy state: confirm the blocking rollout rule or latest rollout action.",
  ]);
  assert.equal(compileTaskState([], ctx), null);
});

Deno.test("memory_context: task queries get <task_state>, others and tight budgets summaries", () => {
  const task = buildMemoryContext([D, E], 10_000, "how do we deploy?");
  assert.ok(task.text.startsWith('\n\n<memory_context>\n<task_state kind="deploy">\n'), task.text);
  assert.ok(task.text.endsWith("</task_state>\n</memory_context>\n"));
  assert.deepEqual(task.ids, ["d", "e"]);
  const plain = buildMemoryContext([D], 10_000, "what database does billing use?");
  assert.equal(
    plain.text,
    "\n\n<memory_context>\n<summary>The billing DB is Postgres &amp; Redis.</summary>\n" +
      "</memory_context>\n",
  );
  // The task block (about 90 tokens) does not fit in 40: one summary per memory instead.
  const tight = buildMemoryContext([D], 40, "how do we deploy?");
  assert.ok(tight.text.includes("<summary>"), tight.text);
  assert.ok(!tight.text.includes("<task_state"));
});
