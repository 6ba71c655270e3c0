/**
 * The shared engine suite (tests/store/engine_suite.ts) on a real PostgreSQL server
 * (tests/_support/postgres.ts): a fresh schema (`?schema=`) per step of one database. Without
 * pgvector on the server (Debian's postgresql has none) the vectors are real[], scored in the
 * app; the pgvector SQL runs in engine_pglite_test.ts. The sealed steps leave ciphertext in the
 * tables (checked here, outside the engine).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import postgres from "postgres";
import { postgresMissing, startPostgres } from "../_support/postgres.ts";
import { skipIf } from "../_support/skip.ts";
import { encryptionFromConfig, type MemoryEngine } from "../../lib/store/mod.ts";
import { PostgresEngine } from "../../lib/store/postgres/mod.ts";
import { engineSuite } from "../store/engine_suite.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

Deno.test({
  ...skipIf(postgresMissing(), "engine suite: postgres"),
  async fn(t) {
    const pg = await startPostgres();
    const dir = await Deno.makeTempDir({ prefix: "memoryoss-engine-pg-" });
    try {
      const url = await pg.createDatabase();
      const enc = encryptionFromConfig(join(dir, "memoryoss.key"), { enabled: true, index: "on" });
      let n = 0;
      const schemas: string[] = [];
      const urls = new Map<MemoryEngine, string>();
      await engineSuite(
        t,
        async (o) => {
          schemas.push(`s${n++}`);
          const e = await PostgresEngine.open(`${url}?schema=${schemas.at(-1)}`, o);
          urls.set(e, `${url}?schema=${schemas.at(-1)}`);
          return e;
        },
        enc,
        // A second connection on the same schema: the queue's claimers run concurrently.
        (e) => PostgresEngine.open(urls.get(e)!),
      );
      const sql = postgres(url, { onnotice: () => {}, max: 1 });
      try {
        const [row] = await sql.unsafe(
          `SELECT content, fts::text AS fts FROM ${schemas.at(-1)}.memories WHERE id = 's1'`,
        );
        assert.ok(String(row.content).startsWith("enc1:"), "sealed in the table");
        assert.match(String(row.fts), /'combin'/, "plaintext tokens in the index (index = on)");
        const [edge] = await sql.unsafe(
          `SELECT detail FROM ${schemas.at(-2)}.memory_edges WHERE namespace = 's'`,
        );
        assert.ok(String(edge.detail).startsWith("enc1:"), "edge detail sealed");
        const [q] = await sql.unsafe(
          `SELECT payload FROM ${schemas.at(-2)}.remember_queue WHERE namespace = 's'`,
        );
        assert.ok(String(q.payload).startsWith("enc1:"), "queue payload sealed");
      } finally {
        await sql.end();
      }
    } finally {
      await pg.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...skipIf(
    postgresMissing(),
    "postgres engine: a password never shows, a dead server is one line",
  ),
  async fn() {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    await assert.rejects(
      PostgresEngine.open(`postgres://me:hunter2@127.0.0.1:${port}/memory`),
      (e: unknown) => {
        assert.ok(e instanceof MemoryossError);
        assert.equal(e.code, "UNAVAILABLE");
        assert.doesNotMatch(e.message, /hunter2/);
        assert.match(e.message, /connection refused/);
        return true;
      },
    );
  },
});

Deno.test({
  ...skipIf(postgresMissing(), "postgres engine: four workers claim 40 rows, none twice"),
  async fn() {
    const pg = await startPostgres();
    const engines: PostgresEngine[] = [];
    try {
      const url = `${await pg.createDatabase()}?schema=claims`;
      for (let i = 0; i < 4; i++) engines.push(await PostgresEngine.open(url));
      const payloads = Array.from({ length: 40 }, (_, i) => `{"n":${i}}`);
      const ids = await engines[0].queue.enqueue("ns", payloads, "2026-04-01T00:00:00.000Z");
      // Each worker on its own connection claims 3 at a time until nothing is left.
      const got = await Promise.all(engines.map(async (e, w) => {
        const mine: number[] = [];
        for (;;) {
          const rows = await e.queue.claim("*", {
            worker: `w${w}`,
            at: "2026-04-01T00:01:00.000Z",
            limit: 3,
            maxAttempts: 3,
          });
          if (rows.length === 0) return mine;
          mine.push(...rows.map((r) => r.id));
        }
      }));
      const all = got.flat().sort((a, b) => a - b);
      assert.deepEqual(all, ids, "every row claimed exactly once");
      assert.deepEqual(await engines[1].queue.counts("*", 3), {
        pending: 40,
        done: 0,
        failed: 0,
        stale: 0,
        oldest: "2026-04-01T00:00:00.000Z",
      });
    } finally {
      for (const e of engines) await e.close();
      await pg.stop();
    }
  },
});
