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

/**
 * `nearest` in one process follows another's writes at once: process A answers from its
 * in-process index, process B writes, deletes, changes status, archive flag and vector; each
 * answer A gives right after B's acknowledgement (no waiting for a notification or a poll) holds
 * B's change. Query (1, 0, 0): cosines by hand are n1 (1,0,0) 1, n4 (0.8,0.6,0) 0.8,
 * n2 (0.6,0.8,0) 0.6, n3 (0,1,0) 0; after n3 turns to (0.96,0.28,0) 0.96.
 */
export async function nearestCase(url: string) {
  const a = startPeer(url);
  const b = startPeer(url);
  const q = [1, 0, 0];
  const near = async (ns: string, more: Record<string, unknown> = {}) => {
    await a.send({ op: "nearest", ns, q, k: 10, ...more });
    return (await a.until((m) => "near" in m)).near;
  };
  const by = async (cmd: Record<string, unknown>) => {
    await b.send(cmd);
    return await b.until((m) => "acked" in m || "deleted" in m || "updated" in m);
  };
  try {
    await by({
      op: "write",
      ns: "shared",
      ids: ["n1", "n2", "n3"],
      vectors: { n1: [1, 0, 0], n2: [0.6, 0.8, 0], n3: [0, 1, 0] },
    });
    await by({ op: "write", ns: "other", ids: ["o1"], vectors: { o1: [1, 0, 0] } });
    assert.deepEqual(await near("shared"), ["n1", "n2", "n3"], "first call fills the index");
    assert.deepEqual(await near("other"), ["o1"]);
    await by({ op: "write", ns: "shared", ids: ["n4"], vectors: { n4: [0.8, 0.6, 0] } });
    assert.deepEqual(await near("shared"), ["n1", "n4", "n2", "n3"], "B's new vector");
    assert.deepEqual(await by({ op: "delete", ns: "shared", ids: ["n1"] }), {
      deleted: 1,
      rev: 6,
    });
    assert.deepEqual(await near("shared"), ["n4", "n2", "n3"], "never the deleted one");
    await by({ op: "update", ns: "shared", id: "n4", status: "stale" });
    assert.deepEqual(await near("shared", { statuses: ["active"] }), ["n2", "n3"]);
    assert.deepEqual(await near("shared", { statuses: ["stale"] }), ["n4"]);
    assert.deepEqual(await near("shared"), ["n4", "n2", "n3"]);
    await by({ op: "update", ns: "shared", id: "n2", archived: true });
    assert.deepEqual(await near("shared"), ["n4", "n3"], "archived rows are left out");
    assert.deepEqual(await near("shared", { archived: "only" }), ["n2"]);
    await by({ op: "update", ns: "shared", id: "n3", vector: [0.96, 0.28, 0] });
    assert.deepEqual(await near("shared"), ["n3", "n4"], "a replaced vector");
    await by({ op: "write", ns: "other", ids: ["o2"], vectors: { o2: [0.6, 0.8, 0] } });
    assert.deepEqual(await near("shared"), ["n3", "n4"], "another namespace's write");
    assert.deepEqual(await near("other"), ["o1", "o2"]);
    assert.deepEqual(await near("shared", { k: 1 }), ["n3"]);
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
