/**
 * Two processes on one Postgres database (tests/store/engine_processes.ts) on a real server:
 * the watcher hears each commit through LISTEN/NOTIFY; `exclusive` jobs are advisory locks,
 * freed when the process holding one exits.
 */
import assert from "node:assert/strict";
import { postgresMissing, startPostgres } from "../_support/postgres.ts";
import { skipIf } from "../_support/skip.ts";
import { startPeer } from "../_support/engine_peer_client.ts";
import { PostgresEngine } from "../../lib/store/postgres/mod.ts";
import { exclusiveCase, nearestCase, watchCase } from "../store/engine_processes.ts";

Deno.test({
  ...skipIf(postgresMissing(), "postgres engine: watch (LISTEN/NOTIFY) and exclusive jobs"),
  async fn(t) {
    const pg = await startPostgres();
    try {
      const url = await pg.createDatabase();
      const open = async (schema: string) => {
        const u = `${url}?schema=${schema}`;
        await (await PostgresEngine.open(u)).close();
        return u;
      };
      await t.step("a watcher process is told of another's writes", async () => {
        await watchCase(await open("w1"));
      });
      await t.step("watchers of another schema in the database are not told", async () => {
        // Two schemas, one database (one NOTIFY channel): the first schema's watcher must
        // still see revision 3 as the first news after schema w3 took revisions 1..2.
        const other = await open("w3");
        const own = await open("w2");
        const b = startPeer(own);
        const c = startPeer(other);
        try {
          await b.send({ op: "watch", ns: "shared", intervalMs: 50 });
          assert.deepEqual(await b.until((m) => "watching" in m), { watching: 0 });
          await c.send({ op: "write", ns: "shared", ids: ["x1", "x2"] });
          assert.deepEqual(await c.until((m) => "acked" in m), { acked: ["x1", "x2"], rev: 2 });
          const e = await PostgresEngine.open(own);
          const { newRecord } = await import("../../lib/store/mod.ts");
          await e.write("shared", [
            {
              op: "insert",
              record: newRecord({
                id: "y1",
                namespace: "shared",
                content: "y",
                created_at: "2026-12-01T00:00:00.000Z",
              }),
            },
          ]);
          await e.close();
          assert.deepEqual(await b.until((m) => "told" in m), {
            told: 1,
            rev: 1,
            upserts: ["y1"],
            deletes: [],
          });
        } finally {
          for (const p of [b, c]) assert.equal((await p.quit()).code, 0);
        }
      });
      await t.step("nearest in one process follows another's writes at once", async () => {
        await nearestCase(await open("n1"));
      });
      await t.step("exclusive jobs: one holder across processes", async () => {
        await exclusiveCase(await open("x1"));
      });
      await t.step("a holder whose process exits without releasing frees its job", async () => {
        const u = await open("x2");
        const a = startPeer(u);
        const b = startPeer(u);
        const job = (m: Record<string, unknown>) => "job" in m || "running" in m;
        try {
          await a.send({ op: "job", name: "drain" });
          assert.deepEqual(await a.until(job), { running: "drain" });
          await b.send({ op: "job", name: "drain" });
          assert.deepEqual(await b.until(job), { job: "drain", ran: false });
        } finally {
          assert.equal((await a.quit()).code, 0); // exits without releasing
        }
        try {
          await b.send({ op: "job", name: "drain" });
          assert.deepEqual(await b.until(job), { running: "drain" });
          await b.send({ op: "release" });
          assert.deepEqual(await b.until(job), { job: "drain", ran: true });
        } finally {
          assert.equal((await b.quit()).code, 0);
        }
      });
    } finally {
      await pg.stop();
    }
  },
});
