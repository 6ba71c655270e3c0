/**
 * The pending list of deferred import links: what an import records, that a drain empties it
 * batch by batch across several imports, that `graph rebuild` (all namespaces) clears it, and
 * that `[graph] link_on_write = false` records nothing (linking stays off for imports too).
 */
import assert from "node:assert/strict";
import { drain, importText, rebuildMemoryGraph } from "../../lib/memory/mod.ts";
import { edgeCounts } from "../../lib/graph/mod.ts";
import { pendingLinkCount } from "../../lib/memory/import_links.ts";
import { tempRuntime } from "../_support/runtime.ts";

/** n memories of one session, an hour apart: a chain of n − 1 temporal edges. */
function session(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      content: `Step ${i} of the ${tag} migration checklist is signed off.`,
      session: tag,
      created_at: new Date(Date.UTC(2025, 0, 1, i)).toISOString(),
    })).join("\n");
}

const edges = (store: Parameters<typeof edgeCounts>[0]) =>
  Object.values(edgeCounts(store)).reduce((a, b) => a + b, 0);

Deno.test("import links: two imports (more than one link batch) wait for one drain", async () => {
  await using t = await tempRuntime();
  const a = await importText(t.rt, session(300, "alpha"), { namespace: "ns" });
  const b = await importText(t.rt, session(20, "beta"), { namespace: "ns" });
  assert.equal(a.created + b.created, 320);
  assert.equal(pendingLinkCount(t.rt.store), 320);
  assert.equal(edgeCounts(t.rt.store).temporal, 0);
  const s = await drain(t.rt, { llm: null });
  assert.equal(s.linked, 320);
  assert.equal(pendingLinkCount(t.rt.store), 0);
  // Hand-written: two chains, 299 + 19 temporal edges.
  assert.equal(edgeCounts(t.rt.store).temporal, 299 + 19);
});

Deno.test("import links: a full graph rebuild links them and clears the list", async () => {
  await using t = await tempRuntime();
  await importText(t.rt, session(5, "gamma"), { namespace: "ns" });
  assert.equal(pendingLinkCount(t.rt.store), 5);
  rebuildMemoryGraph(t.rt, { dryRun: true });
  assert.equal(pendingLinkCount(t.rt.store), 5, "a dry run changes nothing");
  rebuildMemoryGraph(t.rt, {});
  assert.equal(pendingLinkCount(t.rt.store), 0);
  assert.equal(edgeCounts(t.rt.store).temporal, 4);
  assert.equal((await drain(t.rt, { llm: null })).linked, 0);
});

Deno.test("import links: with link_on_write = false nothing is recorded or linked", async () => {
  await using t = await tempRuntime("[graph]\nlink_on_write = false\n");
  await importText(t.rt, session(5, "delta"), { namespace: "ns" });
  assert.equal(pendingLinkCount(t.rt.store), 0);
  assert.equal((await drain(t.rt, { llm: null })).linked, 0);
  assert.equal(edges(t.rt.store), 0);
});
