/**
 * `recall`'s plain-input check (the CLI's way around loading zod at start-up) never accepts
 * what `RecallInputSchema` refuses, and what it accepts comes out exactly as the schema returns
 * it (key order included).
 */
import assert from "node:assert/strict";
import { parseInput, RecallInputSchema } from "../../lib/memory/mod.ts";
import { assertPlainAgreesWithSchema } from "../_support/plain_check.ts";
import { plainRecallInput } from "../../lib/memory/recall.ts";

const long = (n: number) => "x".repeat(n);
const CASES: unknown[] = [
  // The CLI's shapes (accepted by both).
  { query: "why did the deploy pipeline change" },
  { query: "q", limit: 5, namespace: "demo" },
  { namespace: "bench", query: "order of keys differs", explain: true, limit: 100 },
  { query: "ünïcödé ✓", namespace: "Über_ns", tags: ["ключ", "b"], agent: "", session: "s1" },
  { query: "q", memory_type: "episodic", category: "decision", mode: "bm25" },
  { query: "q", status: ["active", "stale"], include_archived: true, graph: false },
  { query: "q", tags: [long(256)], namespace: long(128), limit: 1, mode: "vector" },
  // Refused by the schema (the plain check must say null):
  { query: "" },
  { query: "  \n" },
  { query: "bad \ud800 surrogate" },
  { query: 5 },
  { query: "q", limit: 0 },
  { query: "q", limit: 101 },
  { query: "q", limit: 2.5 },
  { query: "q", limit: "5" },
  { query: "q", namespace: "" },
  { query: "q", namespace: "has space" },
  { query: "q", namespace: long(129) },
  { query: "q", tags: [""] },
  { query: "q", tags: [long(257)] },
  { query: "q", tags: "a" },
  { query: "q", agent: 5 },
  { query: "q", memory_type: "nonsense" },
  { query: "q", category: "nonsense" },
  { query: "q", status: ["gone"] },
  { query: "q", status: "active" },
  { query: "q", explain: "yes" },
  { query: "q", mode: "fuzzy" },
  { query: "q", before: "yesterday" },
  { query: "q", unknown: 1 },
  {},
  null,
  "text",
  ["query"],
  // Accepted by the schema but left to it (not a CLI shape): fine either way.
  { query: "q", before: "2026-01-01T00:00:00Z", after: "" },
  { query: "q", weights: { vector: 0.5 } },
  { query: "q", min_channel_score: 0.1, diversity_factor: 0.2 },
  { query: "q", namespace: undefined },
];

Deno.test("recall: the plain check accepts only what the schema accepts, with the same output", () => {
  const accepted = assertPlainAgreesWithSchema(
    CASES,
    plainRecallInput,
    (raw) => parseInput(RecallInputSchema, raw),
  );
  assert.equal(accepted, 7, "every plain CLI shape above takes the fast path");
});
