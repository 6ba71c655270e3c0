/**
 * memman's advisory quality check for `remember` (its test_search_quality.py, memman spec §8):
 * each of the 13 labels fires on a hand-written example of what it names, tool and host names
 * before `:NN` are exempt, clean prose gives no warning, and a composite sentence gives exactly
 * five. The labels are memman's own strings (they reach users as `quality_warnings`).
 */
import assert from "node:assert/strict";
import { qualityWarnings } from "../../lib/memory/remember_quality.ts";

const EXAMPLES: [string, string][] = [
  ["Spun up i-0123456789abcdef0 for the load test", "AWS instance ID"],
  ["terraform plan: 42 resources total", "resource count"],
  ["All 12 endpoints were verified after the change", "verification receipt"],
  ["git state is clean on main", "state observation"],
  ["The fix was deployed via the release pipeline", "deployment receipt"],
  ["The retry loop sits at line 88 of worker.py", "line number reference"],
  ["The parser module has 450 lines", "line count"],
  ["See handle_request:120 for the guard", "function/symbol line reference"],
  ["Moved the check 120→135 in the refactor", "line number correction"],
  ["As noted in memory [3], staging is shared", "back-reference"],
  ["DEPLOY NOTES: staging first, then prod", "uppercase section header"],
  ["We currently pin Node 20", "transient time marker"],
  ["As of 2026-03-01 the quota is 500 requests", "dated observation"],
];

Deno.test("remember quality: each of memman's 13 labels fires on its example", () => {
  for (const [text, label] of EXAMPLES) {
    assert.deepEqual(qualityWarnings(text), [label], text);
  }
  assert.equal(new Set(EXAMPLES.map(([, l]) => l)).size, 13);
});

Deno.test("remember quality: hosts, ports, languages and tools before :NN are not symbols", () => {
  for (
    const text of [
      "The API listens on localhost:8080",
      "Postgres runs on port:5432 in dev",
      "Images build from python:311 and node:20",
      "The cache is redis:6379, the queue postgres:5432",
      "Base image docker:24 on ubuntu:22",
      "Pinned v2:10 of the schema",
    ]
  ) {
    assert.deepEqual(qualityWarnings(text), [], text);
  }
});

Deno.test("remember quality: clean prose has none, a composite sentence exactly five", () => {
  assert.deepEqual(qualityWarnings("Deploys need a staging signoff from the on-call lead."), []);
  assert.deepEqual(qualityWarnings("The team prefers squash merges for feature branches."), []);
  const composite =
    "STATUS UPDATE: currently all 3 services verified, see main.py line 40 as of 2026-01-05";
  assert.deepEqual(qualityWarnings(composite), [
    "verification receipt",
    "line number reference",
    "uppercase section header",
    "transient time marker",
    "dated observation",
  ]);
});
