/** Which queries are nothing but identifiers (vector mode falls back for them): hand-written. */
import assert from "node:assert/strict";
import { identifierOnly } from "../../lib/recall/mod.ts";

const CASES: [string, boolean][] = [
  ["7c1e9a4f2b3d", true],
  ["  cafe0beef7d1  ", true],
  ["db-10.prod.eu-west-1.internal.example.com", true],
  ["dbbox40", true],
  ["ENG-142 v3.4.5-rc1", true],
  ["`MEMORYOSS_HOME`, lib/config/home.ts?", true],
  ["which change touched 7c1e9a4f2b3d?", false],
  ["why was dbbox40 rebooted", false],
  ["dark mode editor", false],
  ["", false],
  ["?!", false],
];

Deno.test("identifierOnly: a query with no word beside its identifiers", () => {
  for (const [query, want] of CASES) assert.equal(identifierOnly(query), want, query);
});
