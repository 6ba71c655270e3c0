/**
 * Bulk import decides like single stores (issue 21): an import file with hand-placed exact
 * duplicates, near-duplicates, contradictions and dialogue turns, spread over several write
 * batches (256 memories each) among distinct filler notes. The expected outcome of every line
 * is written below by hand from the rules (dedup.ts, contradiction.ts), not taken from a run.
 */
import assert from "node:assert/strict";
import { importText, inspectMemory, listMemories } from "../../lib/memory/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

/** A made-up word per number (letters only: no digits, no real vocabulary). */
function pseudoWord(n: number): string {
  const syl = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "du", "fe", "go", "ha", "ji"];
  let w = "";
  for (let k = 0, x = n + 1; k < 4; k++, x = Math.floor(x / syl.length)) {
    w += syl[x % syl.length];
  }
  return w;
}

/** Memories that match nothing else: three words of their own each. */
function filler(i: number): string {
  return `Filler note about ${pseudoWord(3 * i)} with ${pseudoWord(3 * i + 1)} and ${
    pseudoWord(3 * i + 2)
  }.`;
}

/** label → [position in the file, line]; the rest of the 620 lines are fillers. */
const PLACED: Record<string, [number, Record<string, unknown>]> = {
  a: [0, { content: "Deploy only after staging sign-off.", tags: ["release"] }],
  // The same text: merged into a (same batch, then the next batch).
  a_exact: [10, { content: "Deploy only after staging sign-off.", tags: ["policy"] }],
  a_exact2: [300, { content: "Deploy only after staging sign-off." }],
  // The same words up to case and punctuation: merged into a.
  a_norm: [20, { content: "deploy ONLY after staging sign-off" }],
  b: [30, { content: "The staging database runs Postgres 16 on the db-staging-2 host." }],
  // Only a filler word more ("now"): the same fact, merged into b.
  b_near: [290, { content: "The staging database now runs Postgres 16 on the db-staging-2 host." }],
  c: [40, { content: "The API server listens on port 8080 by default." }],
  // A changed number in the predicate: a new fact that contradicts c.
  c_value: [520, { content: "The API server listens on port 8000 by default." }],
  d: [50, { content: "Auto deploy is enabled for staging." }],
  // The opposite polarity about the same subject: contradicts d.
  d_polar: [60, { content: "Auto deploy is disabled for staging." }],
  f: [70, { content: "Priya owns the billing-api service." }],
  // Another name: a different fact, neither a duplicate nor a contradiction.
  f_name: [330, { content: "Marco owns the billing-api service." }],
  // A turn of dialogue merges only within its own conversation.
  t1: [80, {
    content: "Haha yes, that works for me!",
    metadata: { speaker: "Ann", conv_id: "c1" },
  }],
  t2: [90, {
    content: "Haha yes, that works for me!",
    metadata: { speaker: "Bob", conv_id: "c2" },
  }],
  t1_again: [
    400,
    { content: "Haha yes, that works for me!", metadata: { speaker: "Ann", conv_id: "c1" } },
  ],
};

const LINES = 620;

function importFile(): { text: string; labelAt: Map<number, string> } {
  const lines: string[] = [];
  const labelAt = new Map<number, string>();
  for (const [label, [at]] of Object.entries(PLACED)) labelAt.set(at, label);
  for (let i = 0; i < LINES; i++) {
    const label = labelAt.get(i);
    lines.push(JSON.stringify(label ? PLACED[label][1] : { content: filler(i) }));
  }
  return { text: lines.join("\n"), labelAt };
}

/** Which stored memory each placed line ends in (its own, or the one it merged into). */
const LANDS_IN: Record<string, string> = {
  a_exact: "a",
  a_exact2: "a",
  a_norm: "a",
  b_near: "b",
};

/** The expected stored memories: evidence, status and what they contradict. */
const EXPECTED: Record<string, { evidence: number; status: string; contradicts: string[] }> = {
  a: { evidence: 4, status: "active", contradicts: [] },
  b: { evidence: 2, status: "active", contradicts: [] },
  c: { evidence: 1, status: "contested", contradicts: ["c_value"] },
  c_value: { evidence: 1, status: "contested", contradicts: ["c"] },
  d: { evidence: 1, status: "contested", contradicts: ["d_polar"] },
  d_polar: { evidence: 1, status: "contested", contradicts: ["d"] },
  f: { evidence: 1, status: "active", contradicts: [] },
  f_name: { evidence: 1, status: "active", contradicts: [] },
  t1: { evidence: 2, status: "active", contradicts: [] },
  t2: { evidence: 1, status: "active", contradicts: [] },
};
LANDS_IN.t1_again = "t1";

Deno.test("import: duplicates, near-duplicates and contradictions across batches, per line", async () => {
  await using t = await tempRuntime();
  const { text, labelAt } = importFile();
  const res = await importText(t.rt, text, { namespace: "oracle" });
  const merged = Object.keys(LANDS_IN).length; // 5 lines land in another memory
  assert.equal(res.total, LINES);
  assert.equal(res.failed.length, 0);
  assert.equal(res.merged, merged);
  assert.equal(res.created, LINES - merged);
  assert.equal(listMemories(t.rt, { namespace: "oracle", limit: 1 }).total, LINES - merged);

  const idOf = new Map<string, string>();
  for (const [at, label] of labelAt) idOf.set(label, res.ids[at]);
  for (const [label, into] of Object.entries(LANDS_IN)) {
    assert.equal(idOf.get(label), idOf.get(into), `${label} merges into ${into}`);
  }
  const labelOf = new Map([...idOf].filter(([l]) => !(l in LANDS_IN)).map(([l, id]) => [id, l]));
  for (const [label, want] of Object.entries(EXPECTED)) {
    const r = inspectMemory(t.rt, idOf.get(label)!);
    assert.deepEqual(
      {
        evidence: r.evidence_count,
        status: r.status,
        contradicts: r.contradicts_with.map((id) => labelOf.get(id) ?? id).sort(),
      },
      want,
      label,
    );
  }
  // Tags of every merged line are kept; fillers stay plain, uncontested, alone.
  assert.deepEqual(inspectMemory(t.rt, idOf.get("a")!).tags, ["release", "policy"]);
  const fillers = res.ids.filter((_, i) => !labelAt.has(i));
  assert.equal(new Set(fillers).size, LINES - Object.keys(PLACED).length);
  for (const id of fillers.slice(0, 40)) {
    const r = inspectMemory(t.rt, id);
    assert.equal(r.status, "active");
    assert.equal(r.evidence_count, 1);
  }

  // Importing the same file again is all evidence: every line merges, nothing new is stored.
  const again = await importText(t.rt, text, { namespace: "oracle" });
  assert.equal(again.created, 0);
  assert.equal(again.merged, LINES);
  assert.equal(inspectMemory(t.rt, idOf.get("a")!).evidence_count, 8);
  assert.equal(inspectMemory(t.rt, idOf.get("t2")!).evidence_count, 2);
  assert.equal(listMemories(t.rt, { namespace: "oracle", limit: 1 }).total, LINES - merged);
});
