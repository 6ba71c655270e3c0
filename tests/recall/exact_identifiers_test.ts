/**
 * The exact-identifier channel: every identifier shape a user pastes (hostnames, dotted names,
 * paths, versions, ticket ids, emails, UUIDs, commit hashes) must score the memory holding it
 * and rank it first among 50 memories sharing its words but holding other identifiers of the
 * same shape.
 */
import assert from "node:assert/strict";
import { importText, recall } from "../../lib/memory/mod.ts";
import { extractIdentifiers } from "../../lib/recall/mod.ts";
import { holdsLiteral } from "../../lib/recall/exact.ts";
import { tempRuntime } from "../_support/runtime.ts";
import { cli, cliWith, okJson, withHome } from "../cli/_helpers.ts";

/** [identifier, its kind, another identifier of the same shape for distractor i]. */
const CASES: [string, string, (i: number) => string][] = [
  ["node-5.example.internal", "host", (i) => `node-${i + 10}.example.internal`],
  ["api.v2.billing", "host", (i) => `api.v${i + 3}.billing`],
  ["/etc/nginx/nginx.conf", "path", (i) => `/etc/nginx/site-${i}.conf`],
  ["src/lib/foo.ts", "path", (i) => `src/lib/foo${i}.ts`],
  ["v2.3.1", "version", (i) => `v2.3.${i + 2}`],
  ["1.24.0", "version", (i) => `1.24.${i + 1}`],
  ["JIRA-1234", "ticket", (i) => `JIRA-${2000 + i}`],
  ["#4521", "ticket", (i) => `#${4600 + i}`],
  ["alice@example.com", "email", (i) => `user${i}@example.com`],
  [
    "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "uuid",
    (i) => `3f2504e0-4f89-11d3-9a0c-${String(i).padStart(12, "0")}`,
  ],
  ["9fceb02", "hex", (i) => `9fceb${String(10 + i).padStart(2, "0")}`],
  [
    "e19c5f0a9d3b7c21e4f5a6b7c8d9e0f1a2b3c4d5",
    "hex",
    (i) => `e19c5f0a9d3b7c21e4f5a6b7c8d9e0f1a2b3c${String(i).padStart(3, "0")}`,
  ],
];

const target = (id: string) => `The billing service config lives at ${id} since the migration.`;
/** Distractors lead with their identifier, so none is a changed value of another (contested). */
const DISTRACTORS = [
  (o: string) => `${o} is listed in the billing service config since the migration.`,
  (o: string) => `${o} moved with the billing service config during the migration.`,
  (o: string) => `${o} was checked against the billing service config after the migration.`,
  (o: string) => `${o} shows up next to the billing service config since the migration.`,
  (o: string) => `${o} lives in the same repo as the billing service config.`,
];

function corpus(id: string, other: (i: number) => string): string {
  const lines = [JSON.stringify({ content: target(id), metadata: { target: true } })];
  for (let i = 0; i < 50; i++) {
    lines.push(JSON.stringify({ content: DISTRACTORS[i % DISTRACTORS.length](other(i)) }));
  }
  return lines.join("\n");
}

Deno.test("identifiers: each shape is extracted with its kind, from a sentence", () => {
  for (const [id, kind] of CASES) {
    const got = extractIdentifiers(`where is ${id} used?`).map((i) => `${i.kind}:${i.text}`);
    assert.deepEqual(got, [`${kind}:${id}`], id);
  }
  // Sentence abbreviations and plain decimals are not identifiers.
  assert.deepEqual(extractIdentifiers("e.g. the U.S. team, etc. took 2.5 days"), []);
  assert.deepEqual(extractIdentifiers("db.internal:5432 is up").map((i) => i.kind), ["host"]);
});

Deno.test("identifiers: a literal is a whole token ('v2.3.1' is not in 'v2.3.10')", () => {
  const lit = (content: string, q: string) => holdsLiteral(content, extractIdentifiers(q)[0]);
  assert.equal(lit("pinned to v2.3.1.", "v2.3.1"), true);
  assert.equal(lit("pinned to v2.3.10", "v2.3.1"), false);
  assert.equal(lit("ships in v1.24.0", "1.24.0"), true, "a version may carry its v");
  assert.equal(lit("see #45210", "#4521"), false);
  assert.equal(lit("host xnode-5.example.internal", "node-5.example.internal"), false);
  assert.equal(lit("(node-5.example.internal)", "node-5.example.internal"), true);
});

Deno.test("recall: the exact channel scores the memory holding the identifier and ranks it first of 51", async () => {
  await using t = await tempRuntime();
  for (const [i, [id, , other]] of CASES.entries()) {
    const ns = `ids${i}`;
    const res = await importText(t.rt, corpus(id, other), { namespace: ns });
    assert.equal(res.created, 51, id);
    const out = await recall(t.rt, { query: id, namespace: ns, explain: true, limit: 10 });
    const [top, ...rest] = out.memories;
    assert.equal(top.content, target(id), `${id}: first is ${top.content}`);
    assert.equal(top.status, "active", id);
    assert.equal(top.explain!.channels.exact, 1, id);
    assert.ok(top.provenance.includes(`identifier_match:${id}`), `${id}: ${top.provenance}`);
    // Distractors that come back (sharing words or vector) never take the exact channel.
    for (const m of rest) {
      assert.equal(m.explain!.channels.exact, 0, `${id}: ${m.content}`);
      assert.ok(top.score > m.score, `${id}: ${m.content}`);
    }
  }
});

Deno.test("cli recall --explain --json: a hostname hits the exact channel and ranks first", async () => {
  await withHome(async (home) => {
    const [id, , other] = CASES[0];
    const imp = okJson(
      await cliWith(home, { stdin: corpus(id, other) }, "import", "-n", "h", "-", "--json"),
    );
    assert.equal(imp.created, 51);
    const out = okJson(
      await cli(home, "recall", "-n", "h", "--explain", "--json", `which box is ${id}?`),
    );
    assert.equal(out.memories[0].content, target(id));
    assert.equal(out.memories[0].explain.channels.exact, 1);
    assert.ok(out.memories[0].provenance.includes(`identifier_match:${id}`));
    assert.ok(
      out.memories.slice(1).every((m: { explain: { channels: { exact: number } } }) =>
        m.explain.channels.exact === 0
      ),
    );
  });
});
