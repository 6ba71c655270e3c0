/**
 * The shared engine suite (tests/store/engine_suite.ts) on a real PostgreSQL server
 * (tests/_support/postgres.ts): a fresh schema (`?schema=`) per step of one database. Without
 * pgvector on the server (Debian's postgresql has none) the vectors are real[], scored in the
 * app; the pgvector SQL runs in engine_pglite_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import postgres from "postgres";
import { postgresMissing, startPostgres } from "../_support/postgres.ts";
import { skipIf } from "../_support/skip.ts";
import { encryptionFromConfig } from "../../lib/store/mod.ts";
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
      await engineSuite(t, (o) => {
        schemas.push(`s${n++}`);
        return PostgresEngine.open(`${url}?schema=${schemas.at(-1)}`, o);
      }, enc);
      const sql = postgres(url, { onnotice: () => {}, max: 1 });
      try {
        const [row] = await sql.unsafe(
          `SELECT content, fts::text AS fts FROM ${schemas.at(-1)}.memories WHERE id = 's1'`,
        );
        assert.ok(String(row.content).startsWith("enc1:"), "sealed in the table");
        assert.match(String(row.fts), /'combin'/, "plaintext tokens in the index (index = on)");
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
