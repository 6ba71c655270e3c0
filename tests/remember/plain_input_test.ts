/**
 * `remember`'s plain-input check (the CLI's way around loading zod at start-up) never accepts
 * what `RememberInputSchema` refuses, and what it accepts comes out exactly as the schema
 * returns it (the queue row stores that object as JSON, so even the key order is compared).
 */
import assert from "node:assert/strict";
import { parseInput, RememberInputSchema } from "../../lib/memory/mod.ts";
import { assertPlainAgreesWithSchema } from "../_support/plain_check.ts";
import { plainRememberInput } from "../../lib/memory/remember_queue.ts";

const long = (n: number) => "x".repeat(n);
const CASES: unknown[] = [
  { content: "Deploys need staging signoff." },
  { content: "ok", namespace: "demo", tags: ["a", "b-c"], agent: "cli", session: "s1" },
  { session: "s1", category: "decision", content: "order of keys differs", namespace: "ns_1" },
  { content: "Ünïcödé ✓", namespace: "Über_ns", tags: ["ключ"] },
  { content: "tags at the limit", tags: Array.from({ length: 50 }, (_, i) => `t${i}`) },
  { content: "tag at 256", tags: [long(256)], agent: long(256), namespace: long(128) },
  // memman's --no-reconcile hint.
  { content: "kept as written", no_reconcile: true },
  { no_reconcile: false, content: "hint first", namespace: "demo", category: "fact" },
  // memman's --imp / --entities / --source as metadata.
  {
    content: "hinted",
    metadata: { importance: 4, entities: ["ci.yml", "deploy"], source: "agent" },
  },
  { metadata: { source: "agent" }, content: "metadata first", no_reconcile: true },
  // Refused by the schema (the plain check must say null):
  { content: "" },
  { content: "   \n" },
  { content: "bad \ud800 surrogate" },
  { content: "x", tags: [""] },
  { content: "x", tags: [long(257)] },
  { content: "x", tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
  { content: "x", namespace: "" },
  { content: "x", namespace: "has space" },
  { content: "x", namespace: long(129) },
  { content: "x", agent: long(257) },
  { content: "x", category: "nonsense" },
  { content: "x", no_reconcile: "yes" },
  { content: "x", metadata: [] },
  { content: "x", metadata: null },
  { content: "x", no_reconcile: null },
  { content: "x", status: "active" },
  { content: "x", created_at: "2026-01-01T00:00:00Z" },
  { content: 5 },
  {},
  null,
  "text",
  ["content"],
  // Accepted by the schema but left to it (not a CLI shape): fine either way.
  { content: "x", agent: null },
  { content: "x", memory_type: "episodic" },
  { content: "x", metadata: { k: 1 } },
  { content: "x", metadata: { importance: 9 } },
  { content: "x", metadata: { importance: 2.5, source: "" } },
  { content: "x", metadata: { entities: ["a", 1] } },
];

Deno.test("remember: the plain check accepts only what the schema accepts, with the same output", () => {
  const accepted = assertPlainAgreesWithSchema(
    CASES,
    plainRememberInput,
    (raw) => parseInput(RememberInputSchema, raw),
  );
  assert.equal(accepted, 10, "every plain CLI shape above takes the fast path");
});
