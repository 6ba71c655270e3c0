/**
 * `import` through main.ts: which lines of a handmade file are duplicates (hand-written
 * outcomes), that an import writes no graph edges while recall already finds the memories,
 * and that the next `drain` writes exactly the edges link-on-write gives these memories
 * (hand-written: the session chain, the shared names, the "because" cause).
 */
import assert from "node:assert/strict";
import { cli, type Json, listAll, okJson, withHome } from "./_helpers.ts";

const at = (h: number) => `2025-03-0${h}T09:00:00Z`;
/** Label → line; E, H repeat A and F up to case and punctuation (duplicates). */
const LINES: [string, Record<string, unknown>][] = [
  ["A", {
    content: "The Kestrel log shipper doubled its memory use after the 2.3 upgrade.",
    session: "s1",
    created_at: at(1),
  }],
  ["B", {
    content:
      "ledger-sync pods kept getting OOM-killed because the Kestrel sidecar doubled its memory use.",
    session: "s1",
    created_at: at(2),
  }],
  ["C", { content: "Tea is the user's afternoon drink.", created_at: at(3) }],
  ["D", {
    content: "Rotated the pager duty to Priya for the holiday week.",
    session: "s1",
    created_at: at(4),
  }],
  ["E", { content: "the kestrel log shipper doubled its memory use after the 2.3 upgrade" }],
  ["F", { content: "Port 8080 serves the admin UI.", created_at: at(5) }],
  ["G", { content: "Port 8081 serves the admin UI.", created_at: at(6) }],
  ["H", { content: "port 8080 serves the admin ui" }],
];

/** Hand-written: what a user sees. E merges into A, H into F; G is another fact (8081). */
const KEPT = ["A", "B", "C", "D", "F", "G"];
const MERGED_INTO: Record<string, string> = { E: "A", H: "F" };
/**
 * Hand-written edges (kind, from, to) that `store` writes on write: the s1 chain A → B → D,
 * B's "because" clause stated by A, and the shared names "Kestrel" (A, B) and "UI" (F, G).
 */
const EDGES = [
  "causal A B",
  "entity A B",
  "entity F G",
  "temporal A B",
  "temporal B D",
].sort();

async function allEdges(home: string, ids: Map<string, string>): Promise<string[]> {
  const label = new Map([...ids].map(([l, id]) => [id, l]));
  const out = new Set<string>();
  for (const id of ids.values()) {
    const shown = okJson(await cli(home, "graph", "show", id, "-n", "demo", "--json"));
    for (const e of shown.edges as Json[]) {
      out.add(`${e.kind} ${label.get(e.from) ?? e.from} ${label.get(e.to) ?? e.to}`);
    }
  }
  return [...out].sort();
}

Deno.test("cli import: hand-written dedup outcomes; graph edges appear after the next drain", async () => {
  await withHome(async (home) => {
    const file = `${home}/in.jsonl`;
    await Deno.writeTextFile(file, LINES.map(([, l]) => JSON.stringify(l)).join("\n") + "\n");
    const res = okJson(await cli(home, "import", "-n", "demo", "--file", file, "--json"));
    assert.equal(res.created, KEPT.length);
    assert.equal(res.merged, Object.keys(MERGED_INTO).length);
    const ids = new Map<string, string>();
    LINES.forEach(([l], i) => ids.set(l, res.ids[i]));
    for (const [dup, kept] of Object.entries(MERGED_INTO)) {
      assert.equal(ids.get(dup), ids.get(kept), `${dup} is a duplicate of ${kept}`);
      ids.delete(dup);
    }
    assert.equal(new Set(ids.values()).size, KEPT.length, "kept lines are distinct memories");
    const listed = await listAll(home, "demo");
    assert.equal(listed.total, KEPT.length);
    const a = listed.memories.find((m: Json) => m.id === ids.get("A"));
    assert.equal(a.evidence_count, 2);

    // Before the drain: no edges yet, and recall finds an imported memory by its words.
    assert.deepEqual(await allEdges(home, ids), []);
    const rec = okJson(await cli(home, "recall", "-n", "demo", "--json", "afternoon drink tea"));
    assert.equal(rec.memories[0].id, ids.get("C"));

    const drained = okJson(await cli(home, "drain", "--json"));
    assert.equal(drained.linked, KEPT.length);
    assert.deepEqual(await allEdges(home, ids), EDGES);

    // Nothing is left to link: a second drain links nothing and the edges stay.
    const again = okJson(await cli(home, "drain", "--json"));
    assert.equal(again.linked, 0);
    assert.deepEqual(await allEdges(home, ids), EDGES);
  });
});

Deno.test("cli store: link-on-write gives the same hand-written edges", async () => {
  await withHome(async (home) => {
    const ids = new Map<string, string>();
    for (const [l, line] of LINES) {
      if (!KEPT.includes(l)) continue;
      // `store` stamps the current time: storing in the set's order keeps its time order.
      const args = ["store", "-n", "demo", "--json", String(line.content)];
      if (line.session) args.push("--session", String(line.session));
      ids.set(l, okJson(await cli(home, ...args)).id);
    }
    assert.deepEqual(await allEdges(home, ids), EDGES);
  });
});
