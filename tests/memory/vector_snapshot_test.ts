/**
 * The vector snapshot (`<db>-vectors`): a fresh process's index loaded through it holds exactly
 * the vectors a full load from the database holds, whatever other connections wrote since, and
 * a snapshot that does not belong to the database (damaged, replaced database file) is ignored.
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

/** The same, from the database alone (the snapshot removed first). */
async function fromDatabase(home: string, pks: number[]) {
  await Deno.remove(`${home}/memoryoss.db-vectors`).catch(() => {});
  return await indexed(home, pks);
}

Deno.test("vector snapshot: written by the first load, then it and the catch-up equal a full load", async () => {
  await using t = await tempRuntime();
  const snap = `${t.home}/memoryoss.db-vectors`;
  await storeMemories(t.rt, Array.from({ length: 40 }, (_, i) => ({ content: fact(i) })));
  const allPks = () => t.rt.store.pks({ namespace: "default", archived: "include" });
  let pks = allPks();
  assert.equal(pks.length, 40);

  const first = await indexed(t.home, pks);
  assert.ok((await Deno.stat(snap)).isFile, "the first load writes the snapshot");
  if (Deno.build.os !== "windows") assert.equal((await Deno.stat(snap)).mode! & 0o777, 0o600);
  assert.deepEqual(await indexed(t.home, pks), first, "loaded from the snapshot");

  // Other connections change things after the snapshot: new rows, an update with new content
  // (new vector), an archive (out of the index), hard deletes.
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
  forget(t.rt, { ids: [byContent(5).record.id, byContent(6).record.id] });
  t.rt.store.update(byContent(7).pk, { ...byContent(7).record, archived: true });
  pks = [...new Set([...pks, ...allPks()])];

  const caughtUp = await indexed(t.home, pks);
  assert.deepEqual(caughtUp, await fromDatabase(t.home, pks));
  assert.equal(caughtUp.get(byContent(7).pk), null, "archived: out of the index");
  const rt = await fresh(t.home);
  try {
    const res = await recall(rt, { query: "cdn purge rewritten", limit: 3 });
    assert.equal(res.memories[0].content, "A rewritten fact about cdn purge");
  } finally {
    rt.close();
  }
});

Deno.test("vector snapshot: damaged or from another database file, it is ignored", async () => {
  const plain = "[encryption]\nenabled = false\n"; // two homes' files swapped: no keys involved
  await using t = await tempRuntime(plain);
  await using o = await tempRuntime(plain);
  await storeMemories(t.rt, Array.from({ length: 12 }, (_, i) => ({ content: fact(i) })));
  await storeMemories(o.rt, Array.from({ length: 12 }, (_, i) => ({ content: fact(50 + i) })));
  const pks = t.rt.store.pks({ namespace: "default" });
  const truth = await indexed(t.home, pks); // writes the snapshot
  const snap = `${t.home}/memoryoss.db-vectors`;
  const good = await Deno.readFile(snap);

  await Deno.writeFile(snap, good.slice(0, good.length - 7)); // truncated
  assert.deepEqual(await indexed(t.home, pks), truth);
  await Deno.writeFile(snap, new TextEncoder().encode("not a snapshot at all"));
  assert.deepEqual(await indexed(t.home, pks), truth);

  // Another database renamed into place (as restore does), at the same revision, with the
  // same pks holding other memories: the snapshot is not this file's.
  t.rt.close();
  o.rt.close();
  const db = `${t.home}/memoryoss.db`;
  const original = await Deno.readFile(db);
  for (const ext of ["-wal", "-shm"]) await Deno.remove(db + ext).catch(() => {});
  await Deno.copyFile(`${o.home}/memoryoss.db`, `${db}.new`);
  await Deno.rename(`${db}.new`, db);
  await Deno.writeFile(snap, good);
  const swapped = await indexed(t.home, pks);
  assert.deepEqual(swapped, await fromDatabase(t.home, pks));
  assert.notDeepEqual(swapped.get(pks[0]), truth.get(pks[0]));

  // The first database written back over this file in place (same inode, same revision) while
  // the snapshot of the second is there: the last rows up to the snapshot's revision differ
  // from the snapshot's, so it is not used either.
  assert.ok((await Deno.stat(snap)).isFile, "rewritten for the second database");
  await Deno.writeFile(db, original);
  assert.deepEqual(await indexed(t.home, pks), truth);
});

Deno.test("vector snapshot: a long-lived process's index after its catch-up equals a fresh load", async () => {
  await using t = await tempRuntime();
  const snap = `${t.home}/memoryoss.db-vectors`;
  await storeMemories(t.rt, Array.from({ length: 40 }, (_, i) => ({ content: fact(i) })));
  const allPks = () => t.rt.store.pks({ namespace: "default", archived: "include" });
  let pks = allPks();
  const live = await fresh(t.home); // loads once (and writes the snapshot), then catches up
  try {
    live.syncIndex();
    assert.ok((await Deno.stat(snap)).isFile, "the first load writes the snapshot");
    assert.deepEqual(await indexed(t.home, pks), await fromDatabase(t.home, pks));

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
    assert.deepEqual(
      caughtUp,
      await indexed(t.home, pks),
      "as a fresh process through the snapshot",
    );
    assert.deepEqual(caughtUp, await fromDatabase(t.home, pks), "as a fresh process without one");
    assert.equal(caughtUp.get(byContent(7).pk), null, "archived: out of the index");
    assert.equal(caughtUp.get(gone), null, "deleted: out of the index");
    const res = await recall(live, { query: "cdn purge rewritten", limit: 3 });
    assert.equal(res.memories[0].content, "A rewritten fact about cdn purge");
  } finally {
    live.close();
  }
});
