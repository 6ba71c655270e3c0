/**
 * `store`'s plain-input check (the CLI's way around loading zod at start-up) never accepts
 * what `StoreInputSchema` refuses, and what it accepts comes out exactly as the schema returns
 * it (key order included: the record is built from it).
 */
import assert from "node:assert/strict";
import { parseInput, StoreInputSchema } from "../../lib/memory/mod.ts";
import { assertPlainAgreesWithSchema } from "../_support/plain_check.ts";
import { plainStoreInput } from "../../lib/memory/store_plain.ts";

const long = (n: number) => "x".repeat(n);
const CASES: unknown[] = [
  // The CLI's shapes (accepted by both).
  { content: "Deploy only after staging signoff." },
  { content: "ok", namespace: "demo", tags: ["a", "b-c"], agent: "cli", session: "s1" },
  { session: "s1", category: "decision", content: "order of keys differs", namespace: "ns_1" },
  { content: "Ünïcödé ✓", namespace: "Über_ns", tags: ["ключ"], memory_type: "procedural" },
  { content: "tags at the limit", tags: Array.from({ length: 50 }, (_, i) => `t${i}`) },
  { content: "at 256", tags: [long(256)], agent: long(256), namespace: long(128), session: "" },
  { content: "backdated", created_at: "2026-03-01T12:00:00Z" },
  { content: "date only", created_at: "2026-03-01" },
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
  { content: "x", session: 5 },
  { content: "x", category: "nonsense" },
  { content: "x", memory_type: "nonsense" },
  { content: "x", created_at: "yesterday" },
  { content: "x", created_at: "03/01/2026" },
  { content: "x", unknown: true },
  { content: 5 },
  {},
  null,
  "text",
  ["content"],
  // Accepted by the schema but left to it (not a plain CLI shape): fine either way.
  { content: "x", agent: null },
  { content: "x", metadata: { k: 1 } },
  { content: "x", status: "candidate", confidence: 0.5 },
];

Deno.test("store: the plain check accepts only what the schema accepts, with the same output", () => {
  const accepted = assertPlainAgreesWithSchema(
    CASES,
    plainStoreInput,
    (raw) => parseInput(StoreInputSchema, raw),
  );
  assert.equal(accepted, 8, "every plain CLI shape above takes the fast path");
});
