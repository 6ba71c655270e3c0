/**
 * A process's first index load (from the vector pages, schema v8) and a long-lived process's
 * catch-up hold the same vectors whatever other connections wrote; a vector snapshot file left
 * by schema v7 (`<db>-vectors`) is removed, never read.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config/mod.ts";
import {
  forget,
  openRuntime,
  recall,
  type Runtime,
  storeMemories,
  updateMemory,
} from "../../lib/memory/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

const WORDS = [
  "billing",
  "staging",
  "export",
  "gateway",
  "reindex",
  "certificate",
  "alerts",
  "postgres",
  "runner",
  "flags",
  "kafka",
  "cdn",
];

/** Distinct facts: no two merge as duplicates. */
const fact = (i: number) =>
  `Fact ${i}: the ${WORDS[i % WORDS.length]} job ${i * 7} runs on host-${i}.example.net`;

async function fresh(home: string): Promise<Runtime> {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  return await openRuntime(loaded);
}

/** Every pk's vector as the index of a freshly opened runtime holds it (after one sync). */
async function indexed(home: string, pks: number[]): Promise<Map<number, number[] | null>> {
  const rt = await fresh(home);
  try {
    rt.syncIndex();
    return new Map(pks.map((pk) => {
      const v = rt.index.get(pk);
      return [pk, v ? [...v] : null];
    }));
  } finally {
    rt.close();
  }
}

Deno.test("index load: a long-lived process's index after its catch-up equals a fresh load", async () => {
  await using t = await tempRuntime();
  const snap = `${t.home}/memoryoss.db-vectors`;
  await Deno.writeFile(snap, new TextEncoder().encode("MOSSVS02 left by schema v7"));
  await storeMemories(t.rt, Array.from({ length: 40 }, (_, i) => ({ content: fact(i) })));
  const allPks = () => t.rt.store.pks({ namespace: "default", archived: "include" });
  let pks = allPks();
  const live = await fresh(t.home); // loads once, then catches up
  try {
    live.syncIndex();
    await assert.rejects(Deno.stat(snap), Deno.errors.NotFound, "the old file is removed");
    const first = await indexed(t.home, pks);
    assert.equal([...first.values()].filter((v) => v !== null).length, 40);
    pks.forEach((pk) => assert.deepEqual(first.get(pk), [...live.index.get(pk)!]));

    // Other connections change things: new rows, an update with new content (new vector), a
    // status change, hard deletes, an archive (out of the index).
    await storeMemories(t.rt, Array.from({ length: 5 }, (_, i) => ({ content: fact(100 + i) })));
    const byContent = (i: number) =>
      t.rt.store.list({ namespace: "default", archived: "include" }, { limit: 100 }).find((m) =>
        m.record.content === fact(i)
      )!;
    await updateMemory(t.rt, {
      id: byContent(3).record.id,
      content: "A rewritten fact about cdn purge",
    });
    await updateMemory(t.rt, { id: byContent(4).record.id, status: "stale" });
    const gone = byContent(5).pk;
    forget(t.rt, { ids: [byContent(5).record.id, byContent(6).record.id] });
    t.rt.store.update(byContent(7).pk, { ...byContent(7).record, archived: true });
    pks = [...new Set([...pks, ...allPks()])];

    live.syncIndex();
    const caughtUp = new Map(pks.map((pk) => {
      const v = live.index.get(pk);
      return [pk, v ? [...v] : null];
    }));
    assert.deepEqual(caughtUp, await indexed(t.home, pks), "as a fresh process");
    assert.equal(caughtUp.get(byContent(7).pk), null, "archived: out of the index");
    assert.equal(caughtUp.get(gone), null, "deleted: out of the index");
    const res = await recall(live, { query: "cdn purge rewritten", limit: 3 });
    assert.equal(res.memories[0].content, "A rewritten fact about cdn purge");
  } finally {
    live.close();
  }
});
