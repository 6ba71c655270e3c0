/**
 * Contradiction detection beyond "not": never/always, no longer, stopped/started, antonym
 * pairs and changed numbers, with near-misses that must not fire; then what the write path and
 * the drain's reconciliation do with each kind.
 */
import assert from "node:assert/strict";
import { conflicts, inspectMemory, storeMemory } from "../../lib/memory/mod.ts";
import { contradiction } from "../../lib/memory/contradiction.ts";
import { decide } from "../../lib/memory/reconcile.ts";
import { tempRuntime } from "../_support/runtime.ts";

/** Pairs that contradict, and how. */
const FIRES: [string, string, "polarity" | "value"][] = [
  ["We always squash merge pull requests", "We never squash merge pull requests", "polarity"],
  [
    "The team uses Jenkins for CI builds",
    "The team no longer uses Jenkins for CI builds",
    "polarity",
  ],
  [
    "The nightly job started writing audit logs",
    "The nightly job stopped writing audit logs",
    "polarity",
  ],
  [
    "Rate limiting is enabled on the public API",
    "Rate limiting is disabled on the public API",
    "polarity",
  ],
  ["cache enabled", "cache disabled", "polarity"],
  ["Debug logging is on in production", "Debug logging is off in production", "polarity"],
  [
    "The firewall allows SSH from the office",
    "The firewall denies SSH from the office",
    "polarity",
  ],
  [
    "strict_mode is true in the billing config",
    "strict_mode is false in the billing config",
    "polarity",
  ],
  [
    "The API accepts unsigned webhook payloads",
    "The API rejects unsigned webhook payloads",
    "polarity",
  ],
  [
    "Increase the worker pool size during sales",
    "Decrease the worker pool size during sales",
    "polarity",
  ],
  ["We deploy on Fridays", "We do not deploy on Fridays", "polarity"],
  ["timeout is 30s", "timeout is 60s", "value"],
  ["The API server listens on port 8080", "The API server listens on port 8081", "value"],
  ["Use postgres 15 for the billing database", "Use postgres 16 for the billing database", "value"],
  ["max_connections: 100", "max_connections: 200", "value"],
];

/** Pairs that look alike but do not contradict. */
const QUIET: [string, string, string][] = [
  ["cache enabled", "logging disabled", "different subjects"],
  [
    "Rate limiting is enabled on the public API",
    "Request logging is disabled on the admin API",
    "different subjects",
  ],
  [
    "Feature flags are disabled in production",
    "Feature flags are turned off in production",
    "same polarity",
  ],
  ["We never deploy on Fridays", "We do not deploy on Fridays", "same polarity"],
  ["The cache is no longer enabled", "The cache is now disabled", "same polarity"],
  ["node-5 is down for maintenance", "node-6 is down for maintenance", "number names the subject"],
  [
    "Issue 4521 is about the login timeout",
    "Issue 4522 is about the login timeout",
    "number names the subject",
  ],
  [
    "Release 2 shipped the new login page",
    "Release 3 shipped the new login page",
    "number names the subject",
  ],
  [
    "Retry 3 times before paging on-call",
    "Page on-call after 3 failed retries",
    "numbers elsewhere",
  ],
  ["The timeout is 30s for uploads", "The timeout is 30s for downloads", "same number"],
  ["Auto deploy is enabled for staging", "Billing runs nightly reports on Postgres", "unrelated"],
];

Deno.test("contradiction: negations, antonyms and changed values fire, with their kind", () => {
  for (const [a, b, kind] of FIRES) {
    assert.equal(contradiction(a, b)?.kind, kind, `${a} / ${b}`);
    assert.equal(contradiction(b, a)?.kind, kind, `${b} / ${a} (symmetric)`);
  }
  assert.deepEqual(contradiction("timeout is 30s", "timeout is 60s"), {
    kind: "value",
    from: "30s",
    to: "60s",
  });
});

Deno.test("contradiction: near-misses stay quiet", () => {
  for (const [a, b, why] of QUIET) {
    assert.equal(conflicts(a, b), false, `${a} / ${b} (${why})`);
    assert.equal(conflicts(b, a), false, `${b} / ${a} (${why})`);
  }
});

Deno.test("store: each kind of contradiction marks both sides contested; near-misses do not", async () => {
  await using t = await tempRuntime();
  const pairs: [string, string, boolean][] = [
    ["Debug logging is on in production", "Debug logging is off in production", true],
    ["The request timeout is 30s", "The request timeout is 60s", true],
    ["The team uses Jenkins for CI builds", "The team no longer uses Jenkins for CI builds", true],
    ["cache enabled", "logging disabled", false],
    ["node-5 is down for maintenance", "node-6 is down for maintenance", false],
  ];
  for (const [i, [a, b, fires]] of pairs.entries()) {
    const ns = `c${i}`;
    const first = await storeMemory(t.rt, { content: a, namespace: ns });
    const second = await storeMemory(t.rt, { content: b, namespace: ns });
    assert.equal(second.outcome, "created", `${a} / ${b}`);
    const want = fires ? "contested" : "active";
    assert.equal(inspectMemory(t.rt, first.id).status, want, `${a} / ${b}`);
    assert.equal(inspectMemory(t.rt, second.id).status, want, `${a} / ${b}`);
    assert.deepEqual(second.contradicts_with ?? [], fires ? [first.id] : []);
  }
});

Deno.test("reconcile decide: a polarity conflict is DELETE, a changed value is UPDATE", () => {
  const n = (content: string) => ({ id: "old", content, content_hash: "h-old", similarity: 0.9 });
  const opts = { duplicateThreshold: 0.95 };
  const off = decide("Debug logging is off in production", "h", [
    n("Debug logging is on in production"),
  ], opts);
  assert.equal(off.action, "DELETE", off.reason);
  const longer = decide("The request timeout is 60s", "h", [n("The request timeout is 30s")], opts);
  assert.equal(longer.action, "UPDATE", longer.reason);
  assert.match(longer.reason, /30s → 60s/);
  const quiet = decide("logging disabled", "h", [n("cache enabled")], opts);
  assert.equal(quiet.action, "ADD", quiet.reason);
});
