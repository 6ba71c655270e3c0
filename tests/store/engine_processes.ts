/**
 * Two processes on one store, for every engine: one watches while the other writes and
 * deletes (`watch` + `changesSince`), and jobs only one may run (`exclusive`). The processes
 * are real `deno run` children (tests/_support/engine_peer.ts); the expected revisions are
 * counted by hand: a fresh store is at revision 0 and every written or deleted row takes one.
 */
import assert from "node:assert/strict";
import { startPeer } from "../_support/engine_peer_client.ts";

/** A watcher is told of another process's writes and deletes, in its namespace only. */
export async function watchCase(url: string) {
  const a = startPeer(url);
  const b = startPeer(url);
  try {
    await b.send({ op: "watch", ns: "shared", intervalMs: 50 });
    assert.deepEqual(await b.until((m) => "watching" in m), { watching: 0 });
    await a.send({ op: "write", ns: "shared", ids: ["a1", "a2", "a3"] });
    assert.deepEqual(await a.until((m) => "acked" in m), { acked: ["a1", "a2", "a3"], rev: 3 });
    assert.deepEqual(await b.until((m) => "told" in m), {
      told: 3,
      rev: 3,
      upserts: ["a1", "a2", "a3"],
      deletes: [],
    });
    await a.send({ op: "delete", ns: "shared", ids: ["a2"] });
    assert.deepEqual(await a.until((m) => "deleted" in m), { deleted: 1, rev: 4 });
    assert.deepEqual(await b.until((m) => "told" in m), {
      told: 4,
      rev: 4,
      upserts: [],
      deletes: ["a2"],
    });
    // Another namespace's write moves the revision; the watcher's scope sees nothing of it.
    await a.send({ op: "write", ns: "other", ids: ["o1"] });
    assert.deepEqual(await a.until((m) => "acked" in m), { acked: ["o1"], rev: 5 });
    assert.deepEqual(await b.until((m) => "told" in m), {
      told: 5,
      rev: 5,
      upserts: [],
      deletes: [],
    });
  } finally {
    for (const p of [a, b]) {
      const r = await p.quit();
      assert.equal(r.code, 0, r.stderr);
    }
  }
}

/** `exclusive`: one holder per job name across processes (and within one). */
export async function exclusiveCase(url: string) {
  const a = startPeer(url);
  const b = startPeer(url);
  const job = (m: Record<string, unknown>) => "job" in m || "running" in m;
  try {
    await a.send({ op: "job", name: "drain" });
    assert.deepEqual(await a.until(job), { running: "drain" });
    await b.send({ op: "job", name: "drain" });
    assert.deepEqual(await b.until(job), { job: "drain", ran: false }, "held by the other process");
    await a.send({ op: "job", name: "drain" });
    assert.deepEqual(await a.until(job), { job: "drain", ran: false }, "held by this process");
    await b.send({ op: "job", name: "decay" });
    assert.deepEqual(await b.until(job), { running: "decay" }, "another name is not blocked");
    await b.send({ op: "release" });
    assert.deepEqual(await b.until(job), { job: "decay", ran: true });
    await a.send({ op: "release" });
    assert.deepEqual(await a.until(job), { job: "drain", ran: true });
    await b.send({ op: "job", name: "drain" });
    assert.deepEqual(await b.until(job), { running: "drain" }, "free again once released");
    await b.send({ op: "release" });
    assert.deepEqual(await b.until(job), { job: "drain", ran: true });
  } finally {
    for (const p of [a, b]) {
      const r = await p.quit();
      assert.equal(r.code, 0, r.stderr);
    }
  }
}
